import Synchronization

/// A one-way "stop now" flag shared by the load threads and whoever interrupts the run (SIGINT, a budget, an alert).
///
/// Setting it also wakes every registered curl loop so a thread blocked in `curl_multi_poll` notices at once.
final class StopSignal: Sendable {
    /// Why the run was stopped early.
    enum Reason: String, Sendable {
        case interrupted
        case aborted
        /// The target cannot serve any request (`FailFastRule`); `detail` says why.
        case hopeless
    }

    private let state = Mutex<(reason: Reason?, detail: String?, wakers: [@Sendable () -> Void])>((nil, nil, []))

    /// The reason, once `stop` was called.
    var reason: Reason? { state.withLock { $0.reason } }

    /// What the first stop said about its reason, e.g. the hopeless target's error.
    var detail: String? { state.withLock { $0.detail } }

    /// Whether `stop` was called.
    var isStopped: Bool { reason != nil }

    /// Registers a wake-up for a load loop; called when the loop's thread starts.
    func register(_ wake: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state -> Bool in
            state.wakers.append(wake)
            return state.reason != nil
        }
        if stopped { wake() }
    }

    /// A signal that stops when this one does (with its reason), and can also be stopped on its own without
    /// stopping this one: one run's signal under a sweep's interrupt.
    func child() -> StopSignal {
        let child = StopSignal()
        register { [weak child, unowned self] in
            guard let child, let reason = self.reason else { return }
            child.stop(reason, detail: self.detail)
        }
        return child
    }

    /// Stops the run (the first reason wins) and wakes every loop.
    func stop(_ reason: Reason, detail: String? = nil) {
        let wakers = state.withLock { state -> [@Sendable () -> Void] in
            if state.reason == nil {
                state.reason = reason
                state.detail = detail
            }
            return state.wakers
        }
        for wake in wakers { wake() }
    }
}
