import Foundation
import Histogram
import Testing
@testable import TierbenchCore

struct SummaryHistogramSnapshotTests {
    static func distribution(seed: UInt64, count: Int, scaleMicros: UInt64) -> (DurationHistogram, [UInt64]) {
        var random = MetricsTestRandom(state: seed)
        var distribution = DurationHistogram()
        var values: [UInt64] = []
        for _ in 0..<count {
            let micros = 1 + random.next() % scaleMicros
            values.append(micros)
            distribution.record(nanoseconds: micros * 1_000)
        }
        return (distribution, values)
    }

    @Test func roundTripKeepsBucketsAndExactExtremes() throws {
        let (distribution, values) = Self.distribution(seed: 1, count: 20_000, scaleMicros: 3_000_000)
        let snapshot = HistogramSnapshot(distribution.histogram)
        let rebuilt = try snapshot.makeHistogram()
        #expect(Array(rebuilt.recordedValues()) == Array(distribution.histogram.recordedValues()))
        #expect(rebuilt.totalCount == 20_000)
        #expect(rebuilt.min == values.min())
        #expect(rebuilt.maxRecorded == values.max())
        for p in [50.0, 90, 99, 99.9, 100] {
            #expect(rebuilt.valueAtPercentile(p) == distribution.histogram.valueAtPercentile(p))
        }
        #expect(HistogramSnapshot(rebuilt) == snapshot)
    }

    @Test func mergeOfDecodedRunsEqualsRecordingEverything() throws {
        let (first, firstValues) = Self.distribution(seed: 11, count: 10_000, scaleMicros: 50_000)
        let (second, secondValues) = Self.distribution(seed: 12, count: 5_000, scaleMicros: 5_000_000)
        var all = DurationHistogram()
        for micros in firstValues + secondValues { all.record(nanoseconds: micros * 1_000) }
        // Through JSON, as two summary files would be merged later.
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        let firstData = try encoder.encode(HistogramSnapshot(first.histogram))
        let secondData = try encoder.encode(HistogramSnapshot(second.histogram))
        var merged = try decoder.decode(HistogramSnapshot.self, from: firstData).makeHistogram()
        merged.add(try decoder.decode(HistogramSnapshot.self, from: secondData).makeHistogram())
        #expect(Array(merged.recordedValues()) == Array(all.histogram.recordedValues()))
        #expect(merged.totalCount == all.histogram.totalCount)
        #expect(merged.min == all.histogram.min)
        #expect(merged.maxRecorded == all.histogram.maxRecorded)
        #expect(HistogramSnapshot(merged) == HistogramSnapshot(all.histogram))
        let stats = DurationStats(DurationHistogram(histogram: merged))
        #expect(stats.p99 == DurationStats(all).p99)
    }

    @Test func zeroValuesAndEmptyHistograms() throws {
        var distribution = DurationHistogram()
        for _ in 0..<5 { distribution.record(nanoseconds: 0) }
        distribution.record(nanoseconds: 7_000)
        let rebuilt = try HistogramSnapshot(distribution.histogram).makeHistogram()
        #expect(rebuilt.min == 0)
        #expect(rebuilt.maxRecorded == 7)
        #expect(rebuilt.totalCount == 6)
        let empty = HistogramSnapshot(DurationHistogram().histogram)
        #expect(empty.buckets.isEmpty)
        #expect(try empty.makeHistogram().totalCount == 0)
    }

    @Test func inconsistentSnapshotsAreRejectedWithAReason() {
        var (distribution, _) = Self.distribution(seed: 5, count: 100, scaleMicros: 1_000)
        distribution.record(nanoseconds: 1)
        let good = HistogramSnapshot(distribution.histogram)
        var wrongCount = good
        wrongCount.count += 1
        #expect(throws: HistogramSnapshotError.countMismatch(expected: 102, found: 101)) {
            try wrongCount.makeHistogram()
        }
        var badBucket = good
        badBucket.buckets.append([5])
        #expect(throws: HistogramSnapshotError.invalidBucket([5])) { try badBucket.makeHistogram() }
        var badUnit = good
        badUnit.unit = "ms"
        #expect(throws: HistogramSnapshotError.unsupportedUnit("ms")) { try badUnit.makeHistogram() }
        var badLayout = good
        badLayout.significantDigits = 9
        #expect(throws: (any Error).self) { try badLayout.makeHistogram() }
        #expect(HistogramSnapshotError.unsupportedUnit("ms").description.contains("microseconds"))
    }
}
