internal import CCurl
import TierbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// One reusable easy handle and the state of the transfer it carries. Confined to its loop's thread.
///
/// libcurl finds the slot again through userdata pointers: `WRITEDATA`, `HEADERDATA` and `PREREQDATA` hold the
/// slot's unretained address (the loop's `slots` array keeps it alive), `CURLOPT_PRIVATE` holds its index.
/// The callbacks are closures that capture nothing, so they convert to C function pointers.
final class CurlSlot {
    enum State: UInt8 {
        /// No transfer: `start` may use the slot.
        case idle
        /// Started from inside a libcurl callback; added to the multi handle once `curl_multi_socket_action` returns.
        case deferred
        /// In the multi handle.
        case active
        /// `curl_multi_add_handle` refused it; completed with an error on the loop's next pass.
        case failed
    }

    let index: Int
    let easy: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER`, `CURL_ERROR_SIZE` bytes.
    let errorBuffer: UnsafeMutablePointer<CChar>
    unowned(unsafe) let loop: CurlLoop

    var state = State.idle
    /// The request last applied to the handle; kept so that an identical restart skips every setopt.
    var request: PreparedRequest?
    /// Serial number of the current transfer, to tell transfers started during `abortAll` from older ones.
    var serial: UInt64 = 0
    /// Body bytes received by the current transfer.
    var bodyBytes = 0
    /// Whether the current transfer got a connection (PREREQFUNCTION ran): separates connect from request timeouts.
    var connected = false
    /// Why `curl_multi_add_handle` failed (state `.failed`).
    var addFailure = CURLM_OK
    /// The driver asked to end the transfer as complete (`CurlLoop.endTransfer`); done once libcurl returns.
    var endRequested = false
    /// Header bytes received by the current transfer (every response of it, redirects and 1xx included).
    var headerBytes = 0
    /// The headers passed `maximumHeaderBytes`: the transfer was cut, and fails as a protocol error.
    var headersTooLarge = false
    /// Most header bytes a transfer may receive: 256 KiB, below libcurl's own limits, so the cut is ours and classed
    /// the same with every libcurl version.
    static let maximumHeaderBytes = 256 * 1024

    init(index: Int, loop: CurlLoop, options: CurlLoopOptions) throws(CurlError) {
        guard let easy = curl_easy_init() else { throw CurlError(code: -1, message: "curl_easy_init failed") }
        self.index = index
        self.easy = easy
        self.loop = loop
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(options)
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// Sets the per-handle options that never change: callbacks, timeouts, protocol, error buffer.
    private func configure(_ options: CurlLoopOptions) throws(CurlError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(tb_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        try check(tb_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1))
        try check(tb_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(tb_easy_setopt_ptr(easy, CURLOPT_PRIVATE, UnsafeRawPointer(bitPattern: index + 1)))
        try check(tb_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me))
        try check(tb_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            let length = size &* count
            guard let userdata else { return 0 }
            // The loop's `slots` array keeps the slot alive: no retain and release per call.
            Unmanaged<CurlSlot>.fromOpaque(userdata)._withUnsafeGuaranteedRef {
                $0.didReceiveBody(UnsafeRawBufferPointer(start: data, count: length))
            }
            return length
        })
        try check(tb_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me))
        try check(tb_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
            let length = size &* count
            guard let userdata else { return 0 }
            return Unmanaged<CurlSlot>.fromOpaque(userdata)._withUnsafeGuaranteedRef { slot in
                slot.didReceiveHeader(UnsafeRawBufferPointer(start: data, count: length))
                return slot.headersTooLarge ? 0 : length  // 0 ends the transfer (CURLE_WRITE_ERROR)
            }
        })
        // libcurl opens its connections' sockets through the event source, which marks them as closed only through
        // CLOSESOCKETFUNCTION: their epoll entry may then be kept between transfers (CurlEventSource.watch).
        try check(tb_easy_setopt_ptr(easy, CURLOPT_OPENSOCKETDATA, loop.source.opaque))
        try check(tb_easy_setopt_opensocket_callback(easy) { clientp, purpose, address in
            guard let address else { return -1 }  // CURL_SOCKET_BAD
            // Close-on-exec, so a process tierbench starts never inherits a connection.
            let type = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
            let socket = Glibc.socket(address.pointee.family, type, address.pointee.protocol)
            if socket >= 0, purpose == CURLSOCKTYPE_IPCXN, let clientp {
                Unmanaged<CurlEventSource>.fromOpaque(clientp).takeUnretainedValue().opened(socket)
            }
            return socket
        })
        // libcurl closes sockets through the event source, which takes them out of its epoll set first.
        try check(tb_easy_setopt_ptr(easy, CURLOPT_CLOSESOCKETDATA, loop.source.opaque))
        try check(tb_easy_setopt_closesocket_callback(easy) { clientp, socket in
            if let clientp { Unmanaged<CurlEventSource>.fromOpaque(clientp).takeUnretainedValue().closed(socket) }
            return close(socket)
        })
        try check(tb_easy_setopt_ptr(easy, CURLOPT_PREREQDATA, me))
        try check(tb_easy_setopt_prereq_callback(easy) { userdata, _, _, _, _ in
            if let userdata { Unmanaged<CurlSlot>.fromOpaque(userdata).takeUnretainedValue().connected = true }
            return 0  // CURL_PREREQFUNC_OK
        })
        let version = options.httpVersion == .http2 ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_1_1
        try check(tb_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(version)))
        if options.httpVersion == .http2 { try check(tb_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)) }
        // The connect timeout covers name resolution too; with libcurl's threaded (AsynchDNS) resolver a slow or
        // unanswered lookup never blocks the loop thread, and it is abandoned when the connect timeout ends.
        try check(tb_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout)))
        try check(tb_easy_setopt_long(easy, CURLOPT_DNS_CACHE_TIMEOUT, 60))
        // When a lookup times out, libcurl (7.87+) would otherwise join the resolver thread, holding the loop thread
        // until getaddrinfo gives up (the system resolver's own ~5 s): forget the thread instead (it ends by itself).
        // Older libcurl answers CURLE_UNKNOWN_OPTION, which is fine to ignore.
        _ = tb_easy_setopt_long(easy, CURLOPT_QUICK_EXIT, 1)
        // Redirects: off by default (a 3xx is then an `http_3xx` failure); with `maxRedirects` > 0 libcurl follows
        // at most that many, over http(s) only. libcurl does not send the Authorization header to another host.
        if options.maxRedirects > 0 {
            try check(tb_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1))
            try check(tb_easy_setopt_long(easy, CURLOPT_MAXREDIRS, options.maxRedirects))
            // libcurl copies string options, so the temporary C string may go after the call.
            try check("http,https".withCString { tb_easy_setopt_ptr(easy, CURLOPT_REDIR_PROTOCOLS_STR, $0) })
        } else {
            try check(tb_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        }
        try check(tb_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(options.requestTimeout)))
        let lowSpeedSeconds = Self.milliseconds(options.lowSpeedTime) / 1000
        if options.lowSpeedLimit > 0, lowSpeedSeconds > 0 {
            try check(tb_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimit))
            try check(tb_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, lowSpeedSeconds))
        }
    }

    /// Points the handle at `request` (only when it differs from the last one) and resets per-transfer state.
    func prepare(_ request: PreparedRequest) {
        if request !== self.request {
            apply(request)
            self.request = request
        }
        errorBuffer[0] = 0
        bodyBytes = 0
        connected = false
        endRequested = false
        headerBytes = 0
        headersTooLarge = false
    }

    /// Sets URL, headers, method and body. libcurl copies the URL and method strings; header list and body are
    /// read in place from the request, which this slot keeps alive.
    private func apply(_ request: PreparedRequest) {
        _ = tb_easy_setopt_ptr(easy, CURLOPT_URL, request.urlPointer)
        _ = tb_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, request.headerList)
        _ = tb_easy_setopt_long(easy, CURLOPT_NOBODY, request.methodKind == .head ? 1 : 0)
        switch request.methodKind {
        case .get, .head:
            _ = tb_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
            _ = tb_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, nil)
            if request.methodKind == .head { _ = tb_easy_setopt_long(easy, CURLOPT_NOBODY, 1) }
        case .post, .custom:
            _ = tb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.bodyCount))
            _ = tb_easy_setopt_ptr(easy, CURLOPT_POSTFIELDS, request.bodyPointer)
            let custom = request.methodKind == .custom ? UnsafeRawPointer(request.methodPointer) : nil
            _ = tb_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, custom)
        }
    }

    private func didReceiveBody(_ data: UnsafeRawBufferPointer) {
        bodyBytes &+= data.count
        // Stamped with the time the loop learned the socket was readable, not the time this callback runs.
        loop.driver?.received(slot: index, data: data, now: loop.readTime)
    }

    private func didReceiveHeader(_ line: UnsafeRawBufferPointer) {
        headerBytes &+= line.count
        if headerBytes > Self.maximumHeaderBytes {
            headersTooLarge = true
            return
        }
        if loop.driverWantsHeaders { loop.driver?.receivedHeader(slot: index, line: line) }
    }

    /// Reads status, timings, byte counts and the error class of the finished (or aborted) transfer.
    func result(code: Int32, aborted: Bool = false) -> TransferResult {
        var status = 0
        _ = tb_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var osErrno = 0
        if code != CurlCode.ok { _ = tb_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno) }
        let connect = info(CURLINFO_CONNECT_TIME_T)
        let tls = info(CURLINFO_APPCONNECT_TIME_T)
        let timings = PhaseTimings(
            dns: info(CURLINFO_NAMELOOKUP_TIME_T), connect: connect, tls: tls == 0 ? connect : tls,
            firstByte: info(CURLINFO_STARTTRANSFER_TIME_T), total: info(CURLINFO_TOTAL_TIME_T))
        var sent: curl_off_t = 0
        _ = tb_easy_getinfo_off(easy, CURLINFO_SIZE_UPLOAD_T, &sent)
        var connects = 0
        _ = tb_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)

        let errorClass: ErrorClass?
        let message: String?
        if aborted {
            errorClass = .other
            message = "aborted"
        } else if headersTooLarge {
            errorClass = .protocolError
            message = "the response headers exceed \(Self.maximumHeaderBytes / 1024) KiB"
        } else {
            var classified = TransferResult.classify(
                curlCode: code, osErrno: Int32(truncatingIfNeeded: osErrno), connected: connected, status: status)
            if code != CurlCode.ok {
                let text = errorBuffer[0] != 0 ? String(cString: errorBuffer) : CurlCode.message(code)
                // The connect timeout ran out while the name was still being resolved: a DNS failure.
                if classified == .connectTimeout, text.hasPrefix("Resolving timed out") { classified = .dns }
                message = text
            } else {
                message = classified == nil ? nil : "HTTP \(status)"
            }
            errorClass = classified
        }
        return TransferResult(
            status: status, curlCode: code, errorClass: errorClass, errorMessage: message, timings: timings,
            bytesSent: Int(sent), bytesReceived: bodyBytes, connectionsOpened: connects)
    }

    private func info(_ item: CURLINFO) -> UInt64 {
        var value: curl_off_t = 0
        _ = tb_easy_getinfo_off(easy, item, &value)
        return UInt64(max(value, 0))
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        guard code == CURLE_OK else {
            throw CurlError(code: CurlCode.raw(code), message: String(cString: curl_easy_strerror(code)))
        }
    }

    /// A timeout in whole milliseconds for libcurl; 0 (no limit) for zero or negative spans.
    static func milliseconds(_ span: TimeSpan) -> Int {
        span.nanoseconds <= 0 ? 0 : Int(max(1, (span.nanoseconds + 999_999) / 1_000_000))
    }
}
