import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// `BatchWorkflow.run` against the in-process mock: completed, per-line HTTP errors reconciled end to end and
/// resubmitted, a split job under the tier's queue limit, token_limit_exceeded, expired with partial output.
@Suite(.serialized) struct BatchWorkflowTests {
    @Test func aCompletedRunReconcilesEveryLineInInputOrder() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: BatchTestSupport.options(scenario))
        let summary = try #require(result.summary)
        #expect(result.exitCode == ExitCodes.success)
        #expect(summary.outcomes.ok == 20 && summary.lines == 20)
        #expect(summary.batches.count == 1 && summary.batches[0].status == "completed")
        #expect(summary.phases.validatingS != nil && summary.phases.inProgressS != nil && summary.phases.finalizingS != nil)
        #expect(summary.timeToCompletionS != nil)
        #expect(summary.tokens.output > 0 && (summary.cost.usd ?? 0) > 0)
        let lines = try BatchTestSupport.results(scenario)
        #expect(lines.map { $0["custom_id"]?.stringValue } == (0..<20).map { BatchInputLine.customID(index: $0) })
        #expect(lines.allSatisfy { $0["outcome"]?.stringValue == "ok" && $0["status"]?.intValue == 200 })
        for file in ["summary.json", "batch-state.json", "input-001.jsonl", "output-001.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: scenario.output + "/" + file), "\(file)")
        }
        #expect(try BatchTestSupport.state(scenario.output).finished)
    }

    @Test func perLineHTTPErrorsAreReconciledAndResubmittedWithTheirParent() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml(lines: 40, extra: """
            faults:
              status_rates: {500: 0.3, 400: 0.1}
            """))
        defer { scenario.cleanup() }
        var options = BatchTestSupport.options(scenario)
        options.maxRounds = 1
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        let summary = try #require(result.summary)
        let lines = try BatchTestSupport.results(scenario)
        #expect(lines.count == 40)
        #expect(lines.map { $0["custom_id"]?.stringValue } == (0..<40).map { BatchInputLine.customID(index: $0) })
        let outcomes = lines.compactMap { $0["outcome"]?.stringValue }
        #expect(outcomes.allSatisfy { $0 == "ok" || $0 == "http_error" })
        // Every http_error line names its status; 400s are not retried, so at least one stays from round 0.
        #expect(lines.filter { $0["outcome"]?.stringValue == "http_error" }.allSatisfy { $0["status"]?.intValue != nil })
        #expect(summary.outcomes.ok + summary.outcomes.httpError == 40)
        // The mock writes output lines in completion order, not input order: reconciliation put them back.
        let outputOrder = try scenario.read("output-001.jsonl").split(separator: "\n")
            .compactMap { try JSONValue.parse($0)["custom_id"]?.stringValue }
        #expect(outputOrder != outputOrder.sorted())
        // Round 1 resubmitted the 500s of the first batch, linked to it.
        let state = try BatchTestSupport.state(scenario.output)
        let retry = try #require(state.shards.first { $0.round == 1 })
        #expect(retry.parentBatch == state.shards[0].batchID)
        let retryBatch = try BatchObject(json: try #require(retry.batch))
        #expect(retryBatch.metadataValue("parent_batch") == state.shards[0].batchID)
        #expect(summary.rounds == 1 && summary.batches.count == 2)
        #expect(summary.resubmittedLines == retry.lineCount && retry.lineCount > 0)
        #expect(lines.contains { $0["round"]?.intValue == 1 })
    }

    @Test func aJobOverTheTiersQueueLimitIsSplitAndEveryBatchCompletes() async throws {
        // tier1 gpt-4o: 90,000 enqueued tokens. 60 lines of ~2,006 tokens = ~120,000 tokens → at least 2 batches.
        let scenario = try TestScenario(BatchTestSupport.yaml(lines: 60, model: "gpt-4o", promptTokens: 2_000,
                                                              extra: "tier: tier1"))
        defer { scenario.cleanup() }
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: BatchTestSupport.options(scenario))
        let summary = try #require(result.summary)
        let state = try BatchTestSupport.state(scenario.output)
        #expect(state.shards.count >= 2)
        #expect(state.shards.allSatisfy { $0.inputTokens <= 90_000 })
        #expect(summary.outcomes.ok == 60)
        #expect(summary.batches.allSatisfy { $0.status == "completed" })
    }

    @Test func overTheQueueLimitUnsplitTheBatchFailsWithTokenLimitExceeded() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml(lines: 60, model: "gpt-4o", promptTokens: 2_000,
                                                              extra: "tier: tier1"))
        defer { scenario.cleanup() }
        var options = BatchTestSupport.options(scenario)
        options.queueLimit = 10_000_000  // plan as if the queue were larger than the mock's tier says
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        let summary = try #require(result.summary)
        #expect(summary.batches.map(\.status) == ["failed"])
        #expect(summary.batches[0].errors.first?.hasPrefix("token_limit_exceeded") == true)
        #expect(summary.outcomes.failed == 60)
        #expect(summary.errorCodes["token_limit_exceeded"] == 60)
        #expect(result.exitCode == ExitCodes.runFailed)  // no line succeeded: never green
    }

    @Test func anExpiredBatchKeepsItsPartialOutput() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml(lines: 20, batch: BatchTestSupport.slowBatch(linesIn24h: 8)))
        defer { scenario.cleanup() }
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: BatchTestSupport.options(scenario))
        let summary = try #require(result.summary)
        #expect(summary.batches.map(\.status) == ["expired"])
        #expect(summary.outcomes.ok > 0)
        #expect(summary.outcomes.expired > 0)
        #expect(summary.outcomes.ok + summary.outcomes.expired == 20)
        #expect(result.exitCode == ExitCodes.success)
    }
}
