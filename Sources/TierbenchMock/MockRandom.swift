import TierbenchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: a small, fast, seedable generator. Each request gets its own stream derived from the seed and the
/// request's arrival number, so runs are reproducible and no lock is shared between requests.
struct MockRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    /// The stream for request number `sequence` under `seed`.
    init(seed: UInt64, sequence: UInt64) {
        var mixer = MockRandom(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        for _ in 0..<2 { _ = mixer.next() }
        self.state = mixer.next() &+ sequence &* 0x9E37_79B9_7F4A_7C15
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

    /// A standard normal sample (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A sample of `distribution` in seconds (never negative).
    mutating func sample(_ distribution: LatencyDistribution) -> Double {
        let mean = distribution.mean.seconds
        let stddev = distribution.stddev.seconds
        switch distribution.kind {
        case .constant:
            return max(0, mean)
        case .normal:
            return max(0, mean + stddev * gaussian())
        case .lognormal:
            guard mean > 0 else { return 0 }
            // Parameters of the underlying normal so that the lognormal has this mean and standard deviation.
            let variance = stddev * stddev
            let sigma2 = log(1 + variance / (mean * mean))
            let mu = log(mean) - sigma2 / 2
            return exp(mu + sigma2.squareRoot() * gaussian())
        }
    }

    /// 32 lowercase hex digits, as in `x-request-id: req_…`.
    mutating func hex32() -> String {
        let digits = ByteBufferHex.digits
        var bytes = [UInt8](repeating: 0, count: 32)
        for half in 0..<2 {
            var value = next()
            for index in 0..<16 {
                bytes[half * 16 + index] = digits[Int(value & 0xF)]
                value >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` base-62 characters, as in `chatcmpl-…` ids.
    mutating func base62(_ count: Int) -> String {
        let alphabet = ByteBufferHex.base62
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = alphabet[Int(next() % 62)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Character tables for ids.
enum ByteBufferHex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    static let base62: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
}
