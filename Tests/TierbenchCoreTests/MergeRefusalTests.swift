import Testing
@testable import TierbenchCore

@Suite("merge: what it refuses, with the documented exit codes")
struct MergeRefusalTests {
    static func shard(_ index: Int, of count: Int, plan: String = "plan-a") -> RunSummary {
        MergeFixtures.shard(index: index, count: count, planKey: plan, requests: 20) { 10 + UInt64($0) }
    }

    func refusal(_ results: [(path: String, summary: RunSummary)]) -> MergeError? {
        do {
            _ = try SummaryMerger.merge(results)
            return nil
        } catch {
            return error
        }
    }

    @Test func differentScenariosOrPlans() throws {
        let error = try #require(refusal([("x/summary.json", Self.shard(0, of: 2)),
                                          ("y/summary.json", Self.shard(1, of: 2, plan: "plan-b"))]))
        #expect(error.exitCode == 66)
        #expect(error.description.contains("plan_key"))
        #expect(error.description.contains("x/summary.json") && error.description.contains("plan-b"))
    }

    @Test func differentShardCounts() throws {
        let error = try #require(refusal([("x", Self.shard(0, of: 2)), ("y", Self.shard(1, of: 3))]))
        #expect(error == .differentCounts([
            .init(path: "x", index: 0, count: 2, planKey: "plan-a"), .init(path: "y", index: 1, count: 3, planKey: "plan-a"),
        ]))
        #expect(error.exitCode == 66)
    }

    @Test func aMissingShardIsNamed() throws {
        let error = try #require(refusal([("s0", Self.shard(0, of: 3)), ("s2", Self.shard(2, of: 3))]))
        #expect(error == .missingShards(missing: [1], count: 3))
        #expect(error.exitCode == 67)
        #expect(error.description.contains("missing shard 1 of 3"))
    }

    @Test func aDuplicateShardIsNamed() throws {
        let error = try #require(refusal([("s0", Self.shard(0, of: 2)), ("s1", Self.shard(1, of: 2)),
                                          ("again", Self.shard(1, of: 2))]))
        #expect(error == .duplicateShard(index: 1, paths: ["s1", "again"]))
        #expect(error.exitCode == 67)
    }

    @Test func aResultWithoutAShardBlock() throws {
        var plain = Self.shard(1, of: 2)
        plain.shard = nil
        let error = try #require(refusal([("s0", Self.shard(0, of: 2)), ("plain/summary.json", plain)]))
        #expect(error == .notAShard(path: "plain/summary.json"))
        #expect(error.exitCode == 66)
    }

    /// hdrhistogram-swift's `add` traps on a layout mismatch; the merge must refuse first, naming the histogram
    /// and both layouts. Reaching the assertions at all shows nothing trapped.
    @Test(arguments: ["digits", "lowest", "highest"])
    func mismatchedHistogramLayouts(field: String) throws {
        var other = Self.shard(1, of: 2)
        switch field {
        case "digits": other.histograms.latency.significantDigits = 2
        case "lowest": other.histograms.latency.lowest = 10
        default: other.histograms.latency.highest = 60_000_000
        }
        let error = try #require(refusal([("a/summary.json", Self.shard(0, of: 2)), ("b/summary.json", other)]))
        guard case .histogramLayoutMismatch(let name, let layouts) = error else {
            Issue.record("expected a layout mismatch, got \(error)")
            return
        }
        #expect(name == "histograms.latency")
        #expect(layouts.count == 2 && layouts[0].hasPrefix("a/summary.json: lowest=1 highest=3600000000 significant_digits=3"))
        #expect(error.exitCode == 66)
    }

    @Test func aMaxBeyondTheLayoutIsRefusedNotTrapped() throws {
        var other = Self.shard(1, of: 2)
        other.histograms.latency.max = other.histograms.latency.highest + 1
        let error = try #require(refusal([("a", Self.shard(0, of: 2)), ("b", other)]))
        #expect(error.exitCode == 65)
        #expect(error.description.contains("b: histogram `histograms.latency` is invalid"))
    }

    @Test func differentTimeSeriesBuckets() throws {
        var other = Self.shard(1, of: 2)
        other.timeSeries.bucketS = 5
        let error = try #require(refusal([("a", Self.shard(0, of: 2)), ("b", other)]))
        #expect(error.exitCode == 66)
    }

    @Test func nothingToMerge() {
        #expect(refusal([]) == .noResults)
    }

    /// Counts and origins read from a file are checked before merge subtracts or sums them (Swift would trap):
    /// each crafted value is refused with exit 65, naming the file and the key.
    @Test("out-of-range numbers in a shard file are refused by file and key, not trapped", arguments: [
        "requests.total", "requests.attempts", "retries.attempts", "time_series.requests", "time_series.errors",
        "status_counts", "shard.origin_unix_ns", "shard.origin_unix_ns.huge", "shard.first_send_offset_ms",
        "generator.late_sends",
    ])
    func outOfRangeNumbersAreRefused(key: String) throws {
        var bad = Self.shard(1, of: 2)
        var expectedKey = key
        switch key {
        case "requests.total": bad.requests.total = -5
        case "requests.attempts": bad.requests.attempts = Int.min
        case "retries.attempts":
            var retries = RetrySummary(MetricsRecorder())
            retries.attempts = Int.min
            bad.retries = retries
        case "time_series.requests":
            bad.timeSeries.requests[0] = Int.min
            expectedKey = "time_series.requests[0]"
        case "time_series.errors":
            bad.timeSeries.errors[0] = bad.timeSeries.requests[0] + 1
            expectedKey = "time_series.errors[0]"
        case "status_counts":
            bad.statusCounts["200"] = Int.max
            expectedKey = "status_counts.200"
        case "shard.origin_unix_ns": bad.shard?.originUnixNs = Int64.min
        case "shard.origin_unix_ns.huge":
            bad.shard?.originUnixNs = Int64.max
            expectedKey = "shard.origin_unix_ns"
        case "shard.first_send_offset_ms": bad.shard?.firstSendOffsetMs = .infinity
        case "generator.late_sends": bad.generator.lateSends = -1
        default: Issue.record("no case for \(key)")
        }
        let error = try #require(refusal([("good/summary.json", Self.shard(0, of: 2)), ("bad/summary.json", bad)]))
        #expect(error.exitCode == 65)
        #expect(error.description.contains("bad/summary.json"), "\(error)")
        #expect(error.description.contains("`\(expectedKey)`"), "\(error)")
    }

    @Test("shards of one plan from different runs are refused (66): start_at differs or is missing on one")
    func differentStartTimes() throws {
        var first = Self.shard(0, of: 2)
        var second = Self.shard(1, of: 2)
        first.shard?.startAt = "2027-01-15T08:00:00.000Z"
        second.shard?.startAt = "2027-01-15T09:00:00.000Z"
        let unequal = try #require(refusal([("run1/shard-0", first), ("run2/shard-1", second)]))
        #expect(unequal.exitCode == 66)
        #expect(unequal.description.contains("start_at differs") && unequal.description.contains("run2/shard-1"))
        second.shard?.startAt = nil
        let absent = try #require(refusal([("run1/shard-0", first), ("run2/shard-1", second)]))
        #expect(absent.exitCode == 66 && absent.description.contains("start_at none"))
        second.shard?.startAt = first.shard?.startAt
        #expect(refusal([("run1/shard-0", first), ("run1/shard-1", second)]) == nil)
    }

    @Test("shards whose origins are further apart than the run lasted are refused (66)")
    func originsFurtherApartThanTheRun() throws {
        // 20 requests 100 ms apart, ~10–29 ms each: each shard lasts ~1.93 s. One started 1.9 s after the other
        // overlaps it; one 60 s later cannot be part of the same run.
        let near = MergeFixtures.shard(index: 1, count: 2, originOffsetMs: 1_900, requests: 20) { 10 + UInt64($0) }
        #expect(refusal([("a", Self.shard(0, of: 2)), ("b", near)]) == nil)
        let far = MergeFixtures.shard(index: 1, count: 2, originOffsetMs: 60_000, requests: 20) { 10 + UInt64($0) }
        let error = try #require(refusal([("a", Self.shard(0, of: 2)), ("b", far)]))
        #expect(error.exitCode == 66)
        #expect(error.description.contains("60.0 s apart") || error.description.contains("60 s apart"), "\(error)")
    }
}
