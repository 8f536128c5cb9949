import Foundation
import Histogram
import Testing
@testable import TierbenchCore

/// Exact order statistics, computed independently of HdrHistogram, to check its readings against.
enum GroundTruth {
    /// Nearest-rank percentile: the ⌈p/100 × n⌉-th smallest value (p in tenths of a percent, exact integers).
    static func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        let tenths = Int((p * 10).rounded())
        let rank = max(1, (tenths * sorted.count + 999) / 1_000)
        return sorted[min(rank, sorted.count) - 1]
    }

    static func mean(_ values: [UInt64]) -> Double {
        values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    /// Population standard deviation.
    static func stddev(_ values: [UInt64]) -> Double {
        let mean = mean(values)
        let squares = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
        return (squares / Double(values.count)).squareRoot()
    }

    /// HdrHistogram with 3 significant digits reads at most 0.1 % (plus one unit) above the exact value.
    static func withinPrecision(_ measured: UInt64, _ exact: UInt64) -> Bool {
        measured >= exact && Double(measured) <= Double(exact) * 1.001 + 1
    }
}

/// A small deterministic generator (SplitMix64 steps) so random tests are reproducible, kept apart from the core's.
struct MetricsTestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct MetricsDurationHistogramTests {
    @Test func uniformOneToTenThousandMicroseconds() {
        var distribution = DurationHistogram()
        let values = (1...10_000).map { UInt64($0) }
        for value in values { distribution.record(nanoseconds: value * 1_000) }
        #expect(distribution.count == 10_000)
        for (p, exact) in [(50.0, 5_000), (90, 9_000), (95, 9_500), (99, 9_900), (99.9, 9_990)] as [(Double, UInt64)] {
            #expect(GroundTruth.percentile(values, p) == exact)
            let measured = distribution.valueAtPercentile(p)
            #expect(GroundTruth.withinPrecision(measured, exact), "p\(p): \(measured) vs \(exact)")
        }
        #expect(distribution.maxMicros == 10_000)
        #expect(distribution.minMicros == 1)
        #expect(abs(distribution.meanMicros - 5_000.5) < 1e-9)
        // Population stddev of 1…n is sqrt((n² − 1) / 12).
        #expect(abs(distribution.standardDeviationMicros - (99_999_999.0 / 12).squareRoot()) < 1e-6)
    }

    @Test func bimodalDistribution() {
        var distribution = DurationHistogram()
        var values: [UInt64] = []
        for _ in 0..<9_000 { values.append(10_000) }
        for _ in 0..<1_000 { values.append(500_000) }
        for value in values { distribution.record(nanoseconds: value * 1_000) }
        let stats = DurationStats(distribution)
        #expect(stats.p50 == 10.0 || abs(stats.p50 - 10.0) <= 0.01)
        #expect(abs(stats.p90 - 10.0) <= 0.01)
        #expect(abs(stats.p95 - 500.0) <= 0.5)
        #expect(abs(stats.p99 - 500.0) <= 0.5)
        #expect(stats.max == 500.0)
        #expect(stats.min == 10.0)
        #expect(stats.mean == 59.0)  // 0.9 × 10 + 0.1 × 500
        #expect(stats.stddev == 147.0)  // sqrt(0.9 × 0.1) × 490
        #expect(stats.count == 10_000)
    }

    @Test func randomValuesMatchExactOrderStatistics() {
        var random = MetricsTestRandom(state: 42)
        var values: [UInt64] = []
        var distribution = DurationHistogram()
        for _ in 0..<50_000 {
            // Log-uniform between 100 µs and ~6.5 s, like real latencies with a long tail.
            let micros = UInt64(100 * pow(2.0, Double(random.next() % 16_000) / 1_000))
            values.append(micros)
            distribution.record(nanoseconds: micros * 1_000)
        }
        values.sort()
        for p in [50.0, 90, 95, 99, 99.9] {
            let exact = GroundTruth.percentile(values, p)
            #expect(GroundTruth.withinPrecision(distribution.valueAtPercentile(p), exact), "p\(p)")
        }
        #expect(distribution.maxMicros == values.last)
        #expect(abs(distribution.meanMicros - GroundTruth.mean(values)) < 1e-6 * GroundTruth.mean(values))
        #expect(abs(distribution.standardDeviationMicros - GroundTruth.stddev(values))
            < 1e-6 * GroundTruth.stddev(values))
    }

    @Test func mergeEqualsRecordingEverything() {
        var all = DurationHistogram()
        var parts = [DurationHistogram(), DurationHistogram(), DurationHistogram()]
        var random = MetricsTestRandom(state: 7)
        for index in 0..<30_000 {
            let nanos = random.next() % 2_000_000_000
            all.record(nanoseconds: nanos)
            parts[index % 3].record(nanoseconds: nanos)
        }
        var merged = DurationHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged.count == all.count)
        #expect(abs(merged.meanMicros - all.meanMicros) < 1e-6)
        #expect(abs(merged.standardDeviationMicros - all.standardDeviationMicros) < 1e-6)
        #expect(Array(merged.histogram.recordedValues()) == Array(all.histogram.recordedValues()))
        #expect(merged.minMicros == all.minMicros)
        #expect(merged.maxMicros == all.maxMicros)
    }

    @Test func valuesBeyondOneHourAreClampedNotDropped() {
        var distribution = DurationHistogram()
        distribution.record(nanoseconds: 2 * 3_600 * 1_000_000_000)
        #expect(distribution.count == 1)
        #expect(distribution.clamped == 1)
        #expect(distribution.maxMicros == DurationHistogram.highestMicros)
    }

    @Test func subMicrosecondValuesRoundToNearestMicrosecond() {
        var distribution = DurationHistogram()
        distribution.record(nanoseconds: 400)
        distribution.record(nanoseconds: 600)
        #expect(distribution.minMicros == 0)
        #expect(distribution.maxMicros == 1)
        #expect(abs(distribution.meanMicros - 0.5) < 1e-12)
    }

    @Test func emptyDistributionReadsZero() {
        let stats = DurationStats(DurationHistogram())
        #expect(stats == DurationStats(count: 0, min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p95: 0, p99: 0,
                                       p999: 0, max: 0))
    }
}
