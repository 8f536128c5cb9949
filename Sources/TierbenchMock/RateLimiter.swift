import Synchronization
import TierbenchCore

/// The `x-ratelimit-*` values of one response, in real units.
struct BucketHeaders: Sendable, Equatable {
    var limitRequests: Int?
    var remainingRequests: Int?
    /// Real seconds until the reported request bucket is full.
    var resetRequests: Double?
    var limitTokens: Int?
    var remainingTokens: Int?
    /// Real seconds until the reported token bucket is full.
    var resetTokens: Double?
}

/// Which limit refused a request, with the numbers OpenAI's 429 message quotes.
struct RateLimitDenial: Sendable, Equatable {
    var dimension: RateDimension
    var limit: Int
    var used: Int
    var requested: Int
    /// Real seconds until the request would fit.
    var waitSeconds: Double
    /// The request alone exceeds the limit ("Request too large"): it can never succeed.
    var tooLarge: Bool
}

/// The four limits OpenAI applies per organization and model.
enum RateDimension: Int, Sendable, CaseIterable {
    case rpm, rpd, tpm, tpd

    /// Window length in real seconds.
    var window: Double { self == .rpm || self == .tpm ? 60 : 86_400 }
    var countsTokens: Bool { self == .tpm || self == .tpd }
    /// How the real 429 message names it.
    var phrase: String {
        switch self {
        case .rpm: return "requests per min (RPM)"
        case .rpd: return "requests per day (RPD)"
        case .tpm: return "tokens per min (TPM)"
        case .tpd: return "tokens per day (TPD)"
        }
    }
}

/// The buckets of one (API key, model): a Mutex guards just this group, so different keys never contend.
final class RateBucketGroup: Sendable {
    private struct State {
        var buckets: [RateBucket?]
        /// Monotonic nanoseconds of the last refill.
        var lastRefill: UInt64
    }

    private let state: Mutex<State>
    private let timeScale: Double

    /// - Parameter initialFill: starting level of the per-minute buckets as a fraction of their limit (per-day
    ///   buckets start full).
    init(limits: RateLimits, timeScale: Double, now: UInt64, initialFill: Double = 1) {
        let values = [limits.rpm, limits.rpd, limits.tpm, limits.tpd]
        let buckets = RateDimension.allCases.map { dimension in
            values[dimension.rawValue].map {
                RateBucket(limit: $0, window: dimension.window, initialFill: dimension.window == 60 ? initialFill : 1)
            }
        }
        self.state = Mutex(State(buckets: buckets, lastRefill: now))
        self.timeScale = timeScale
    }

    /// Admits (and charges) one request costing `tokens`, or says which limit refused it. Refused requests are not
    /// charged. Returns the headers to send either way.
    func admit(tokens: Int, now: UInt64) -> (BucketHeaders, RateLimitDenial?) {
        state.withLock { state in
            refill(&state, now: now)
            var denial: RateLimitDenial?
            // A request bigger than a whole bucket can never pass: "Request too large", whatever else applies.
            for dimension in RateDimension.allCases {
                guard let bucket = state.buckets[dimension.rawValue] else { continue }
                let cost = dimension.countsTokens ? tokens : 1
                if cost > bucket.limit {
                    denial = RateLimitDenial(
                        dimension: dimension, limit: bucket.limit, used: bucket.used, requested: cost, waitSeconds: 0,
                        tooLarge: true)
                    break
                }
            }
            for dimension in RateDimension.allCases where denial == nil {
                guard let bucket = state.buckets[dimension.rawValue] else { continue }
                let cost = dimension.countsTokens ? tokens : 1
                if !bucket.admits(cost) {
                    denial = RateLimitDenial(
                        dimension: dimension, limit: bucket.limit, used: bucket.used, requested: cost,
                        waitSeconds: bucket.secondsUntilAdmits(cost), tooLarge: false)
                }
            }
            if denial == nil {
                for dimension in RateDimension.allCases where state.buckets[dimension.rawValue] != nil {
                    state.buckets[dimension.rawValue]?.consume(dimension.countsTokens ? tokens : 1)
                }
            }
            return (Self.headers(state.buckets), denial)
        }
    }

    /// Returns `tokens` reserved but not used to the token buckets.
    func refund(tokens: Int, now: UInt64) {
        guard tokens > 0 else { return }
        state.withLock { state in
            refill(&state, now: now)
            state.buckets[RateDimension.tpm.rawValue]?.refund(tokens)
            state.buckets[RateDimension.tpd.rawValue]?.refund(tokens)
        }
    }

    /// The headers as of `now`, without charging anything.
    func peek(now: UInt64) -> BucketHeaders {
        state.withLock { state in
            refill(&state, now: now)
            return Self.headers(state.buckets)
        }
    }

    private func refill(_ state: inout State, now: UInt64) {
        guard now > state.lastRefill else { return }
        let realSeconds = Double(now - state.lastRefill) / 1e9 * timeScale
        state.lastRefill = now
        for index in state.buckets.indices { state.buckets[index]?.refill(realSeconds: realSeconds) }
    }

    /// Requests report the daily bucket when there is one (as observed on the free tier), tokens the minute bucket.
    private static func headers(_ buckets: [RateBucket?]) -> BucketHeaders {
        var headers = BucketHeaders()
        if let requests = buckets[RateDimension.rpd.rawValue] ?? buckets[RateDimension.rpm.rawValue] {
            headers.limitRequests = requests.limit
            headers.remainingRequests = requests.remaining
            headers.resetRequests = requests.secondsUntilFull
        }
        if let tokens = buckets[RateDimension.tpm.rawValue] ?? buckets[RateDimension.tpd.rawValue] {
            headers.limitTokens = tokens.limit
            headers.remainingTokens = tokens.remaining
            headers.resetTokens = tokens.secondsUntilFull
        }
        return headers
    }
}

/// Rate limiting per (API key, model) with the tier presets and overrides of `MockSettings`.
final class RateLimiter: Sendable {
    private struct Key: Hashable {
        var apiKey: String
        var model: String
    }

    private let groups = Mutex<[Key: RateBucketGroup]>([:])
    private let limitsByModel: Mutex<[String: RateLimits]>
    private let catalog: TierCatalog
    private let settings: MockSettings

    init(catalog: TierCatalog, settings: MockSettings) {
        self.catalog = catalog
        self.settings = settings
        self.limitsByModel = Mutex([:])
    }

    /// The effective limits for `model`.
    func limits(for model: String) -> RateLimits {
        if let cached = limitsByModel.withLock({ $0[model] }) { return cached }
        let limits = catalog.limits(for: model, settings: settings)
        limitsByModel.withLock { $0[model] = limits }
        return limits
    }

    /// The bucket group of (apiKey, model), or nil when no limit applies to the model.
    func group(apiKey: String, model: String, now: UInt64) -> RateBucketGroup? {
        let key = Key(apiKey: apiKey, model: model)
        if let group = groups.withLock({ $0[key] }) { return group }
        let limits = self.limits(for: model)
        guard !limits.isEmpty else { return nil }
        let fresh = RateBucketGroup(
            limits: limits, timeScale: settings.timeScale, now: now, initialFill: settings.initialFill)
        return groups.withLock { groups in
            if let existing = groups[key] { return existing }
            groups[key] = fresh
            return fresh
        }
    }

    /// Forgets every bucket (they start again at `initialFill`).
    func reset() {
        groups.withLock { $0.removeAll() }
    }
}
