internal import CCurl
import TierbenchCore

extension CurlLoop {
    /// The poll pass (``CurlLoopMode/poll``), the plain libcurl multi loop: `curl_multi_poll` on every transfer's
    /// socket and the waker's eventfd, then one `curl_multi_perform` for all of them. A pass costs O(transfers), but
    /// libcurl keeps no socket or timer bookkeeping for the application and asks for no `epoll_ctl`.
    func runPollPasses(_ driver: some CurlDriver) {
        var pass = PassState()
        var running: Int32 = 0
        var wake = curl_waitfd(fd: source.wakeFD, events: Int16(CURL_WAIT_POLLIN), revents: 0)
        while openPass(driver, &pass) {
            var (timeout, _, spinning) = waitTimeout(until: pass.deadline)
            // `curl_multi_poll` also wakes for libcurl's own timer: a wait it ends counts its lag from then.
            var curlTimeout = -1
            _ = curl_multi_timeout(multi, &curlTimeout)
            var waitEnd: UInt64? = nil
            if curlTimeout >= 0, curlTimeout <= Int(timeout) {
                waitEnd = MonotonicClock.now() &+ UInt64(curlTimeout) &* 1_000_000
                if curlTimeout == 0 { spinning = false }
            }
            if spinning, pass.spinMark == nil { pass.spinMark = ThreadCPUClock.now() }
            wake.revents = 0
            var ready: Int32 = 0
            let code = curl_multi_poll(multi, &wake, 1, timeout, &ready)
            guard code == CURLM_OK else {
                // The loop cannot wait any more: end every transfer (reported as aborted) and stop, with the reason.
                failure = "curl_multi_poll failed: " + String(cString: curl_multi_strerror(code))
                abortAll()
                return
            }
            let woke = MonotonicClock.now()
            readTime = woke
            passes &+= 1
            let woken = wake.revents != 0
            if woken { source.drainWakeups() }
            if let waitEnd, woke > waitEnd { pass.lag = max(pass.lag ?? 0, woke - waitEnd) }
            perform(&running)
            // Transfers started from this pass's completions (or deferred from inside the perform) go out at once,
            // with one more perform.
            let readStart = Int(ready) > (woken ? 1 : 0) ? woke : nil
            let rounds = settle(readEnd: readStart) {
                guard addedSinceDrive else { return false }
                perform(&running)
                return true
            }
            closePass(&pass, readStart: readStart, spinning: spinning, woken: woken, rounds: rounds)
            if driver.isFinished && activeCount == 0 { return }
        }
    }

    /// One `curl_multi_perform`: reads and writes every transfer that can, sends the ones just added.
    private func perform(_ running: inout Int32) {
        addedSinceDrive = false
        insideLibcurl = true
        _ = curl_multi_perform(multi, &running)
        insideLibcurl = false
    }
}
