import Synchronization

/// `budget.max_usd` shared by every load thread: each new request reserves its estimated cost before it is sent and
/// settles to the cost of its actual usage when it ends, so the spend never passes the budget by more than the
/// estimates under-guessed.
final class SpendBudget: Sendable {
    /// The limit in USD.
    let maxUSD: Double
    private let state = Mutex<(spent: Double, reserved: Double, stopped: Bool)>((0, 0, false))

    init(maxUSD: Double) {
        self.maxUSD = maxUSD
    }

    /// Reserves `estimate` USD for a request about to be sent; false (and the budget stops for good) when spent +
    /// reserved + estimate would pass the limit.
    func reserve(_ estimate: Double) -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            guard state.spent + state.reserved + estimate <= maxUSD else {
                state.stopped = true
                return false
            }
            state.reserved += estimate
            return true
        }
    }

    /// Replaces a request's reservation with what its usage actually cost.
    func settle(reserved estimate: Double, actual: Double) {
        state.withLock { state in
            state.reserved = max(0, state.reserved - estimate)
            state.spent += actual
        }
    }

    /// USD spent by finished requests.
    var spentUSD: Double { state.withLock { $0.spent } }

    /// Whether sending stopped because the next request would have passed the budget.
    var stopped: Bool { state.withLock { $0.stopped } }
}
