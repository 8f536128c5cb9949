import Synchronization
import TierbenchCore

/// The mock's seeded prefix-cache model (docs/mock.md, "Prefix cache"), shared by every event loop.
///
/// Each model has its own blocks (as each deployment has its own KV cache): the chain starts from the seed and the
/// model id. A prompt is a sequence of segments (a chat message with its framing tokens, the reply's priming tokens, a
/// completions prompt), each a token count and a content hash. It is cut into blocks of `blockTokens` tokens; a
/// block's key hashes the previous block's key (the first: the seed) with the (segment hash, offset, length) pieces
/// it covers, so two prompts share a block key exactly when they share every segment piece up to the block's end —
/// vLLM's and Mooncake's chained block hashes at the granularity of whole messages. Only full blocks are keyed.
///
/// `lookUpAndInsert` answers a request's cached tokens (its leading blocks found × `blockTokens`, at most
/// `⌊(promptTokens − 1) / blockTokens⌋ × blockTokens` as vLLM recomputes the last token, 0 when below `minTokens`) and then makes all its blocks the most recently used, the last block first so that, past capacity,
/// a prompt loses its deepest blocks before its prefix (as vLLM frees blocks). One mutex, held for O(blocks) LRU
/// steps per request; the keys are hashed outside it, into a temporary (stack) buffer.
final class PrefixCache: Sendable {
    let settings: MockPrefixCacheSettings
    let seed: UInt64
    /// Each catalog model's chain seed (`seed` mixed with the model id), computed once; other ids are hashed per call.
    private let modelSeeds: [String: UInt64]

    private let lru: Mutex<BlockLRU>

    /// - Parameter models: the ids requests name (catalog ids and snapshots), whose chain seeds are precomputed.
    init(settings: MockPrefixCacheSettings, seed: UInt64, models: [String] = []) {
        self.settings = settings
        self.seed = seed
        var modelSeeds: [String: UInt64] = [:]
        for model in models { modelSeeds[model] = Self.modelSeed(seed: seed, model: model) }
        self.modelSeeds = modelSeeds
        self.lru = Mutex(BlockLRU(capacity: settings.capacityBlocks))
    }

    /// The chain seed of `model`'s blocks: `seed` xor a hash of the model id.
    static func modelSeed(seed: UInt64, model: String) -> UInt64 {
        var modelHash = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
        for byte in model.utf8 { modelHash.combine(UInt64(byte)) }
        return seed ^ modelHash.hash
    }

    /// Cached tokens of a prompt made of `segments`, then stores its blocks. Prompts shorter than `minTokens` are
    /// neither looked up nor stored. The block keys are hashed before the mutex is taken (into a stack buffer for
    /// ordinary prompts), so the lock covers only the LRU's lookups and touches.
    func lookUpAndInsert(_ segments: some Collection<PromptMeasure>, model: String) -> Int {
        let promptTokens = segments.reduce(0) { $0 &+ $1.tokens }
        let blockTokens = settings.blockTokens
        guard promptTokens >= settings.minTokens, promptTokens >= blockTokens, blockTokens > 0 else { return 0 }
        let seed = modelSeeds[model] ?? Self.modelSeed(seed: self.seed, model: model)
        let blocks = promptTokens / blockTokens
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blocks) { keys in
            var count = 0
            Self.forEachBlockKey(segments, blockTokens: blockTokens, seed: seed) { key in
                guard count < keys.count else { return }
                keys.initializeElement(at: count, to: key)
                count += 1
            }
            let hits = lru.withLock { lru in
                var hits = 0
                while hits < count, lru.contains(keys[hits]) { hits += 1 }
                for index in stride(from: count - 1, through: 0, by: -1) { lru.touch(keys[index]) }
                return hits
            }
            // Like vLLM, the last prompt token is always recomputed (it yields the first output token).
            let cached = min(hits * blockTokens, (promptTokens - 1) / blockTokens * blockTokens)
            return cached >= settings.minTokens ? cached : 0
        }
    }

    /// Blocks held now.
    var blockCount: Int { lru.withLock { $0.count } }

    /// Calls `body` with the key of each full block of the prompt, first to last; `seed` starts the chain.
    static func forEachBlockKey(
        _ segments: some Collection<PromptMeasure>, blockTokens: Int, seed: UInt64, _ body: (UInt64) -> Void
    ) {
        guard blockTokens > 0 else { return }
        var key = mix(seed ^ 0x7072_6566_6978_6B76)  // "prefixkv"
        var block = emptyBlock
        var filled = 0
        for segment in segments {
            var offset = 0
            while offset < segment.tokens {
                let take = min(segment.tokens - offset, blockTokens - filled)
                block = mix(mix(mix(block ^ segment.hash) ^ UInt64(offset)) ^ UInt64(take))
                offset += take
                filled += take
                if filled == blockTokens {
                    key = mix(key ^ block)
                    body(key)
                    block = emptyBlock
                    filled = 0
                }
            }
        }
    }

    private static let emptyBlock: UInt64 = 0x6A09_E667_F3BC_C908

    /// SplitMix64's finalizer: a bijective 64-bit mix.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
