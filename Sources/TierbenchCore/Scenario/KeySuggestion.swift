/// "Did you mean …?" for unknown keys and values: the closest allowed spelling by edit distance.
enum KeySuggestion {
    /// The allowed word closest to `word`, or nil when none is close enough to be a plausible typo.
    ///
    /// Case, `_` and `-` are ignored first (`maxWorkers` → `max_workers`); otherwise the Levenshtein distance
    /// must be at most 2, or a third of the word's length for longer words.
    static func closest(to word: String, among allowed: [String]) -> String? {
        let normalized = normalize(word)
        if let exact = allowed.first(where: { normalize($0) == normalized }) {
            return exact
        }
        var best: (word: String, distance: Int)?
        for candidate in allowed {
            let distance = editDistance(normalized, normalize(candidate))
            if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let limit = max(2, normalized.count / 3)
        return best.distance <= limit ? best.word : nil
    }

    /// A hint for an unknown `word`: `did you mean 'x'?` or the list of allowed words.
    static func hint(for word: String, among allowed: [String]) -> String {
        if let match = closest(to: word, among: allowed) {
            return "did you mean '\(match)'?"
        }
        return "allowed: " + allowed.joined(separator: ", ")
    }

    private static func normalize(_ word: String) -> [Character] {
        Array(word.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let substitution = previous[j - 1] + (lhs[i - 1] == rhs[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
