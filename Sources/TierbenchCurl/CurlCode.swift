internal import CCurl

/// libcurl result codes (`CURLcode`) as `Int32`, the type ``TransferResult/curlCode`` carries.
enum CurlCode {
    static let ok = raw(CURLE_OK)
    static let couldntResolveProxy = raw(CURLE_COULDNT_RESOLVE_PROXY)
    static let couldntResolveHost = raw(CURLE_COULDNT_RESOLVE_HOST)
    static let couldntConnect = raw(CURLE_COULDNT_CONNECT)
    static let http2 = raw(CURLE_HTTP2)
    static let partialFile = raw(CURLE_PARTIAL_FILE)
    static let operationTimedOut = raw(CURLE_OPERATION_TIMEDOUT)
    static let sslConnectError = raw(CURLE_SSL_CONNECT_ERROR)
    static let abortedByCallback = raw(CURLE_ABORTED_BY_CALLBACK)
    static let gotNothing = raw(CURLE_GOT_NOTHING)
    static let sslEngineNotFound = raw(CURLE_SSL_ENGINE_NOTFOUND)
    static let sslEngineSetFailed = raw(CURLE_SSL_ENGINE_SETFAILED)
    static let sendError = raw(CURLE_SEND_ERROR)
    static let recvError = raw(CURLE_RECV_ERROR)
    static let sslCertProblem = raw(CURLE_SSL_CERTPROBLEM)
    static let sslCipher = raw(CURLE_SSL_CIPHER)
    static let peerFailedVerification = raw(CURLE_PEER_FAILED_VERIFICATION)
    static let useSSLFailed = raw(CURLE_USE_SSL_FAILED)
    static let sslEngineInitFailed = raw(CURLE_SSL_ENGINE_INITFAILED)
    static let sslCACertBadFile = raw(CURLE_SSL_CACERT_BADFILE)
    static let sslShutdownFailed = raw(CURLE_SSL_SHUTDOWN_FAILED)
    static let sslCRLBadFile = raw(CURLE_SSL_CRL_BADFILE)
    static let sslIssuerError = raw(CURLE_SSL_ISSUER_ERROR)
    static let sslPinnedPubKeyNotMatch = raw(CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    static let sslInvalidCertStatus = raw(CURLE_SSL_INVALIDCERTSTATUS)
    static let http2Stream = raw(CURLE_HTTP2_STREAM)
    static let http3 = raw(CURLE_HTTP3)
    static let sslClientCert = raw(CURLE_SSL_CLIENTCERT)
    static let unsupportedProtocol = raw(CURLE_UNSUPPORTED_PROTOCOL)
    static let weirdServerReply = raw(CURLE_WEIRD_SERVER_REPLY)
    static let badContentEncoding = raw(CURLE_BAD_CONTENT_ENCODING)
    static let tooManyRedirects = raw(CURLE_TOO_MANY_REDIRECTS)

    static func raw(_ code: CURLcode) -> Int32 { Int32(bitPattern: code.rawValue) }

    /// libcurl's text for a result code (`curl_easy_strerror`).
    static func message(_ code: Int32) -> String {
        String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(bitPattern: code))))
    }
}
