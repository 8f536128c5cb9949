import Testing
@testable import TierbenchCore

struct MetricsTimeSeriesTests {
    static let second: UInt64 = 1_000_000_000

    @Test func bucketsBySecondOfCompletion() {
        var series = RequestTimeSeries(capacity: 8)
        series.record(end: 500_000_000, failed: false, status: 200, serviceMicros: 10_000)
        series.record(end: 900_000_000, failed: false, status: 200, serviceMicros: 30_000)
        series.record(end: 2 * Self.second, failed: true, status: 429, serviceMicros: 1_000)
        #expect(series.requests[0...2] == [2, 0, 1])
        #expect(series.errors[0...2] == [0, 0, 1])
        #expect(series.rateLimited[0...2] == [0, 0, 1])
        #expect(series.latencySumMicros[0] == 40_000)
        #expect(series.lastUsed == 2)
    }

    @Test func longRunsCoarsenInsteadOfGrowing() {
        var series = RequestTimeSeries(capacity: 4)
        for second in 0..<10 { series.record(end: UInt64(second) * Self.second, failed: false, status: 200,
                                             serviceMicros: 1) }
        // 10 s in 4 buckets: width doubles twice to 4 s; buckets hold 4, 4, 2.
        #expect(series.bucketNanos == 4 * Self.second)
        #expect(series.requests == [4, 4, 2, 0])
        #expect(series.requests.count == 4)
        #expect(series.lastUsed == 2)
    }

    @Test func mergeAlignsBucketWidths() {
        var fine = RequestTimeSeries(capacity: 4)
        var coarse = RequestTimeSeries(capacity: 4)
        var all = RequestTimeSeries(capacity: 4)
        for second in 0..<3 {
            fine.record(end: UInt64(second) * Self.second, failed: false, status: 200, serviceMicros: 1)
            all.record(end: UInt64(second) * Self.second, failed: false, status: 200, serviceMicros: 1)
        }
        for second in 0..<7 {
            coarse.record(end: UInt64(second) * Self.second, failed: second == 6, status: 200, serviceMicros: 1)
            all.record(end: UInt64(second) * Self.second, failed: second == 6, status: 200, serviceMicros: 1)
        }
        fine.merge(coarse)
        #expect(fine == all)
        #expect(fine.requests.reduce(0, +) == 10)
    }
}
