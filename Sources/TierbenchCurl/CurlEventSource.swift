internal import CCurl
import TierbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// The epoll instance behind a ``CurlLoop``: the sockets libcurl asks to watch (`CURLMOPT_SOCKETFUNCTION`), the one
/// timer libcurl asks for (`CURLMOPT_TIMERFUNCTION`) and an eventfd that ``CurlWaker`` writes to from other threads.
///
/// Sockets are watched level-triggered. A socket libcurl stops watching (`CURL_POLL_REMOVE`) is deleted from the set;
/// one libcurl closed without telling is dropped by the kernel, and a new socket that gets the same descriptor number
/// is added afresh (`EPOLL_CTL_MOD` answers `ENOENT`, then `EPOLL_CTL_ADD`; `EEXIST` the other way round). Any
/// other `epoll_ctl` failure puts the socket in ``failedSockets`` so its transfer fails instead of stalling. Loop
/// thread only, but for the waker.
final class CurlEventSource {
    let epollFD: Int32
    /// The wake-up eventfd (non-blocking), in the epoll set; ``CurlWaker`` writes to it.
    let wakeFD: Int32
    /// When libcurl's timer is due (monotonic ns); nil = no timer.
    var timerDue: UInt64?
    /// Ready events of the last `wait`.
    let events: UnsafeMutablePointer<epoll_event>
    let capacity: Int32
    /// Per descriptor number: whether this source put it in the epoll set (and has not deleted it since), so a new
    /// watch is one `EPOLL_CTL_ADD` instead of a failed `EPOLL_CTL_MOD` first — one syscall less per request on a
    /// kept-alive connection, which libcurl stops watching between transfers.
    private var inSet: [Bool] = []
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
    /// (`CURL_POLL_REMOVE`; the socket may already be closed, so errors are ignored).
    func watch(_ socket: Int32, _ what: Int32) {
        guard socket >= 0 else { return }
        let index = Int(socket)
        if index >= inSet.count { inSet.append(contentsOf: repeatElement(false, count: index + 1 - inSet.count)) }
        if what == CURL_POLL_REMOVE {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil)
            inSet[index] = false
            return
        }
        var mask: UInt32 = 0
        if what & CURL_POLL_IN != 0 { mask |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { mask |= EPOLLOUT.rawValue }
        var event = epoll_event(events: mask, data: epoll_data_t(fd: socket))
        // The table can be wrong when a socket was closed without CURL_POLL_REMOVE and its number reused (the
        // kernel then dropped it from the set): each operation falls back to the other.
        var result: Int32
        if inSet[index] {
            result = epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event)
            if result != 0 && errno == ENOENT { result = epoll_ctl(epollFD, EPOLL_CTL_ADD, socket, &event) }
        } else {
            result = epoll_ctl(epollFD, EPOLL_CTL_ADD, socket, &event)
            if result != 0 && errno == EEXIST { result = epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event) }
        }
        inSet[index] = result == 0
        if result != 0 && !failedSockets.contains(socket) { failedSockets.append(socket) }
    }

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
