import Foundation
import Testing
@testable import TierbenchCore

@Suite("merge: figures of merged shards against ground truth")
struct MergeSummaryTests {
    /// One histogram fed every value of both shards, the way one machine would have recorded them.
    static func groundTruth() -> DurationHistogram {
        var all = DurationHistogram()
        for k in 5..<100 { all.record(nanoseconds: (10 + UInt64(k % 7)) * MergeFixtures.ms) }
        for k in 0..<100 { all.record(nanoseconds: (1_000 + UInt64(k % 13) * 3) * MergeFixtures.ms) }
        return all
    }

    @Test func percentilesEqualOneHistogramOfAllSamples() throws {
        let merged = try SummaryMerger.merge(MergeFixtures.skewedPair())
        let truth = DurationStats(Self.groundTruth())
        #expect(merged.latencyMs.count == 195)
        #expect(merged.latencyMs.p50 == truth.p50)
        #expect(merged.latencyMs.p90 == truth.p90)
        #expect(merged.latencyMs.p95 == truth.p95)
        #expect(merged.latencyMs.p99 == truth.p99)
        #expect(merged.latencyMs.p999 == truth.p999)
        #expect(merged.latencyMs.min == 10 && truth.min == 10)
        #expect(merged.latencyMs.max == truth.max)
        // Mean and stddev from the parallel formula over the shards' rounded moments: within 1 µs of the truth.
        #expect(abs(merged.latencyMs.mean - truth.mean) <= 0.001)
        #expect(abs(merged.latencyMs.stddev - truth.stddev) <= 0.001)
        #expect(merged.histograms.latency.count == 195)
    }

    @Test func averagingShardPercentilesWouldBeWrong() throws {
        let pair = MergeFixtures.skewedPair()
        let merged = try SummaryMerger.merge(pair)
        let averageP50 = (pair[0].summary.latencyMs.p50 + pair[1].summary.latencyMs.p50) / 2
        let averageP99 = (pair[0].summary.latencyMs.p99 + pair[1].summary.latencyMs.p99) / 2
        // 95 fast and 100 slow values: the 98th smallest is slow (≥ 1000 ms); the average of p50s is ~510 ms.
        #expect(merged.latencyMs.p50 >= 1_000)
        #expect(averageP50 < 600)
        #expect(merged.latencyMs.p99 >= 1_030)
        #expect(averageP99 < 600)
    }

    @Test func countersAndRatesOverTheUnionWindow() throws {
        let merged = try SummaryMerger.merge(MergeFixtures.skewedPair())
        #expect(merged.requests.total == 200)
        #expect(merged.requests.succeeded == 195)
        #expect(merged.requests.failed == 5)
        #expect(merged.errorRate == 0.025)
        #expect(merged.statusCounts == ["200": 195, "429": 5])
        #expect(merged.errors == ["http_429": 5])
        #expect(merged.tokens.prompt == 195 * 30 && merged.tokens.completion == 195 * 12)
        #expect(merged.bytes.sent == 200 * 100)
        // A's window: origin → 9.9 s + 16 ms (k = 99: 10 + 99 % 7 = 11 ms → 9.911 s). B's: origin + 1 s → + 9.9 s
        // + (1000 + 99 % 13 × 3 = 1024 ms) = origin + 11.924 s. Union: 11.924 s.
        #expect(merged.measuredWindowS == 11.924)
        #expect(merged.throughput.requestsPerS == RunSummary.rounded(200 / 11.924))
        #expect(merged.throughput.succeededPerS == RunSummary.rounded(195 / 11.924))
        #expect(merged.generator.targetRequestsPerS == 20)  // each shard recorded its share (20 / 2); the sum is the plan's rate
        #expect(merged.generator.workers == 4)
        // Sends: A's at origin + 0 … 9.9 s, B's at origin + 1 s … 10.9 s: 200 sends over 10.9 s of the wall clock,
        // where the per-shard rates (99 / 9.9 s each) would sum to 20/s.
        #expect(merged.generator.achievedRequestsPerS == RunSummary.rounded(199 / 10.9))
        #expect(merged.shard == nil)
        let info = try #require(merged.merge)
        #expect(info.count == 2 && info.planKey == "plan-a")
        #expect(info.originSpreadMs == 1_000)
        #expect(info.firstSendSpreadMs == 2.5)
        #expect(info.workersSum == 4 && info.totalWorkers == 4)
        #expect(info.shards.map(\.requests) == [100, 100])
        #expect(info.windowEndUnixNs - info.windowStartUnixNs == 11_924_000_000)
    }

    @Test func timeSeriesAlignedOnWallClockSeconds() throws {
        let merged = try SummaryMerger.merge(MergeFixtures.skewedPair())
        // A completes 10 requests in each of its seconds 0…9; B completes 10 in each of its own seconds 1…10, which
        // start 1 s later on the wall clock: merged seconds 2…11.
        #expect(merged.timeSeries.requests == [10, 10, 20, 20, 20, 20, 20, 20, 20, 20, 10, 10])
        #expect(merged.timeSeries.errors == [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(merged.timeSeries.latencyP95Ms == nil)
        #expect(merged.merge?.dropped.contains("time_series.latency_p95_ms") == true)
        // Second 2: A's k = 20…29 (10 + k % 7 ms) and B's k = 0…9 (1000 + 3k ms), weighted by successes.
        let a = (20..<30).map { Double(10 + $0 % 7) }
        let b = (0..<10).map { Double(1_000 + 3 * $0) }
        #expect(abs(merged.timeSeries.latencyMeanMs[2] - (a + b).reduce(0, +) / 20) < 0.001)
    }

    @Test func costRecomputedFromSummedTokensWithTheShardsPrices() throws {
        var pair = MergeFixtures.skewedPair()
        let table = PriceTable(date: "2026-10-04", source: "test", models: ["m": .init(input: 1, output: 2)])
        for index in pair.indices {
            var recorder = MetricsRecorder()
            recorder.record(RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 1, status: 200,
                                           usage: TokenUsage(prompt: 1, completion: 1)))
            pair[index].summary.cost = CostSummary(recorder: recorder, model: "m", table: table, promptsToProcess: 10)
        }
        let merged = try SummaryMerger.merge(pair)
        // 195 successes × (30 × $1 + 12 × $2) / 1e6.
        #expect(merged.cost?.usd == CostSummary.rounded(195.0 * 54 / 1e6))
        #expect(merged.cost?.per1000RequestsUSD == CostSummary.rounded(195.0 * 54 / 1e6 / 195 * 1_000))
    }

    @Test("without the shards' send times (older results) the achieved rates are summed")
    func achievedRateFallsBackToTheSum() throws {
        let pair = [
            ("a", MergeFixtures.shard(index: 0, count: 2, sendTimes: false) { _ in 10 }),
            ("b", MergeFixtures.shard(index: 1, count: 2, sendTimes: false) { _ in 10 }),
        ]
        let merged = try SummaryMerger.merge(pair.map { (path: $0.0, summary: $0.1) })
        #expect(merged.generator.achievedRequestsPerS == RunSummary.rounded(2 * 99 / 9.9))
    }

    @Test("a budget's max_usd is summed: each shard recorded its share (max_usd / N)")
    func budgetSharesAreSummed() throws {
        var pair = MergeFixtures.skewedPair()
        let table = PriceTable(date: "2026-10-04", source: "test", models: ["m": .init(input: 1, output: 2)])
        // A $10 budget over 2 shards: each enforced $5; shard 0 spent $1.25, shard 1 $2.5 and stopped.
        let spent = [1.25, 2.5]
        for index in pair.indices {
            pair[index].summary.cost = CostSummary(
                recorder: MetricsRecorder(), model: "m", table: table, promptsToProcess: 10,
                budget: CostSummary.Budget(maxUSD: 5, spentUSD: spent[index], stopped: index == 1))
        }
        let budget = try #require(try SummaryMerger.merge(pair).cost?.budget)
        #expect(budget.maxUSD == 10)
        #expect(budget.spentUSD == 3.75)
        #expect(budget.stopped)
    }

    @Test func mergedSummaryFitsTheSchemaAndRoundTrips() throws {
        let merged = try SummaryMerger.merge(MergeFixtures.skewedPair())
        let data = try merged.jsonData()
        #expect(try RunSummary.decode(data).jsonData() == data)
        let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/summary.schema.json")
        let schema = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
        let json = try JSONSerialization.jsonObject(with: data)
        let problems = SchemaChecker(root: schema).problems(json, schema, path: "$")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func oneShardMergesToItsOwnFigures() throws {
        let single = MergeFixtures.shard(index: 0, count: 1) { 20 + UInt64($0 % 5) }
        let merged = try SummaryMerger.merge([("only", single)])
        #expect(merged.latencyMs == single.latencyMs)
        #expect(merged.requests == single.requests)
        #expect(merged.throughput == single.throughput)
        #expect(merged.timeSeries.requests == single.timeSeries.requests)
    }
}
