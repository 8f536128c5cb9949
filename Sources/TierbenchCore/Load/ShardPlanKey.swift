/// The `plan_key` of a sharded run: a 128-bit FNV-1a digest (32 hex digits) of the unsharded scenario as run
/// (canonical JSON: defaults filled in, seed and overrides included) and the shard count. Every shard of one plan
/// computes the same key; `tierbench merge` refuses shards whose keys differ.
///
/// Not a cryptographic hash: it detects mismatched shards, not tampering.
public enum ShardPlanKey {
    /// - Parameter canonicalScenario: The scenario as run, serialised deterministically (sorted keys).
    public static func make(canonicalScenario: String, count: Int) -> String {
        digest(canonicalScenario + "\nshards=\(count)")
    }

    /// FNV-1a 128 of `text`'s UTF-8 bytes, as 32 lowercase hex digits.
    public static func digest(_ text: String) -> String {
        var digest = FNV1a128()
        digest.add(text.utf8)
        return digest.hex
    }
}

/// FNV-1a with 128-bit state (offset basis 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 2^8 + 0x3b).
struct FNV1a128 {
    private var high: UInt64 = 0x6c62_272e_07bb_0142
    private var low: UInt64 = 0x62b8_2175_6295_c58d
    private static let primeHigh: UInt64 = 1 << 24
    private static let primeLow: UInt64 = 0x13b

    mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            low ^= UInt64(byte)
            // (high·2^64 + low) × (primeHigh·2^64 + primeLow) mod 2^128.
            let (carry, product) = low.multipliedFullWidth(by: Self.primeLow)
            high = carry &+ high &* Self.primeLow &+ low &* Self.primeHigh
            low = product
        }
    }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [high, low] {
            for shift in Swift.stride(from: 60, through: 0, by: -4) {
                out.append(digits[Int((word >> UInt64(shift)) & 0xf)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
