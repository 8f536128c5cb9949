import Synchronization
import TierbenchCore

/// The outcome of one API request, recorded once when its response is decided.
struct RequestRecord: Sendable {
    var route: MockRoute
    /// HTTP status, or nil when the connection was reset or hung.
    var status: Int?
    var rateLimitType: String?
    var fault: String?
    var prompts = 0
    var choices = 0
    var promptTokens = 0
    /// Prompt tokens the prefix cache held (`usage.prompt_tokens_details.cached_tokens`).
    var cachedTokens = 0
    var completionTokens = 0
    var streamed = false
    var retry = false
    var spendUSD = 0.0
}

/// Thread-safe counters behind `MockStats`: one short lock per request.
final class StatsRecorder: Sendable {
    private struct State {
        var stats = MockStats()
        var since = MonotonicClock.now()
        var byStatus: [Int: Int] = [:]
        var byRoute = [Int](repeating: 0, count: MockRoute.labels.count)
    }

    private let state = Mutex(State())
    private let inFlight = Atomic<Int>(0)
    private let maxInFlight = Atomic<Int>(0)

    /// Marks a request as started; returns the in-flight count including it.
    @discardableResult
    func begin() -> Int {
        let now = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        var seen = maxInFlight.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = maxInFlight.compareExchange(
                expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
        return now
    }

    /// Marks a request as finished (its body fully written or abandoned).
    func end() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Adds one request's outcome.
    func record(_ record: RequestRecord) {
        state.withLock { state in
            state.stats.requests += 1
            state.byRoute[record.route.labelIndex] += 1
            if let status = record.status {
                state.byStatus[status, default: 0] += 1
                if (200..<300).contains(status) { state.stats.succeeded += 1 }
                if status == 429 { state.stats.rateLimited += 1 }
            }
            if let type = record.rateLimitType { state.stats.rateLimitedByType[type, default: 0] += 1 }
            if let fault = record.fault { state.stats.faults[fault, default: 0] += 1 }
            state.stats.prompts &+= record.prompts
            state.stats.choices &+= record.choices
            state.stats.promptTokens &+= record.promptTokens
            state.stats.completionTokens &+= record.completionTokens
            state.stats.totalTokens &+= record.promptTokens &+ record.completionTokens
            state.stats.cachedTokens &+= record.cachedTokens
            if record.streamed { state.stats.streams += 1 }
            if record.retry { state.stats.retries += 1 }
            state.stats.spendUSD += record.spendUSD
        }
    }

    /// Counts a fault that does not decide the response (slow first byte, freeze).
    func recordFault(_ label: String) {
        state.withLock { $0.stats.faults[label, default: 0] += 1 }
    }

    /// Counts a connection the mock closed for a limit (`MockStats.connectionsClosed`).
    func recordClosed(_ reason: String) {
        state.withLock { $0.stats.connectionsClosed[reason, default: 0] += 1 }
    }

    /// Total spend so far in USD (for the spend budget).
    var spendUSD: Double { state.withLock { $0.stats.spendUSD } }

    /// A snapshot; `queued` comes from the capacity gate.
    func snapshot(queued: Int) -> MockStats {
        let live = inFlight.load(ordering: .relaxed)
        return state.withLock { state in
            var stats = state.stats
            stats.byStatus = Dictionary(uniqueKeysWithValues: state.byStatus.map { (String($0.key), $0.value) })
            for (index, count) in state.byRoute.enumerated() where count > 0 {
                stats.byRoute[MockRoute.labels[index], default: 0] += count
            }
            stats.elapsedSeconds = Double(MonotonicClock.now() - state.since) / 1e9
            stats.inFlight = live
            stats.maxInFlight = maxInFlight.load(ordering: .relaxed)
            stats.queued = queued
            return stats
        }
    }

    /// Starts counting afresh (in-flight requests stay counted as in flight).
    func reset() {
        let live = inFlight.load(ordering: .relaxed)
        state.withLock { state in state = State() }
        maxInFlight.store(live, ordering: .relaxed)
    }
}
