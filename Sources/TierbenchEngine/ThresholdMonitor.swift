import Synchronization
import TierbenchCore

/// Watches a running test for `abort_on_fail` thresholds that can no longer pass, and stops the run when one
/// cannot. It polls the `LiveFeed` every `period` on a Swift task (never on a load thread) and applies only the
/// sound rules of `ThresholdEvaluator.canStillPass` (counters, and error rates of request-bounded runs).
final class ThresholdMonitor: Sendable {
    let thresholds: [Threshold]
    let feed: LiveFeed
    let plannedRequests: Int?
    let stop: StopSignal
    /// The threshold that stopped the run, when one did.
    private let verdict = Mutex<Threshold?>(nil)

    init(thresholds: [Threshold], feed: LiveFeed, plannedRequests: Int?, stop: StopSignal) {
        self.thresholds = thresholds
        self.feed = feed
        self.plannedRequests = plannedRequests
        self.stop = stop
    }

    /// The threshold that stopped the run, if any.
    var abortedBy: Threshold? { verdict.withLock { $0 } }

    /// Checks once; stops the run and returns true when a threshold can no longer pass.
    @discardableResult
    func check() -> Bool {
        let live = feed.merged().summaryJSON
        for threshold in thresholds
        where !ThresholdEvaluator.canStillPass(threshold, live: live, plannedRequests: plannedRequests) {
            verdict.withLock { $0 = $0 ?? threshold }
            stop.stop(.aborted)
            return true
        }
        return false
    }

    /// Polls until the run stops or the task is cancelled.
    func watch(period: Duration = .milliseconds(200)) async {
        while !Task.isCancelled, !stop.isStopped {
            try? await Task.sleep(for: period)
            if stop.isStopped || check() { return }
        }
    }
}
