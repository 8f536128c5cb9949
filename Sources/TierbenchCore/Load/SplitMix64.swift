import Foundation

/// A small, fast, seedable random number generator (SplitMix64, Steele et al. 2014).
///
/// Everything random in tierbench — arrival times, backoff jitter, synthetic prompts, the mock's latency samples and
/// faults — draws from one of these with a seed, so a run can be repeated exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in (0, 1]: safe to take the logarithm of.
    @inline(__always)
    public mutating func nextOpenUnit() -> Double {
        1 - nextUnit()
    }

    /// A standard normal sample (Box–Muller; one of the pair is discarded to keep the state a single word).
    public mutating func nextGaussian() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A normal(mean, stddev) draw (Box–Muller on two uniform draws; the synthetic prompt lengths use it).
    public mutating func normal(mean: Double, stddev: Double) -> Double {
        guard stddev > 0 else { return mean }
        let u1 = max(nextUnit(), Double.leastNonzeroMagnitude)
        let u2 = nextUnit()
        return mean + stddev * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An exponential sample with the given mean.
    public mutating func nextExponential(mean: Double) -> Double {
        -log(nextOpenUnit()) * mean
    }

    /// A gamma(shape k, scale θ) sample (Marsaglia–Tsang; boosted for k < 1). Mean k·θ, variance k·θ².
    public mutating func nextGamma(shape: Double, scale: Double) -> Double {
        if shape < 1 {
            // Gamma(k) = Gamma(k + 1) · U^(1/k)
            return nextGamma(shape: shape + 1, scale: scale) * pow(nextOpenUnit(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v * scale }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v * scale }
        }
    }
}
