internal import CCurl
import TierbenchCore

/// A libcurl multi handle with a fixed set of reusable easy handles ("slots"), run on one dedicated OS thread.
///
/// Each pass the loop ticks the driver, waits until a socket is ready, the driver's deadline (less `options.spin`)
/// or libcurl's timer comes, or another thread calls `waker.wake()`, lets libcurl read and write what is ready and
/// reports finished transfers (`curl_multi_info_read`). How it waits is its ``CurlLoopMode``: the poll pass
/// (`curl_multi_poll` + one `curl_multi_perform`, ``runPollPasses(_:)``), for targets that answer in well under a
/// millisecond, or the epoll pass (`curl_multi_socket_action` per ready socket over ``CurlEventSource``,
/// ``runEpollPasses(_:)``), whose cost is O(ready sockets): the default. Connections are kept alive and reused by
/// all slots; with HTTP/1.1, N busy slots use N connections.
///
/// Body bytes are stamped with ``readTime``, the moment the pass's wait returned (the loop learned the socket was
/// readable), so the last of 2,000 ready sockets is not stamped later than the first.
/// ``loopLag`` records, per pass, how late the loop handled what was due (docs/metrics.md, "Loop lag").
///
/// - Important: Not thread-safe. Create the loop, call `run` and every other method on one thread (the driver's
///   callbacks run there too). Only ``waker`` may be used from other threads. `run` blocks its thread: never call it
///   from a Swift concurrency task.
public final class CurlLoop {
    /// Wakes this loop's wait from any thread.
    public let waker: CurlWaker
    /// The options every slot was configured with.
    public let options: CurlLoopOptions

    let multi: UnsafeMutableRawPointer
    let source: CurlEventSource
    /// Whether the loop runs the epoll pass (`curl_multi_socket_action`) rather than the poll pass (``CurlLoopMode``).
    public let usesEpoll: Bool
    private(set) var slots: [CurlSlot] = []
    /// The driver of the current `run`, read by the slots' C callbacks.
    private(set) var driver: (any CurlDriver)?
    /// The driver's `wantsHeaders`, read when `run` starts.
    private(set) var driverWantsHeaders = true
    /// Slots that will still report a completion (deferred, active or failed).
    public private(set) var activeCount = 0
    /// Monotonic ns at which the wait returned in the current pass: the timestamp of every body byte read in it.
    public internal(set) var readTime: UInt64 = 0
    /// Per pass that handled something due, how late it handled it (docs/metrics.md, "Loop lag"): the largest of
    /// (end of processing the ready sockets − the wait's return), (libcurl's timer fired − its due time) and (the
    /// driver ticked − the deadline it asked for). Passes with nothing due record nothing.
    public private(set) var loopLag = DurationHistogram()
    /// The ready-set part of `loopLag` alone, per pass that handled ready sockets: how much earlier than their
    /// handling the last bytes of the pass were stamped (what makes chunk timestamps late).
    public private(set) var readLag = DurationHistogram()
    /// Why `run` stopped before its driver finished (the wait failed: the loop cannot wait for sockets any more);
    /// nil after a normal run. Every transfer still active was then reported as aborted.
    public internal(set) var failure: String?
    /// Passes run so far (one wait each).
    public internal(set) var passes: UInt64 = 0
    /// Thread CPU time (ns) spent in idle spin passes: passes that polled with a zero timeout only because the
    /// driver's deadline was within `options.spin`, and found nothing ready, due or finished (docs/metrics.md,
    /// "Self-check"). The self-check subtracts it from the load thread's and the process's CPU time.
    public private(set) var spinIdleCPUNanos: UInt64 = 0
    /// Transfers reported to the driver so far.
    public private(set) var finishedCount: UInt64 = 0

    /// True while inside `curl_multi_perform` or `curl_multi_socket_action`, where callbacks may not add or remove
    /// easy handles.
    var insideLibcurl = false
    /// Some slot is `.deferred` or `.failed`.
    private(set) var needsScan = false
    private(set) var abortRequested = false
    /// Some slot asked `endTransfer` from inside libcurl.
    private(set) var endRequested = false
    private(set) var nextSerial: UInt64 = 1
    /// A transfer joined the multi handle since the poll pass last ran `curl_multi_perform` (which sends it).
    var addedSinceDrive = false
    /// `options.spin` in ns (≥ 0).
    private let spinNanos: UInt64

    /// Creates the multi handle, its epoll set and `slots` easy handles.
    /// - Parameters:
    ///   - options: protocol, timeouts and connection limit for every transfer.
    ///   - slots: most concurrent transfers (≥ 1).
    /// - Throws: `CurlError` if libcurl cannot initialise, a handle or descriptor cannot be created or an option is
    ///   refused.
    public init(options: CurlLoopOptions, slots: Int) throws(CurlError) {
        try Curl.globalInit()
        guard slots >= 1 else { throw CurlError(code: -1, message: "a curl loop needs at least one slot, got \(slots)") }
        let source = try CurlEventSource(capacity: slots + 2)
        guard let multi = curl_multi_init() else { throw CurlError(code: -1, message: "curl_multi_init failed") }
        self.multi = multi
        self.source = source
        self.options = options
        self.spinNanos = UInt64(max(0, options.spin.nanoseconds))
        self.waker = CurlWaker(eventFD: source.wakeFD)
        self.usesEpoll = options.mode == .epoll
        // The poll pass lets `curl_multi_poll` watch libcurl's sockets itself; only the epoll pass is told which.
        if usesEpoll { try check(source.attach(to: multi)) }
        let connections = options.connectionLimit(slots: slots)
        try check(tb_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connections))
        try check(tb_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, connections))
        try check(tb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, connections))
        let pipelining = options.httpVersion == .http2 ? CURLPIPE_MULTIPLEX : CURLPIPE_NOTHING
        try check(tb_multi_setopt_long(multi, CURLMOPT_PIPELINING, pipelining))
        self.slots.reserveCapacity(slots)
        for index in 0..<slots {
            self.slots.append(try CurlSlot(index: index, loop: self, options: options))
        }
    }

    deinit {
        waker.invalidate()
        for slot in slots where slot.state == .active {
            curl_multi_remove_handle(multi, slot.easy)
        }
        slots.removeAll()  // easy handles are cleaned up here, before the multi handle
        curl_multi_cleanup(multi)  // may still call the socket callback: `source` closes its descriptors after this
    }

    /// Number of slots.
    public var slotCount: Int { slots.count }

    /// Whether `slot` carries a transfer (it will report a completion before it can be started again).
    public func isBusy(slot: Int) -> Bool { slots[slot].state != .idle }

    /// Starts `request` in the idle `slot`, reusing its easy handle and a kept-alive connection. Loop thread only.
    ///
    /// Allocates nothing in Swift; with the same request as the slot's previous transfer it sets no option either.
    /// - Precondition: `slot` is in range and idle.
    public func start(slot index: Int, request: PreparedRequest) {
        precondition(slots.indices.contains(index), "slot \(index) out of range 0..<\(slots.count)")
        let slot = slots[index]
        precondition(slot.state == .idle, "slot \(index) is busy")
        slot.prepare(request)
        slot.serial = nextSerial
        nextSerial &+= 1
        activeCount += 1
        if insideLibcurl {
            slot.state = .deferred
            needsScan = true
        } else {
            add(slot)
        }
    }

    /// Ends the transfer in `slot` as complete, with the body received so far as the whole response: for a stream
    /// that sent `data: [DONE]` but keeps its body open. The transfer reports `completed` with its status, curl code
    /// 0 and no error class; its connection is closed, not reused. Loop thread only; from inside a libcurl callback
    /// it takes effect as soon as libcurl returns. A slot that is idle (or already finished) is left alone.
    public func endTransfer(slot index: Int) {
        guard slots.indices.contains(index), slots[index].state == .active else { return }
        slots[index].endRequested = true
        if insideLibcurl {
            endRequested = true
        } else {
            endRequestedTransfers()
        }
    }

    /// Aborts every transfer started before this call; each reports `completed` with error class `.other` and the
    /// message "aborted", before `abortAll` returns. Transfers the driver starts from those callbacks are not
    /// aborted. Called from a libcurl callback (`received...`), it takes effect as soon as libcurl returns.
    public func abortAll() {
        if insideLibcurl {
            abortRequested = true
            return
        }
        abortRequested = false
        let cutoff = nextSerial
        for slot in slots where slot.state != .idle && slot.serial < cutoff {
            if slot.state == .active { curl_multi_remove_handle(multi, slot.easy) }
            let result = slot.result(code: CurlCode.abortedByCallback, aborted: true)
            finish(slot, result: result)
        }
    }

    /// Runs transfers on the calling thread until `driver.isFinished` and no transfer is active, or until the loop
    /// cannot wait any more (``failure`` then says why).
    ///
    /// Each pass: tick the driver (unless finished) → wait for at most min(driver deadline − spin, libcurl's timer,
    /// 1 s) → let libcurl read and write what is ready (``CurlLoopMode``: one `curl_multi_perform`, or one
    /// `curl_multi_socket_action` per ready socket and then for libcurl's timer if due) → report completions → note
    /// the pass's lag.
    public func run(driver: some CurlDriver) {
        precondition(self.driver == nil, "CurlLoop.run is not reentrant")
        self.driver = driver
        driverWantsHeaders = driver.wantsHeaders
        defer { self.driver = nil }
        if usesEpoll {
            runEpollPasses(driver)
        } else {
            runPollPasses(driver)
        }
    }

    /// What one pass carries to the next, and what it learned so far.
    struct PassState {
        /// The driver's deadline from this pass's tick.
        var deadline: UInt64?
        /// The driver's deadline if it was still ahead when asked for: only such a deadline can be handled late.
        var lagDeadline: UInt64?
        /// Thread CPU at the end of the previous idle spin pass (or the start of a spin stretch); nil outside one.
        var spinMark: UInt64?
        /// How late this pass handled what was due; nil when nothing was due.
        var lag: UInt64?
        var serialBefore: UInt64 = 0
        var finishedBefore: UInt64 = 0
    }

    /// Opens a pass: ticks the driver unless it finished. Returns false when the run is over (the driver finished and
    /// no transfer is active).
    func openPass(_ driver: some CurlDriver, _ pass: inout PassState) -> Bool {
        pass.lag = nil
        (pass.serialBefore, pass.finishedBefore) = (nextSerial, finishedCount)
        if !driver.isFinished {
            let now = MonotonicClock.now()
            if let due = pass.lagDeadline, now >= due { pass.lag = now - due }
            pass.deadline = driver.tick(self, now: now)
            pass.lagDeadline = pass.deadline.flatMap { $0 > now ? $0 : nil }
        } else if activeCount == 0 {
            return false
        } else {
            pass.deadline = nil
            pass.lagDeadline = nil
        }
        return true
    }

    /// Reports completions, then lets `advance` move libcurl on (fire its timer, or send the transfers just started)
    /// and reports again, while `advance` did something, at most ``timerRoundsPerPass`` times: a closed-loop worker's
    /// next request goes out in this pass, not after the next wait (bounded, so ready sockets are never starved).
    /// Completions of the first round end at `readEnd` (they finished on bytes read in this pass), later ones at the
    /// clock. Returns how many times `advance` acted.
    func settle(readEnd: UInt64?, advance: () -> Bool) -> Int {
        var readEnd = readEnd
        var rounds = 0
        while true {
            if abortRequested { abortAll() }
            if needsScan { scanDeferred() }
            drainCompletions(readEnd: readEnd)
            if endRequested { endRequestedTransfers(readEnd: readEnd) }
            guard rounds < Self.timerRoundsPerPass, advance() else { break }
            rounds += 1
            readEnd = nil
        }
        return rounds
    }

    /// Closes a pass: records its lag (with the handling of bytes read since `readStart`, when it read any) and, for
    /// an idle spin pass, its CPU time.
    func closePass(_ pass: inout PassState, readStart: UInt64?, spinning: Bool, woken: Bool, rounds: Int) {
        if let readStart {
            let handled = MonotonicClock.now() &- readStart
            readLag.record(nanoseconds: handled)
            pass.lag = max(pass.lag ?? 0, handled)
        }
        if let lag = pass.lag { loopLag.record(nanoseconds: lag) }
        // An idle spin pass: polled only because a scheduled send is near, and nothing was due, ready or done.
        // Its CPU is the price of punctual sends, not work: the self-check leaves it out of the busy figures.
        let idle = spinning && readStart == nil && !woken && rounds == 0 && pass.lag == nil
            && nextSerial == pass.serialBefore && finishedCount == pass.finishedBefore
        if idle, let mark = pass.spinMark {
            let cpu = ThreadCPUClock.now()
            spinIdleCPUNanos &+= cpu &- min(mark, cpu)
            pass.spinMark = cpu
        } else {
            pass.spinMark = nil
        }
    }

    // MARK: - Internals

    /// Most times one pass fires libcurl's timer (and reports completions) before waiting again.
    static let timerRoundsPerPass = 4

    /// Fires libcurl's timer (`curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`) when due; notes its lag against the
    /// due time, or the end of the wait asked for when later. Returns whether it fired.
    func fireTimerIfDue(waitEnd: UInt64?, lag: inout UInt64?, running: inout Int32) -> Bool {
        guard let due = source.timerDue else { return false }
        let now = MonotonicClock.now()
        guard now >= due else { return false }
        source.timerDue = nil
        insideLibcurl = true
        _ = curl_multi_socket_action(multi, tb_socket_timeout(), 0, &running)
        insideLibcurl = false
        let expected = max(due, waitEnd ?? due)
        lag = max(lag ?? 0, now > expected ? now - expected : 0)
        return true
    }

    private func add(_ slot: CurlSlot) {
        let code = curl_multi_add_handle(multi, slot.easy)
        if code == CURLM_OK {
            slot.state = .active
            addedSinceDrive = true
        } else {
            slot.state = .failed
            slot.addFailure = code
            needsScan = true
        }
    }

    /// Adds slots started from inside libcurl and reports those libcurl refused.
    private func scanDeferred() {
        needsScan = false
        for slot in slots {
            if slot.state == .deferred { add(slot) }
            if slot.state == .failed {
                var result = slot.result(code: CurlCode.raw(CURLE_FAILED_INIT))
                result.errorClass = .other
                result.errorMessage = "curl_multi_add_handle: " + String(cString: curl_multi_strerror(slot.addFailure))
                finish(slot, result: result)
            }
        }
    }

    /// Completes every active transfer whose slot asked `endTransfer`; returns whether any was ended.
    @discardableResult
    private func endRequestedTransfers(readEnd: UInt64? = nil) -> Bool {
        endRequested = false
        var endedAny = false
        for slot in slots where slot.state == .active && slot.endRequested {
            curl_multi_remove_handle(multi, slot.easy)
            finish(slot, result: slot.result(code: CurlCode.ok), readEnd: readEnd)
            endedAny = true
        }
        return endedAny
    }

    /// Reports every finished transfer, ended at `readEnd` if given (they finished on bytes read in this pass), else
    /// at the clock; the driver may start new ones from `completed`. Returns whether any finished.
    @discardableResult
    private func drainCompletions(readEnd: UInt64?) -> Bool {
        var finishedAny = false
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = CurlCode.raw(message.pointee.data.result)
            var marker: UnsafeMutableRawPointer? = nil
            _ = tb_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &marker)
            curl_multi_remove_handle(multi, easy)  // invalidates `message`
            let index = Int(bitPattern: marker) - 1
            guard slots.indices.contains(index), slots[index].state == .active else { continue }
            let slot = slots[index]
            finish(slot, result: slot.result(code: code), readEnd: readEnd)
            finishedAny = true
        }
        return finishedAny
    }

    /// Frees the slot, then tells the driver; the result's `endTime` is `readEnd`, else the clock (which is also the
    /// `now` the driver schedules by).
    private func finish(_ slot: CurlSlot, result: TransferResult, readEnd: UInt64? = nil) {
        slot.state = .idle
        activeCount -= 1
        finishedCount &+= 1
        let now = MonotonicClock.now()
        var result = result
        result.endTime = min(readEnd ?? now, now)
        driver?.completed(slot: slot.index, result: result, now: now)
    }

    /// The wait's timeout (ms) for a pass: 0 with work pending or within the spin window before the driver's
    /// deadline (rounded down, so a scheduled send is never late for the wait); libcurl's timer rounded up (it
    /// counts in whole ms); at most 1 s. Also returns when a wait bounded by libcurl's timer is meant to end, so its
    /// lag counts from then.
    /// The third value says the timeout is zero only because the deadline is within the spin window (a spin pass).
    func waitTimeout(until deadline: UInt64?) -> (Int32, UInt64?, Bool) {
        if needsScan || abortRequested || endRequested || !source.failedSockets.isEmpty { return (0, nil, false) }
        let now = MonotonicClock.now()
        var timeout: UInt64 = 1000
        var spinning = false
        if let deadline {
            let wake = deadline > spinNanos ? deadline - spinNanos : 0
            timeout = wake <= now ? 0 : min(timeout, (wake - now) / 1_000_000)
            spinning = spinNanos > 0 && wake <= now && deadline > now
        }
        var waitEnd: UInt64?
        if let due = source.timerDue {
            let curlTimeout = due <= now ? 0 : (due - now + 999_999) / 1_000_000
            if curlTimeout <= timeout {
                timeout = curlTimeout
                waitEnd = now &+ curlTimeout &* 1_000_000
                if curlTimeout == 0 { spinning = false }
            }
        }
        return (Int32(timeout), waitEnd, spinning)
    }

    private func check(_ code: CURLMcode) throws(CurlError) {
        guard code == CURLM_OK else {
            throw CurlError(code: Int32(code.rawValue), message: String(cString: curl_multi_strerror(code)))
        }
    }
}

@available(*, unavailable)
extension CurlLoop: Sendable {}
