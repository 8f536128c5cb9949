import Foundation
import Testing

@testable import TierbenchMock
@testable import TierbenchCore

extension MockTests {
    /// The seeded prefix-cache model (`PrefixCache`, `BlockLRU`): exact cached tokens for hand-computed sequences.
    @Suite struct PrefixCacheTests {
        /// A chat message segment of `tokens` tokens (framing included), identified by `id`.
        static func message(_ id: UInt64, tokens: Int) -> PromptMeasure { PromptMeasure(tokens: tokens, hash: id) }
        static let reply = PromptMeasure(tokens: 3, hash: ChatRequest.replySegmentHash)

        /// 16-token blocks, hits from 32 tokens, 8 blocks (128 tokens) held.
        static func cache(minTokens: Int = 32, capacityTokens: Int = 128) -> PrefixCache {
            PrefixCache(
                settings: MockPrefixCacheSettings(blockTokens: 16, minTokens: minTokens, capacityTokens: capacityTokens),
                seed: 7)
        }

        @Test func repeatedExtendedEvictedAndShortPrompts() {
            let cache = Self.cache()
            let m1 = Self.message(1, tokens: 64), m2 = Self.message(2, tokens: 32), m3 = Self.message(3, tokens: 64)
            let a = [m1, Self.reply]  // 67 tokens: blocks A0…A3 (all inside m1), 3 tokens left over
            let b = [m1, m2, Self.reply]  // 99 tokens: A0…A3, then B4, B5 (inside m2); 3 left over
            let c = [m3, Self.reply]  // 67 tokens: C0…C3

            #expect(cache.lookUpAndInsert(a, model: "m") == 0)  // empty cache; holds A0…A3 (newest first: A0 A1 A2 A3)
            #expect(cache.lookUpAndInsert(a, model: "m") == 64)  // A0…A3 found
            #expect(cache.lookUpAndInsert(b, model: "m") == 64)  // A0…A3 found, B4 missing; holds A0 A1 A2 A3 B4 B5
            #expect(cache.blockCount == 6)
            // C's 4 blocks fill the cache and evict the two least recent, B5 and B4: C0 C1 C2 C3 A0 A1 A2 A3.
            #expect(cache.lookUpAndInsert(c, model: "m") == 0)
            #expect(cache.blockCount == 8)
            // B: A0…A3 found, B4 gone. Touching B5 B4 A3 A2 A1 A0 evicts C3 and C2 in the end:
            // A0 A1 A2 A3 B4 B5 C0 C1.
            #expect(cache.lookUpAndInsert(b, model: "m") == 64)
            // C: C0 C1 found, C2 evicted: 32 tokens.
            #expect(cache.lookUpAndInsert(c, model: "m") == 32)
            // A prompt below min_tokens (26 < 32) is neither looked up nor stored.
            let short = [Self.message(9, tokens: 23), Self.reply]
            #expect(cache.lookUpAndInsert(short, model: "m") == 0)
            #expect(cache.lookUpAndInsert(short, model: "m") == 0)
        }

        @Test func aHitBelowMinTokensCountsAsZero() {
            let cache = Self.cache(minTokens: 48)
            let m1 = Self.message(1, tokens: 40)
            // 40 + 3 = 43 < 48: not stored.
            #expect(cache.lookUpAndInsert([m1, Self.reply], model: "m") == 0)
            // 40 + 20 + 3 = 63 ≥ 48: stores 3 blocks (48 tokens), none found.
            #expect(cache.lookUpAndInsert([m1, Self.message(2, tokens: 20), Self.reply], model: "m") == 0)
            // 40 + 30 + 3 = 73: the first two blocks (tokens 0…31, inside m1) are found; 32 < 48 counts as 0.
            #expect(cache.lookUpAndInsert([m1, Self.message(3, tokens: 30), Self.reply], model: "m") == 0)
            // The same prompt again: its 4 blocks (64 tokens) are found.
            #expect(cache.lookUpAndInsert([m1, Self.message(3, tokens: 30), Self.reply], model: "m") == 64)
        }

        @Test func theLastTokenIsAlwaysRecomputed() {
            let cache = Self.cache()
            // Exactly 4 full blocks (64 tokens): all held after the first request, but a hit stops at
            // ⌊(64 − 1) / 16⌋ × 16 = 48 tokens, like vLLM.
            let exact = [Self.message(1, tokens: 64)]
            #expect(cache.lookUpAndInsert(exact, model: "m") == 0)
            #expect(cache.blockCount == 4)
            #expect(cache.lookUpAndInsert(exact, model: "m") == 48)
            // One token more: 65 tokens, the 4 blocks count in full.
            #expect(cache.lookUpAndInsert([Self.message(1, tokens: 64), Self.message(2, tokens: 1)], model: "m") == 64)
        }

        @Test func aPromptLongerThanTheCacheKeepsItsPrefix() {
            let cache = Self.cache(capacityTokens: 64)  // 4 blocks
            let long = [Self.message(1, tokens: 200), Self.reply]  // 12 full blocks
            #expect(cache.lookUpAndInsert(long, model: "m") == 0)
            #expect(cache.blockCount == 4)
            #expect(cache.lookUpAndInsert(long, model: "m") == 64)  // the first 4 blocks stayed; the deeper ones were evicted
            #expect(cache.lookUpAndInsert(long, model: "other") == 0)  // another model has its own blocks
        }

        @Test func blockKeysChainOverThePrefixAndTheSeed() {
            func keys(_ segments: [PromptMeasure], seed: UInt64 = 7) -> [UInt64] {
                var keys: [UInt64] = []
                PrefixCache.forEachBlockKey(segments, blockTokens: 16, seed: seed) { keys.append($0) }
                return keys
            }
            let shared = keys([Self.message(1, tokens: 32), Self.message(2, tokens: 16)])
            #expect(shared.count == 3)
            // Same first message: same first two keys; a different second message changes only the third.
            let other = keys([Self.message(1, tokens: 32), Self.message(5, tokens: 16)])
            #expect(Array(other.prefix(2)) == Array(shared.prefix(2)) && other[2] != shared[2])
            // A different first message changes every key (chained), though the second message is the same.
            let changed = keys([Self.message(4, tokens: 32), Self.message(2, tokens: 16)])
            #expect(zip(changed, shared).allSatisfy { $0 != $1 })
            // Another seed, other keys; a partial last block has no key.
            #expect(keys([Self.message(1, tokens: 32)], seed: 8) != Array(shared.prefix(2)))
            #expect(keys([Self.message(1, tokens: 47)]).count == 2)
        }

        @Test func theLRUReservesItsCapacityOnceHalfFull() {
            var lru = BlockLRU(capacity: 1_100)
            for key in 0..<UInt64(1_100) { lru.touch(key) }
            // Grown by doubling, the arrays would end at 2,048 slots; reserved at 550 keys, at about 1,100.
            #expect(lru.count == 1_100 && lru.reservedSlots >= 1_100 && lru.reservedSlots < 1_200)
            lru.touch(5_000)
            #expect(lru.count == 1_100 && lru.reservedSlots < 1_200 && !lru.contains(0))
        }

        @Test func theLRUEvictsTheLeastRecentlyUsed() {
            var lru = BlockLRU(capacity: 3)
            for key: UInt64 in [1, 2, 3] { lru.touch(key) }
            lru.touch(1)  // 1 3 2
            lru.touch(4)  // evicts 2: 4 1 3
            #expect(lru.keysByRecency == [4, 1, 3])
            #expect(!lru.contains(2) && lru.count == 3)
            lru.touch(5)  // evicts 3
            lru.touch(4)
            #expect(lru.keysByRecency == [4, 5, 1])
        }
    }
}
