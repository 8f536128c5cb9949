internal import CCurl
import TierbenchCore

extension CurlLoop {
    /// The epoll pass (``CurlLoopMode/epoll``): `epoll_wait` on the sockets libcurl asked for (``CurlEventSource``),
    /// `curl_multi_socket_action` per ready socket, then for libcurl's timer if due. A pass costs O(ready sockets).
    func runEpollPasses(_ driver: some CurlDriver) {
        var pass = PassState()
        while openPass(driver, &pass) {
            let (timeout, waitEnd, spinning) = waitTimeout(until: pass.deadline)
            if spinning, pass.spinMark == nil { pass.spinMark = ThreadCPUClock.now() }
            guard let count = source.wait(timeoutMs: timeout) else {
                // The epoll set is unusable: end every transfer (reported as aborted) and stop, with the reason.
                failure = source.waitFailure ?? "epoll_wait failed"
                abortAll()
                return
            }
            let woke = MonotonicClock.now()
            readTime = woke
            passes &+= 1
            var sockets = 0
            var woken = false
            insideLibcurl = true
            var running: Int32 = 0
            for index in 0..<count {
                let event = source.events[index]
                let fd = event.data.fd
                if fd == source.wakeFD {
                    source.drainWakeups()
                    woken = true
                    continue
                }
                guard source.takeIfWanted(fd) else { continue }
                sockets += 1
                _ = curl_multi_socket_action(multi, fd, CurlEventSource.actionMask(event.events), &running)
            }
            // Sockets the epoll set refused (ENOMEM, ENOSPC, EPERM): libcurl fails their transfers instead of
            // waiting for readiness that can never come.
            while let fd = source.failedSockets.popLast() {
                sockets += 1
                _ = curl_multi_socket_action(multi, fd, CURL_CSELECT_ERR, &running)
            }
            insideLibcurl = false
            // Completions first (a closed-loop worker starts its next request from them, which sets a zero timer),
            // then libcurl's timer while it is due, then completions again.
            let readStart = sockets > 0 ? woke : nil
            let rounds = settle(readEnd: readStart) {
                fireTimerIfDue(waitEnd: waitEnd, lag: &pass.lag, running: &running)
            }
            closePass(&pass, readStart: readStart, spinning: spinning, woken: woken, rounds: rounds)
            if driver.isFinished && activeCount == 0 { return }
        }
    }
}
