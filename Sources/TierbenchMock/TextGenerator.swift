import TierbenchCore

/// Deterministic generated text whose length in tokens is exact under `TokenEstimator`: every token is 4 ASCII
/// bytes (a space and three letters), so `n` tokens are `4n` bytes and estimate back to `n`.
///
/// The first token of a text drops its space and is capitalized (3 bytes), which still estimates to `n` tokens.
/// A corpus of `corpusTokens` tokens is drawn once from the seed; a choice's text is a slice of it starting at an
/// offset derived from the seed, the prompt and the choice index. Needs no JSON escaping.
struct TextGenerator: Sendable {
    /// Bytes per generated token.
    static let tokenBytes = TokenEstimator.bytesPerToken
    /// Tokens in the corpus before it repeats.
    static let corpusTokens = 4096

    /// The corpus twice over, so any slice of up to `corpusTokens` tokens is contiguous.
    private let corpus: [UInt8]
    private let seed: UInt64
    private let fixedLength: Int?

    private static let words = [
        "the", "and", "for", "you", "are", "can", "not", "one", "all", "new", "day", "way", "sea", "sun", "air", "art",
        "map", "key", "end", "top", "low", "big", "old", "run", "see", "let", "use", "may", "now", "how", "why", "who",
        "yes", "set", "own", "few", "far", "six", "ten", "two", "cat", "dog", "fox", "owl", "bee", "ant", "elk", "cow",
    ]

    init(seed: UInt64, fixedLength: Int?) {
        var random = MockRandom(seed: seed ^ 0x7465_7874)
        var corpus: [UInt8] = []
        corpus.reserveCapacity(Self.corpusTokens * Self.tokenBytes * 2)
        for _ in 0..<Self.corpusTokens {
            corpus.append(UInt8(ascii: " "))
            corpus.append(contentsOf: Self.words[Int(random.next() % UInt64(Self.words.count))].utf8)
        }
        corpus.append(contentsOf: corpus)
        self.corpus = corpus
        self.seed = seed
        self.fixedLength = fixedLength.map { max(0, $0) }
    }

    /// Where a choice's text starts in the corpus, and how many tokens it would generate if nothing stopped it.
    /// Depends only on the seed, the prompt's hash and the choice index.
    func plan(promptHash: UInt64, choice: Int) -> (offset: Int, naturalTokens: Int) {
        var random = MockRandom(seed: seed ^ promptHash, sequence: UInt64(truncatingIfNeeded: choice))
        let offset = Int(random.next() % UInt64(Self.corpusTokens))
        let natural = fixedLength ?? (16 + Int(random.next() % 241))
        return (offset, natural)
    }

    /// Calls `body` with the bytes of `tokens` tokens starting at `offset` (wrapping around the corpus).
    func withText<R>(offset: Int, tokens: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try corpus.withUnsafeBytes { raw in
            let start = (offset % Self.corpusTokens) * Self.tokenBytes
            let count = min(tokens, Self.corpusTokens) * Self.tokenBytes
            return try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
    }

    /// The text of one choice as bytes, honouring the token limit and stop sequences.
    /// Returns the text, its token count and the finish reason (`stop` or `length`).
    func generate(offset: Int, naturalTokens: Int, limit: Int?, stop: [String]) -> Generated {
        var tokens = naturalTokens
        var finish = FinishReason.stop
        if let limit, limit < tokens {
            tokens = limit
            finish = .length
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens * Self.tokenBytes)
        var remaining = tokens
        var position = offset
        while remaining > 0 {
            let chunk = min(remaining, Self.corpusTokens)
            withText(offset: position, tokens: chunk) { bytes.append(contentsOf: $0) }
            remaining -= chunk
            position += chunk
        }
        // The first token loses its leading space and is capitalized: "The cat…", still `tokens` tokens.
        if !bytes.isEmpty {
            bytes.removeFirst()
            if let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) { bytes[0] = first - 32 }
        }
        if !stop.isEmpty, let cut = Self.firstStop(in: bytes, stops: stop) {
            bytes.removeSubrange(cut...)
            finish = .stop
        }
        return Generated(bytes: bytes, tokens: TokenEstimator.tokens(utf8Count: bytes.count), finish: finish)
    }

    /// The earliest index where any stop sequence starts.
    private static func firstStop(in bytes: [UInt8], stops: [String]) -> Int? {
        var best: Int?
        for stop in stops {
            let needle = Array(stop.utf8)
            guard !needle.isEmpty, needle.count <= bytes.count else { continue }
            for start in 0...(bytes.count - needle.count) where best.map({ start < $0 }) ?? true {
                if bytes[start] == needle[0] && bytes[start..<(start + needle.count)].elementsEqual(needle) {
                    best = start
                    break
                }
            }
        }
        return best
    }
}

/// Why a choice ended.
enum FinishReason: String, Sendable {
    case stop, length
}

/// One generated choice.
struct Generated: Sendable {
    /// ASCII text (no JSON escaping needed).
    var bytes: [UInt8]
    var tokens: Int
    var finish: FinishReason
}
