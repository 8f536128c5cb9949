import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// The single-step commands' engine functions against the mock: a batch failed by validation with OpenAI's codes,
/// a cancelled batch, a late cancel answered 409 and reported clearly, list, retrieve.
@Suite(.serialized) struct BatchSessionTests {
    static let backoff = BatchBackoff(initial: 0.02, multiplier: 1.5, cap: 0.2, jitter: 0.3)

    /// Writes `lines` as an input file in the scenario's folder.
    func inputFile(_ scenario: TestScenario, _ lines: [String]) throws -> String {
        let path = scenario.directory + "/hand.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func line(_ id: String, stream: Bool = false) -> String {
        #"{"custom_id":"\#(id)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4\#(stream ? #","stream":true"# : "")}}"#
    }

    @Test func aBatchWithBadLinesFailsWithTheValidationCodes() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let session = try await BatchSession.open(scenario: scenario.path, retry: Self.backoff)
        let file = try inputFile(scenario, [Self.line("a"), Self.line("b", stream: true), Self.line("a"), "{not json"])
        let created = try await session.submit(inputFiles: [file])
        let batch = try await session.wait(created[0].id, timeout: 30, poll: Self.backoff)
        #expect(batch.status == .failed)
        let codes = (batch.errors ?? []).compactMap(\.code)
        #expect(codes.contains("streaming_unsupported"))
        #expect(codes.contains("invalid_json_line"))
        #expect((batch.errors ?? []).contains { $0.line == 2 })
        let result = try await session.retrieve(batch.id, directory: scenario.output, inputFile: file)
        let summary = try #require(result.summary)
        #expect(summary.outcomes.failed == 3)  // the three readable input lines never ran
        #expect(result.exitCode == ExitCodes.runFailed)
        await session.close()
    }

    @Test func aCancelledBatchAndALateCancel() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml(batch: BatchTestSupport.slowBatch(linesIn24h: 4)))
        defer { scenario.cleanup() }
        let session = try await BatchSession.open(scenario: scenario.path, retry: Self.backoff)
        let file = try inputFile(scenario, (1...10).map { Self.line("c\($0)") })
        let created = try await session.submit(inputFiles: [file], metadata: [.init("purpose", .string("test"))])
        let cancelling = try await session.cancel(created[0].id)
        #expect(cancelling.status == .cancelling || cancelling.status == .cancelled)
        let cancelled = try await session.wait(created[0].id, timeout: 30, poll: Self.backoff)
        #expect(cancelled.status == .cancelled)
        let result = try await session.retrieve(cancelled.id, directory: scenario.output)
        let summary = try #require(result.summary)
        #expect(summary.lines == 10)
        #expect(summary.outcomes.ok + summary.outcomes.missing + summary.outcomes.failed == 10)
        #expect(summary.batches[0].status == "cancelled")

        // A batch that already ended cannot be cancelled: HTTP 409, said plainly.
        let done = try await session.submit(inputFiles: [try inputFile(scenario, [Self.line("x")])])
        _ = done
        let scenario2 = try TestScenario(BatchTestSupport.yaml())
        defer { scenario2.cleanup() }
        let fast = try await BatchSession.open(scenario: scenario2.path, retry: Self.backoff)
        let quick = try await fast.submit(inputFiles: [try inputFile(scenario2, [Self.line("y")])])
        let completed = try await fast.wait(quick[0].id, timeout: 30, poll: Self.backoff)
        #expect(completed.status == .completed)
        do {
            _ = try await fast.cancel(completed.id)
            Issue.record("a completed batch was cancelled")
        } catch {
            guard case .api(let apiError) = error else { Issue.record("not an API error: \(error)"); return }
            #expect(apiError.status == 409)
            #expect(error.description.contains("409"))
            #expect(error.description.contains("already ended"))
            #expect(error.exitCode == ExitCodes.runFailed)
        }
        let listed = try await fast.list(limit: 10)
        #expect(listed.batches.contains { $0.id == completed.id } && listed.skipped == 0)
        await fast.close()
        await session.close()
    }
}

/// Re-attaching by metadata follows the list's pages (the cursor is the last item's id).
@Suite(.serialized) struct BatchFindTests {
    @Test func anOlderBatchIsFoundPagesDown() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let session = try await BatchSession.open(scenario: scenario.path, retry: BatchSessionTests.backoff)
        let path = scenario.directory + "/one.jsonl"
        try (BatchSessionTests.line("a") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let target = try await session.submit(inputFiles: [path], metadata: [
            .init("tierbench_run", .string("tb-find")), .init("tierbench_shard", .string("0")),
        ])
        for number in 0..<6 {
            _ = try await session.submit(inputFiles: [path], metadata: [.init("n", .string(String(number)))])
        }
        let found = try await session.client.findBatch(runID: "tb-find", shard: 0, pageSize: 2)
        #expect(found?.id == target[0].id)
        let missing = try await session.client.findBatch(runID: "tb-other", shard: 0, pageSize: 2)
        #expect(missing == nil)
        await session.close()
    }
}
