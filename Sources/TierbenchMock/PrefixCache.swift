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
/// a prompt loses its deepest blocks before its prefix (as vLLM frees blocks). One mutex, O(blocks + segments) per
/// request, no allocation once the scratch buffer has grown to the longest prompt.
final class PrefixCache: Sendable {
    let settings: MockPrefixCacheSettings
    let seed: UInt64

    private struct State {
        var lru: BlockLRU
        /// The current request's block keys, reused between requests.
        var scratch: [UInt64] = []
    }

    private let state: Mutex<State>

    init(settings: MockPrefixCacheSettings, seed: UInt64) {
        self.settings = settings
        self.seed = seed
        self.state = Mutex(State(lru: BlockLRU(capacity: settings.capacityBlocks)))
    }

    /// Cached tokens of a prompt made of `segments`, then stores its blocks. Prompts shorter than `minTokens` are
    /// neither looked up nor stored.
    func lookUpAndInsert(_ segments: some Collection<PromptMeasure>, model: String) -> Int {
        let promptTokens = segments.reduce(0) { $0 &+ $1.tokens }
        guard promptTokens >= settings.minTokens, promptTokens >= settings.blockTokens else { return 0 }
        let blockTokens = settings.blockTokens
        var modelHash = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
        for byte in model.utf8 { modelHash.combine(UInt64(byte)) }
        let seed = self.seed ^ modelHash.hash
        return state.withLock { state in
            state.scratch.removeAll(keepingCapacity: true)
            Self.forEachBlockKey(segments, blockTokens: blockTokens, seed: seed) { state.scratch.append($0) }
            var hits = 0
            while hits < state.scratch.count, state.lru.contains(state.scratch[hits]) { hits += 1 }
            for key in state.scratch.reversed() { state.lru.touch(key) }
            // Like vLLM, the last prompt token is always recomputed (it yields the first output token).
            let cached = min(hits * blockTokens, (promptTokens - 1) / blockTokens * blockTokens)
            return cached >= settings.minTokens ? cached : 0
        }
    }

    /// Blocks held now.
    var blockCount: Int { state.withLock { $0.lru.count } }

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
