import Foundation

/// SplitMix64: a small, fast, seedable generator, so the same seed always gives the same synthetic prompts.
struct PromptRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A normal(mean, stddev) draw (Box–Muller).
    mutating func normal(mean: Double, stddev: Double) -> Double {
        guard stddev > 0 else { return mean }
        let u1 = max(unit(), Double.leastNonzeroMagnitude)
        let u2 = unit()
        let magnitude = (-2 * log(u1)).squareRoot()
        return mean + stddev * magnitude * cos(2 * Double.pi * u2)
    }
}
