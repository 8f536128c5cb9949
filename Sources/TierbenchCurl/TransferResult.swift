#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TierbenchCore

/// What one finished transfer produced: status, error class, curl's phase timings and byte counts.
public struct TransferResult: Sendable {
    /// HTTP status of the last response, 0 if none arrived.
    public var status: Int
    /// libcurl's result code; `CURLE_OK` = 0.
    public var curlCode: Int32
    /// nil = success (2xx only); HTTP errors via `ErrorClass.forStatus` (3xx included); transport errors
    /// mapped from (CURLcode, errno) — see ``classify(curlCode:osErrno:connected:status:)``.
    public var errorClass: ErrorClass?
    /// `CURLOPT_ERRORBUFFER` text, else `curl_easy_strerror`, `"HTTP <status>"` for an HTTP error; nil on success.
    public var errorMessage: String?
    /// Cumulative phase times from the start of the transfer (µs).
    public var timings: PhaseTimings
    /// Request body bytes sent.
    public var bytesSent: Int
    /// Response body bytes received (headers excluded).
    public var bytesReceived: Int
    /// New connections this transfer had to open (`CURLINFO_NUM_CONNECTS`): 0 when it reused a kept-alive one.
    public var connectionsOpened: Int
    /// Monotonic ns at which the transfer ended as the loop saw it: for a transfer finished by bytes read in a pass
    /// (the last response bytes, or `[DONE]` followed by `endTransfer`), that pass's ``CurlLoop/readTime`` (when
    /// `epoll_wait` returned), the same stamp as those bytes; otherwise (timer, abort, failed start) the clock when
    /// the loop reported it. 0 = not set (a result not made by a loop).
    public var endTime: UInt64 = 0

    public init(
        status: Int, curlCode: Int32, errorClass: ErrorClass?, errorMessage: String?, timings: PhaseTimings,
        bytesSent: Int, bytesReceived: Int, connectionsOpened: Int = 0
    ) {
        self.status = status
        self.curlCode = curlCode
        self.errorClass = errorClass
        self.errorMessage = errorMessage
        self.timings = timings
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.connectionsOpened = connectionsOpened
    }

    /// True when the transfer completed with a non-error status.
    public var succeeded: Bool { curlCode == 0 && errorClass == nil }

    /// The error class of a finished transfer, like swift-corelibs-foundation's (CURLcode, errno) mapping.
    ///
    /// - Parameters:
    ///   - curlCode: libcurl's result code.
    ///   - osErrno: `CURLINFO_OS_ERRNO`, the errno of the last failed socket call.
    ///   - connected: whether the connection was established (or reused) before the failure.
    ///   - status: the HTTP status received, 0 if none.
    /// - Returns: nil for a success, else the class to count the failure under.
    public static func classify(curlCode: Int32, osErrno: Int32, connected: Bool, status: Int) -> ErrorClass? {
        switch curlCode {
        case CurlCode.ok:
            return ErrorClass.forStatus(status)
        case CurlCode.couldntResolveProxy, CurlCode.couldntResolveHost:
            return .dns
        case CurlCode.couldntConnect:
            switch osErrno {
            case ECONNREFUSED: return .connectionRefused
            case ETIMEDOUT: return .connectTimeout
            case ECONNRESET: return .connectionReset
            default: return .other
            }
        case CurlCode.operationTimedOut:
            return connected ? .timeout : .connectTimeout
        case CurlCode.weirdServerReply, CurlCode.badContentEncoding, CurlCode.unsupportedProtocol:
            // Garbage instead of a status line ("HTTP/0.9"), a broken encoding, a redirect to a non-http(s) URL.
            return .protocolError
        case CurlCode.tooManyRedirects:
            return .redirect
        case CurlCode.partialFile, CurlCode.http2, CurlCode.gotNothing, CurlCode.sendError, CurlCode.recvError,
            CurlCode.http2Stream, CurlCode.http3:
            return .connectionReset
        case CurlCode.sslConnectError, CurlCode.sslEngineNotFound, CurlCode.sslEngineSetFailed,
            CurlCode.sslCertProblem, CurlCode.sslCipher, CurlCode.peerFailedVerification, CurlCode.useSSLFailed,
            CurlCode.sslEngineInitFailed, CurlCode.sslCACertBadFile, CurlCode.sslShutdownFailed,
            CurlCode.sslCRLBadFile, CurlCode.sslIssuerError, CurlCode.sslPinnedPubKeyNotMatch,
            CurlCode.sslInvalidCertStatus, CurlCode.sslClientCert:
            return .tls
        default:
            return .other
        }
    }
}

