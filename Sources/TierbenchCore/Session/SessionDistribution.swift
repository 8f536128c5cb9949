import Foundation

/// A seeded distribution of a non-negative number (`dist`, `mean`, `stddev`, `max` in a scenario's `sessions:`
/// section): turns per session, tokens per user message, think time in seconds.
///
/// - `constant`: always `mean`.
/// - `normal`: mean and standard deviation, negative draws clamped to 0.
/// - `lognormal`: a log-normal with this arithmetic mean and standard deviation
///   (σ² = ln(1 + stddev²/mean²), μ = ln(mean) − σ²/2).
/// - `exponential`: mean `mean` (stddev is ignored).
/// Every draw is clamped to `[0, max]` when `max` is set.
public struct SessionDistribution: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case constant, normal, lognormal, exponential
    }

    public var kind: Kind
    public var mean: Double
    public var stddev: Double
    public var max: Double?

    public init(kind: Kind, mean: Double, stddev: Double = 0, max: Double? = nil) {
        self.kind = kind
        self.mean = mean
        self.stddev = stddev
        self.max = max
    }

    /// A distribution that always gives `value`.
    public static func constant(_ value: Double) -> SessionDistribution { .init(kind: .constant, mean: value) }

    /// One draw, clamped to `[0, max]`; never NaN or infinite.
    public func sample(_ random: inout SplitMix64) -> Double {
        var value: Double
        switch kind {
        case .constant:
            value = mean
        case .normal:
            value = random.normal(mean: mean, stddev: stddev)
        case .lognormal:
            guard mean > 0 else { return 0 }
            let sigma2 = log(1 + (stddev * stddev) / (mean * mean))
            let mu = log(mean) - sigma2 / 2
            value = exp(mu + sigma2.squareRoot() * random.nextGaussian())
        case .exponential:
            value = random.nextExponential(mean: mean)
        }
        if !value.isFinite { value = mean }
        value = Swift.max(0, value)
        if let max { value = Swift.min(value, max) }
        return value
    }

    /// One draw rounded to an integer in `[lower, upper]`.
    public func sampleInt(_ random: inout SplitMix64, lower: Int, upper: Int) -> Int {
        let value = sample(&random).rounded()
        guard value.isFinite else { return lower }
        if value <= Double(lower) { return lower }
        if value >= Double(upper) { return upper }
        return Int(value)
    }
}
