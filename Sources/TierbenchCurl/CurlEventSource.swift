internal import CCurl
import TierbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// The epoll instance behind a ``CurlLoop``: the sockets libcurl asks to watch (`CURLMOPT_SOCKETFUNCTION`), the one
/// timer libcurl asks for (`CURLMOPT_TIMERFUNCTION`) and an eventfd that ``CurlWaker`` writes to from other threads.
///
/// Sockets are watched level-triggered. A socket libcurl stops watching (`CURL_POLL_REMOVE`) stays in the set with
/// its events, marked unwanted: a kept-alive connection is removed between two transfers and asked for again at the
/// next. For a connection socket libcurl opened through `CURLOPT_OPENSOCKETFUNCTION` (``opened(_:)``) that costs no
/// system call at all; any other socket gets one `EPOLL_CTL_MOD`, since its number may have been reused. An unwanted
/// socket that becomes ready (the server closed the idle connection) is deleted then, and not handed to libcurl.
/// libcurl closes sockets through `CURLOPT_CLOSESOCKETFUNCTION` (``closed(_:)``), which deletes the socket from the
/// set and forgets it, so a new socket with the same number is added afresh. Should the table still be wrong, each
/// `epoll_ctl` falls back to the other (`ENOENT` → `EPOLL_CTL_ADD`, `EEXIST` → `MOD`). Any other `epoll_ctl`
/// failure puts the socket in ``failedSockets`` so its transfer fails instead of stalling. Loop thread only, but for
/// the waker.
final class CurlEventSource {
    let epollFD: Int32
    /// The wake-up eventfd (non-blocking), in the epoll set; ``CurlWaker`` writes to it.
    let wakeFD: Int32
    /// When libcurl's timer is due (monotonic ns); nil = no timer.
    var timerDue: UInt64?
    /// Ready events of the last `wait`.
    let events: UnsafeMutablePointer<epoll_event>
    let capacity: Int32
    /// Per descriptor number: the events it is in the epoll set with (0 = not in the set).
    private var inSet: [UInt32] = []
    /// Per descriptor number: whether libcurl watches it now (false after `CURL_POLL_REMOVE`).
    private var wanted: [Bool] = []
    /// Per descriptor number: a connection socket libcurl opened through `CURLOPT_OPENSOCKETFUNCTION` (``opened(_:)``)
    /// and has not closed (``closed(_:)``): it is closed only through the callback, so its number cannot have been
    /// reused behind the table's back.
    private var owned: [Bool] = []
    /// Sockets the epoll set refused (`epoll_ctl` failed with ENOMEM, ENOSPC, EPERM, …): readiness can never be
    /// reported for them, so the loop hands each to libcurl as failed (`CURL_CSELECT_ERR`) in its next pass.
    var failedSockets: [Int32] = []

    /// - Parameter capacity: most ready sockets taken per `epoll_wait` (more are taken by the next one).
    init(capacity: Int) throws(CurlError) {
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw CurlError(code: errno, message: "epoll_create1 failed: \(Self.errorText())") }
        let wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            close(epollFD)
            throw CurlError(code: errno, message: "eventfd failed: \(Self.errorText())")
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeFD))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            close(wakeFD)
            close(epollFD)
            throw CurlError(code: errno, message: "epoll_ctl failed: \(Self.errorText())")
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        self.capacity = Int32(max(16, min(capacity, 16_384)))
        events = .allocate(capacity: Int(self.capacity))
    }

    deinit {
        events.deallocate()
        close(wakeFD)
        close(epollFD)
    }

    /// Points libcurl's socket and timer callbacks at this source. The source must outlive `curl_multi_cleanup`.
    func attach(to multi: UnsafeMutableRawPointer) -> CURLMcode {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var code = tb_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        if code == CURLM_OK {
            code = tb_multi_setopt_socket_callback(multi) { _, socket, what, userp, _ in
                if let userp { Unmanaged<CurlEventSource>.fromOpaque(userp).takeUnretainedValue().watch(socket, what) }
                return 0
            }
        }
        if code == CURLM_OK { code = tb_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me) }
        if code == CURLM_OK {
            code = tb_multi_setopt_timer_callback(multi) { _, timeoutMs, userp in
                guard let userp else { return 0 }
                let source = Unmanaged<CurlEventSource>.fromOpaque(userp).takeUnretainedValue()
                // -1 deletes the timer; 0 means "call socket_action(TIMEOUT) as soon as possible" (not from here).
                source.timerDue = timeoutMs < 0 ? nil : MonotonicClock.now() &+ UInt64(timeoutMs) &* 1_000_000
                return 0
            }
        }
        return code
    }

    /// `CURLMOPT_SOCKETFUNCTION`: watch `socket` for what libcurl asks (`CURL_POLL_IN`/`OUT`/`INOUT`), or stop
    /// (`CURL_POLL_REMOVE`: the socket stays in the set, unwanted, until it is ready, watched again or closed).
    func watch(_ socket: Int32, _ what: Int32) {
        guard socket >= 0 else { return }
        let index = Int(socket)
        grow(to: index)
        if what == CURL_POLL_REMOVE {
            wanted[index] = false
            return
        }
        var mask: UInt32 = 0
        if what & CURL_POLL_IN != 0 { mask |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { mask |= EPOLLOUT.rawValue }
        // A socket watched all along, or a connection socket of libcurl's (kept alive between two transfers, which
        // is removed after one and watched again for the next), keeps its entry without a call. Any other socket
        // after a CURL_POLL_REMOVE may have been closed without CLOSESOCKETFUNCTION (the resolver's socket pair) and
        // its number reused, so its watch asks the kernel (one EPOLL_CTL_MOD, or ADD after ENOENT).
        let keep = (wanted[index] || owned[index]) && inSet[index] == mask
        wanted[index] = true
        if keep { return }
        var event = epoll_event(events: mask, data: epoll_data_t(fd: socket))
        var result: Int32
        if inSet[index] != 0 {
            result = epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event)
            if result != 0 && errno == ENOENT { result = epoll_ctl(epollFD, EPOLL_CTL_ADD, socket, &event) }
        } else {
            result = epoll_ctl(epollFD, EPOLL_CTL_ADD, socket, &event)
            if result != 0 && errno == EEXIST { result = epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event) }
        }
        inSet[index] = result == 0 ? mask : 0
        if result != 0 && !failedSockets.contains(socket) { failedSockets.append(socket) }
    }

    /// Whether libcurl watches `socket`; an unwanted ready socket is deleted from the set (and must not be handed to
    /// libcurl, which no longer expects it).
    func takeIfWanted(_ socket: Int32) -> Bool {
        let index = Int(socket)
        guard index >= 0, index < wanted.count else { return true }
        if wanted[index] { return true }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil)
        inSet[index] = 0
        return false
    }

    /// `CURLOPT_OPENSOCKETFUNCTION`: libcurl opened `socket` for a connection; it will close it through ``closed(_:)``.
    func opened(_ socket: Int32) {
        guard socket >= 0 else { return }
        let index = Int(socket)
        grow(to: index)
        owned[index] = true
    }

    /// `CURLOPT_CLOSESOCKETFUNCTION`: libcurl closes `socket`. It leaves the set and the table first, so a new socket
    /// that gets its number starts afresh.
    func closed(_ socket: Int32) {
        let index = Int(socket)
        guard index >= 0, index < inSet.count else { return }
        if inSet[index] != 0 { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil) }
        inSet[index] = 0
        wanted[index] = false
        owned[index] = false
    }

    /// Makes the per-descriptor tables cover `index`.
    private func grow(to index: Int) {
        guard index >= inSet.count else { return }
        let more = index + 1 - inSet.count
        inSet.append(contentsOf: repeatElement(0, count: more))
        wanted.append(contentsOf: repeatElement(false, count: more))
        owned.append(contentsOf: repeatElement(false, count: more))
    }

    /// The address libcurl passes to ``closeSocketCallback`` (`CURLOPT_CLOSESOCKETDATA`).
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Waits up to `timeoutMs` (0 = do not block) for ready sockets or a wake-up; returns how many events are in
    /// `events` (0 on timeout or signal), or nil when `epoll_wait` failed for another reason than a signal (EBADF,
    /// EINVAL, EFAULT: the epoll set is unusable, and retrying would spin): ``waitFailure`` then says why.
    func wait(timeoutMs: Int32) -> Int? {
        let count = epoll_wait(epollFD, events, capacity, timeoutMs)
        if count >= 0 { return Int(count) }
        let code = errno
        if code == EINTR { return 0 }
        waitFailure = "epoll_wait failed: \(String(cString: strerror(code))) (errno \(code))"
        return nil
    }

    /// Why the last `wait` returned nil.
    private(set) var waitFailure: String?

    /// The `ev_bitmask` of `curl_multi_socket_action` for one epoll event. An error or hang-up is passed as
    /// readable and writable, so libcurl reads the socket and finds the error itself.
    static func actionMask(_ events: UInt32) -> Int32 {
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        var mask: Int32 = 0
        if failed || events & EPOLLIN.rawValue != 0 { mask |= CURL_CSELECT_IN }
        if failed || events & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
        return mask
    }

    /// Resets the wake-up eventfd after it fired.
    func drainWakeups() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, MemoryLayout<UInt64>.size)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
