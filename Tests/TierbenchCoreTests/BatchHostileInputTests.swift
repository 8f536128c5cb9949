import Foundation
import Testing
@testable import TierbenchCore

/// Server figures that once trapped or misled: a millisecond `created_at`, per-line usage near `Int.max`, a run whose
/// lines succeeded without any usage.
@Suite struct BatchHostileInputTests {
    static func summary() -> BatchRunSummary {
        BatchRunSummary(runID: "tb-1", scenario: "s", target: "mock", endpoint: "/v1/chat/completions",
                        model: "gpt-4o-mini", startedAt: "a", endedAt: "b", lines: 2,
                        cost: .init(priceDate: "2026"), wallS: 1, rounds: 0)
    }

    static func batch(usage: BatchObject.Usage? = nil) -> BatchObject {
        var batch = BatchObject(id: "batch_1", endpoint: "/v1/chat/completions", inputFileID: "file-1",
                                status: .completed, createdAt: 1_000)
        batch.completedAt = 1_100
        batch.usage = usage
        return batch
    }

    @Test func aMillisecondCreatedAtIsShownNotTrapped() {
        #expect(BatchTimestamp.text(unixSeconds: 1_754_566_945_000) == "1754566945000 (not Unix seconds)")
        #expect(BatchTimestamp.text(unixSeconds: Int.min) == "\(Int.min) (not Unix seconds)")
        #expect(BatchTimestamp.text(unixSeconds: 1_754_566_945) == "2025-08-07T11:42:25Z")
    }

    @Test func usageAboveTheMaximumIsRefusedAndCountedAsAnAnomaly() throws {
        let hostile = #"{"custom_id":"a","response":{"status_code":200,"body":{"usage":"#
            + #"{"prompt_tokens":9223372036854775807,"completion_tokens":5}}},"error":null}"#
        let line = try BatchOutputLine(parsing: Substring(hostile))
        #expect(line.usage == nil && line.invalidUsage)
        let fine = try BatchOutputLine(parsing: #"{"custom_id":"b","response":{"status_code":200,"body":{"usage":{"prompt_tokens":3,"completion_tokens":4}}}}"#)
        #expect(fine.usage == TokenUsage(prompt: 3, completion: 4) && !fine.invalidUsage)

        var reconciler = BatchReconciler(customIDs: ["a", "b"])
        reconciler.add(Substring(hostile), source: "output", number: 1)
        reconciler.add(#"{"custom_id":"b","response":{"status_code":200,"body":{"usage":{"prompt_tokens":3}}}}"#,
                       source: "output", number: 2)
        #expect(reconciler.anomalies.invalidUsage == 1)
        var tally = BatchOutcomeTally()
        tally.anomalies = reconciler.anomalies
        let results = reconciler.finish()
        for result in results { tally.add(result) }
        var summary = Self.summary()
        summary.fill(batches: [.init(batch: Self.batch(), round: 0, parentBatch: nil, lines: 2)], tally: tally,
                     lineUsageFallback: ["batch_1": tally.lineUsage], price: PriceTable.ModelPrice(input: 1, output: 1))
        #expect(summary.invalidUsageLines == 1)
        #expect(summary.tokens.input == 3)
    }

    @Test func batchUsageSumsSaturateInsteadOfTrapping() {
        let huge = BatchObject.Usage(inputTokens: Int.max, outputTokens: Int.max)
        var second = Self.batch(usage: huge)
        second.id = "batch_2"
        var tally = BatchOutcomeTally()
        tally.add(.init(outcome: .ok, status: 200))
        var summary = Self.summary()
        summary.fill(batches: [.init(batch: Self.batch(usage: huge), round: 0, parentBatch: nil, lines: 1),
                               .init(batch: second, round: 0, parentBatch: nil, lines: 1)],
                     tally: tally, lineUsageFallback: [:], price: nil)
        #expect(summary.tokens.input == Int.max && summary.tokens.total == Int.max)
    }

    @Test func noUsageAnywhereLeavesTheCostUnknown() {
        var tally = BatchOutcomeTally()
        tally.add(.init(outcome: .ok, status: 200))
        var summary = Self.summary()
        summary.fill(batches: [.init(batch: Self.batch(), round: 0, parentBatch: nil, lines: 1)], tally: tally,
                     lineUsageFallback: [:], price: PriceTable.ModelPrice(input: 0.15, output: 0.60))
        #expect(summary.cost.usd == nil)
        #expect(summary.cost.note?.contains("usage") == true)
    }

    @Test func lineUsageWinsOverABatchUsageOfZero() {
        var tally = BatchOutcomeTally()
        tally.add(.init(outcome: .ok, status: 200))
        var summary = Self.summary()
        summary.fill(batches: [.init(batch: Self.batch(usage: .init(inputTokens: 0, outputTokens: 0)), round: 0,
                                     parentBatch: nil, lines: 1)],
                     tally: tally, lineUsageFallback: ["batch_1": TokenUsage(prompt: 1_000_000, completion: 0)],
                     price: PriceTable.ModelPrice(input: 0.15, output: 0.60))
        #expect(summary.tokens.input == 1_000_000 && summary.tokens.source == "output_lines")
        #expect(summary.cost.usd == 0.075)
    }

    @Test func aTimeoutMustBeFinitePositiveAndAtMostThirtyDays() {
        for bad in [Double.nan, -1e20, 0, -1, .infinity, 1e20, 2_592_001] {
            #expect(BatchLimits.timeoutProblem(bad) != nil, "\(bad)")
        }
        #expect(BatchLimits.timeoutProblem(90_000) == nil)
        #expect(BatchLimits.timeoutProblem(2_592_000) == nil)
        #expect(BatchLimits.clampedWait(.nan) == 2_592_000)
        #expect(BatchLimits.clampedWait(-1e20) == 0)
        #expect(BatchLimits.clampedWait(1e20) == 2_592_000)
    }

    @Test func aJobHasAtMostABillionLines() {
        #expect(BatchLimits.linesProblem(0) != nil)
        #expect(BatchLimits.linesProblem(1_000_000_001) != nil)
        #expect(BatchLimits.linesProblem(Int.max) != nil)
        #expect(BatchLimits.linesProblem(1_000_000_000) == nil)
    }

    @Test func contradictoryLinesAndAByteOrderMarkAreHandled() {
        var reconciler = BatchReconciler(customIDs: ["a", "b", "c"])
        reconciler.add(Substring("\u{FEFF}" + #"{"custom_id":"a","response":{"status_code":200,"body":{}},"error":null}"#),
                       source: "output", number: 1)
        reconciler.add(#"{"custom_id":"b","response":{"status_code":200,"body":{}},"error":null}"#, source: "error", number: 1)
        reconciler.add(#"{"custom_id":"c","response":null,"error":null}"#, source: "error", number: 2)
        #expect(reconciler.anomalies.unreadable == 0)
        #expect(reconciler.anomalies.inconsistent == 2)
        let results = reconciler.finish()
        #expect(results.map(\.outcome) == [.ok, .ok, .failed])
    }
}
