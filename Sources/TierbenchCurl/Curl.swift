#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CCurl

/// Process-wide libcurl set-up.
public enum Curl {
    /// Initialises libcurl (`curl_global_init(CURL_GLOBAL_ALL)`) and ignores SIGPIPE, once per process.
    ///
    /// Idempotent and thread-safe: the work runs in a lazily initialised global, which Swift guards with a one-time
    /// initialisation. `CurlLoop` and `CurlClient` call it; call it yourself first thing in `main` to do it before
    /// any other thread exists (curl_global_init is only thread-safe from 7.84 on).
    /// SIGPIPE must be ignored because every easy handle sets `CURLOPT_NOSIGNAL`, which stops libcurl from doing so.
    /// - Throws: `CurlError` when libcurl cannot initialise (then it never will in this process).
    public static func globalInit() throws(CurlError) {
        if let failure = initialization { throw failure }
    }

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.11 ...`.
    public static var version: String { String(cString: curl_version()) }

    /// Whether this libcurl resolves host names asynchronously (`CURL_VERSION_ASYNCHDNS`: the threaded resolver or
    /// c-ares). With it a slow or unanswered lookup runs off the loop thread and is abandoned when the connect timeout
    /// (which covers resolution) ends; without it `getaddrinfo` would block the whole loop for the system resolver's
    /// own timeout.
    public static var hasAsynchronousDNS: Bool { tb_has_asynch_dns() != 0 }

    private static let initialization: CurlError? = {
        _ = signal(SIGPIPE, SIG_IGN)
        let code = tb_global_init_all()
        guard code == CURLE_OK else {
            return CurlError(code: Int32(bitPattern: code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        return nil
    }()
}
