import TierbenchCore
import TierbenchCurl

/// What a `SessionDriver` hands on: ended sessions into the statistics and `sessions.jsonl`, its counters to the live
/// feed, and streams that sent `[DONE]` but keep their body open.
extension SessionDriver {
    /// Takes the sessions that ended into the statistics and `sessions.jsonl`, and notes the active count.
    func drainEnded(now: UInt64) {
        let ended = scheduler.takeEnded()
        for var record in ended {
            record.start &+= origin ?? 0
            record.end &+= origin ?? 0
            record.warmup = record.start < stats.warmupNanos
            stats.recordSession(record)
            // Live counters agree with tierbench_requests_total and the summary: warmup sessions are left out.
            if !record.warmup { liveOutcomes.add(record.outcome) }
            conversations[record.number] = nil
            if sessionLog != nil {
                sessionBuffer.append(contentsOf: record.jsonLine(runStartUnixNanos: runStartUnixNanos).utf8)
                sessionBuffer.append(UInt8(ascii: "\n"))
            }
        }
        let newlyStarted = scheduler.started - startedSeen
        startedSeen = scheduler.started
        if newlyStarted > 0 || !ended.isEmpty {
            stats.noteActive(scheduler.activeCount, at: now &- runStart, newlyStarted: newlyStarted)
        }
        if let sessionLog, sessionBuffer.count >= RequestLogWriter.flushThreshold { sessionLog.flush(&sessionBuffer) }
    }

    func publish(now: UInt64, inFlight: Int) {
        var counters = LiveCounters(recorder: recorder, inFlight: inFlight)
        counters.sessionsActive = scheduler.activeCount
        counters.sessionsStarted = scheduler.startedMeasured
        counters.sessionOutcomes = liveOutcomes
        live?.publish(thread: 0, counters)
        nextPublish = now &+ LiveFeed.publishIntervalNanos
    }

    func endFinishedStreams(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        guard pendingStreamEnds > 0 else { return nil }
        var next: UInt64?
        for slot in doneAt.indices {
            guard let done = doneAt[slot] else { continue }
            let deadline = done &+ LoadDriver.streamCloseGraceNanos
            if deadline <= now {
                loop.endTransfer(slot: slot)
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        return next
    }
}
