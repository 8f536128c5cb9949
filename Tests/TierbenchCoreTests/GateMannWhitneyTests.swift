import Testing

@testable import TierbenchCore

/// Reference values from SciPy 1.17 `scipy.stats.mannwhitneyu(x, y, alternative="two-sided")`, whose
/// statistic is U of the first sample, and from the exact null distribution by hand (C(10, 5) = 252 orderings).
struct GateMannWhitneyTests {
    private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

    @Test func completeSeparationOfFiveAndFive() throws {
        // U = 0: only 1 of 252 orderings is that extreme on each side: p = 2/252.
        let result = try #require(MannWhitney.test([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]))
        #expect(result.u1 == 0)
        #expect(result.u2 == 25)
        #expect(result.exact)
        #expect(close(result.pValue, 2.0 / 252))  // SciPy: 0.007936507936507936
        #expect(close(result.smallestPossiblePValue, 2.0 / 252))
    }

    @Test func textbookCriticalValueForFiveAndFive() throws {
        // Tables give U = 2 as the two-sided 5% critical value for n1 = n2 = 5: P(U ≤ 2) = (1 + 1 + 2) / 252.
        let result = try #require(MannWhitney.test([1, 2, 3, 4, 7], [5, 6, 8, 9, 10]))
        #expect(result.u == 2)
        #expect(close(result.pValue, 8.0 / 252))
        #expect(result.pValue < 0.05)
        let next = try #require(MannWhitney.test([1, 2, 3, 5, 7], [4, 6, 8, 9, 10]))
        #expect(next.u == 3)
        #expect(close(next.pValue, 2 * 7.0 / 252))  // P(U ≤ 3) = 7/252: not significant
        #expect(next.pValue > 0.05)
    }

    @Test func unequalSizesExact() throws {
        let result = try #require(MannWhitney.test([19, 22, 16, 29, 24], [20, 11, 17, 12]))
        #expect(result.u1 == 17)
        #expect(close(result.pValue, 0.1111111111111111))  // SciPy exact
    }

    @Test func tiesUseNormalApproximationWithTieCorrection() throws {
        let x: [Double] = [1, 2, 2, 3, 3, 3, 4, 5, 6, 7]
        let y: [Double] = [3, 4, 4, 5, 5, 6, 7, 8, 8, 9, 10]
        let result = try #require(MannWhitney.test(x, y))
        #expect(!result.exact)
        #expect(result.u1 == 19.5)
        #expect(close(result.pValue, 0.013049295236126156, 1e-12))  // SciPy asymptotic, continuity on
    }

    @Test func largerSamplesMatchSciPy() throws {
        let x: [Double] = [103.5, 108.2, 103.3, 87.0, 109.1, 104.5, 94.6, 105.8, 103.6, 102.9, 100.3, 105.5, 92.6,
                           98.4, 95.2, 106.0, 100.4, 97.1, 92.2, 97.4, 100.1, 97.2, 112.9, 110.1, 72.9, 81.1, 98.3,
                           95.8, 102.1, 102.2]
        let y: [Double] = [129.2, 96.9, 104.2, 128.4, 114.5, 114.6, 102.9, 91.5, 109.7, 109.1, 95.7, 101.2, 107.3,
                           98.6, 107.0, 109.0, 108.4, 102.9, 113.9, 116.9, 111.2, 99.8, 115.3, 103.0, 116.8, 97.3,
                           117.1, 107.8, 95.5, 104.9]
        let result = try #require(MannWhitney.test(x, y))
        #expect(result.u1 == 235.5)
        #expect(close(result.pValue, 0.0015557037124463945, 1e-12))
    }

    @Test func exactDistributionCountsEveryOrdering() {
        let counts = MannWhitney.exactCounts(5, 5)
        #expect(counts.reduce(0, +) == 252)
        #expect(Array(counts.prefix(4)) == [1, 1, 2, 3])
        #expect(counts == counts.reversed())  // symmetric
        #expect(MannWhitney.exactCounts(3, 7).reduce(0, +) == 120)
    }

    @Test func identicalSamplesGivePOne() throws {
        let result = try #require(MannWhitney.test([5, 5, 5], [5, 5, 5]))
        #expect(result.pValue == 1)
        #expect(MannWhitney.test([], [1]) == nil)
    }

    @Test func bootstrapIntervalIsDeterministicAndCoversTheShift() throws {
        let base: [Double] = [100, 102, 98, 101, 99]
        let shifted = base.map { $0 * 1.2 }
        let first = try #require(BootstrapInterval.medianChange(base: base, new: shifted, seed: 42))
        let second = try #require(BootstrapInterval.medianChange(base: base, new: shifted, seed: 42))
        #expect(first == second)
        #expect(first.excludesZero)
        #expect(first.lower > 0.1 && first.upper < 0.3)
    }
}
