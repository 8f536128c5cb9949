import Foundation

/// The Mann-Whitney U test (Wilcoxon rank-sum): do two independent samples come from the same distribution?
///
/// Used by `Comparison` when both sides have repeated runs, because run-to-run noise in benchmarks is rarely
/// normal and the test needs no such assumption. The p-value is two-sided.
/// - Exact: when there are no ties and n₁·n₂ ≤ `exactLimit`, from the exact null distribution of U
///   (counting arrangements by dynamic programming), p = min(1, 2·P(U ≤ min(U₁, U₂))).
/// - Otherwise: the normal approximation with tie correction and continuity correction,
///   σ² = n₁n₂/12 · ((n+1) − Σ(t³ − t) / (n(n − 1))), z = (|U₁ − n₁n₂/2| − 0.5) / σ, p = erfc(|z|/√2).
public enum MannWhitney {
    /// Largest n₁·n₂ for which the exact distribution is used (ties always use the approximation).
    public static let exactLimit = 400

    /// The outcome of one test.
    public struct Result: Sendable, Hashable {
        /// U of the first sample: the number of pairs (x, y) with x > y, ties counting ½.
        public var u1: Double
        /// U of the second sample; u1 + u2 = n₁·n₂.
        public var u2: Double
        /// min(u1, u2), the statistic tables list.
        public var u: Double { min(u1, u2) }
        /// Two-sided p-value.
        public var pValue: Double
        /// The z score of the normal approximation (nil when the exact distribution was used).
        public var z: Double?
        /// Whether `pValue` comes from the exact distribution.
        public var exact: Bool
        /// The smallest p-value these sample sizes can produce; when it is above α no result can be significant.
        public var smallestPossiblePValue: Double
    }

    /// Tests `x` against `y`; nil when either sample is empty.
    public static func test(_ x: [Double], _ y: [Double]) -> Result? {
        let n1 = x.count
        let n2 = y.count
        guard n1 > 0, n2 > 0 else { return nil }
        let (ranks, tieGroups) = rank(x + y)
        let rankSumX = ranks[0..<n1].reduce(0, +)
        let u1 = rankSumX - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let product = n1 * n2
        let smallest = smallestPValue(n1, n2)
        if tieGroups.isEmpty && product <= exactLimit {
            let counts = exactCounts(n1, n2)
            let total = counts.reduce(0, +)
            let uMin = Int(min(u1, u2).rounded())
            let tail = counts[0...min(uMin, counts.count - 1)].reduce(0, +) / total
            return Result(u1: u1, u2: u2, pValue: min(1, 2 * tail), z: nil, exact: true,
                          smallestPossiblePValue: smallest)
        }
        let n = Double(n1 + n2)
        let mean = Double(product) / 2
        let tieTerm = tieGroups.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
        let variance = Double(product) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else {
            // Every value is equal: no evidence of any difference.
            return Result(u1: u1, u2: u2, pValue: 1, z: 0, exact: false, smallestPossiblePValue: smallest)
        }
        let distance = max(0, abs(u1 - mean) - 0.5)
        let z = distance / variance.squareRoot()
        return Result(u1: u1, u2: u2, pValue: min(1, erfc(z / 2.0.squareRoot())), z: u1 >= mean ? z : -z,
                      exact: false, smallestPossiblePValue: smallest)
    }

    /// Mid-ranks (1-based, ties share their average rank) and the sizes of tie groups larger than one.
    static func rank(_ values: [Double]) -> (ranks: [Double], tieGroups: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let average = Double(start + end + 2) / 2
            for position in start...end { ranks[order[position]] = average }
            if end > start { groups.append(end - start + 1) }
            start = end + 1
        }
        return (ranks, groups)
    }

    /// counts[u] = number of orderings of n₁ x's and n₂ y's with U₁ = u, from the recurrence
    /// f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u).
    static func exactCounts(_ n1: Int, _ n2: Int) -> [Double] {
        // table[m][u] for the current n, built up over n = 0…n2.
        var table = [[Double]](repeating: [1], count: n1 + 1)  // n = 0: only u = 0, one ordering
        for n in 1...max(n2, 1) where n <= n2 {
            var next = [[Double]](repeating: [1], count: n1 + 1)  // m = 0: u = 0
            for m in 1...max(n1, 1) where m <= n1 {
                var row = [Double](repeating: 0, count: m * n + 1)
                for (u, count) in next[m - 1].enumerated() where u + n < row.count { row[u + n] += count }
                for (u, count) in table[m].enumerated() where u < row.count { row[u] += count }
                next[m] = row
            }
            table = next
        }
        return table[n1]
    }

    /// The smallest two-sided p-value samples of these sizes can reach (all of one below all of the other).
    static func smallestPValue(_ n1: Int, _ n2: Int) -> Double {
        var combinations = 1.0
        let n = n1 + n2
        for index in 0..<min(n1, n2) { combinations = combinations * Double(n - index) / Double(index + 1) }
        return min(1, 2 / combinations)
    }
}
