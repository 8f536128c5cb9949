import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// `budget.max_usd` needs a bounded output side, and `batch submit` keeps to the budget, checks `--input` files and
/// tags and reports every batch it creates.
@Suite(.serialized) struct BatchSubmitTests {
    static func unboundedYAML() -> String {
        BatchTestSupport.yaml().replacingOccurrences(of: "  max_tokens: 8\n", with: "") + "\nbudget: {max_usd: 100}\n"
    }

    @Test func aBudgetWithoutMaxTokensIsRefusedBeforeAnyFileIsWritten() async throws {
        let scenario = try TestScenario(Self.unboundedYAML())
        defer { scenario.cleanup() }
        #expect(!Self.unboundedYAML().contains("max_tokens"))
        do {
            _ = try await BatchWorkflow.run(scenario: scenario.path, options: BatchTestSupport.options(scenario))
            Issue.record("a budget without max_tokens was accepted")
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains("set max_tokens so the cost can be bounded"))
        }
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/input-001.jsonl"))
    }

    @Test func submitTagsEachBatchAndReportsItAsCreated() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let session = try await BatchSession.open(scenario: scenario.path, retry: BatchSessionTests.backoff)
        let path = scenario.directory + "/one.jsonl"
        try (BatchSessionTests.line("a") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let reported = Messages()
        let batches = try await session.submit(inputFiles: [path, path], runID: "tb-submit") { reported.add($0.id) }
        #expect(reported.all == batches.map(\.id))
        #expect(batches.map { $0.metadataValue("tierbench_run") } == ["tb-submit", "tb-submit"])
        #expect(batches.map { $0.metadataValue("tierbench_shard") } == ["0", "1"])
        await session.close()
    }

    @Test func submittedInputFilesAreValidatedBeforeUploading() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let session = try await BatchSession.open(scenario: scenario.path, retry: BatchSessionTests.backoff)
        let good = scenario.directory + "/good.jsonl"
        let bad = scenario.directory + "/bad.jsonl"
        try (BatchSessionTests.line("a") + "\n").write(toFile: good, atomically: true, encoding: .utf8)
        try (BatchSessionTests.line("a") + "\n" + BatchSessionTests.line("b", stream: true) + "\nnot json\n")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        try session.validateInputFiles([good])
        do {
            try session.validateInputFiles([good, bad])
            Issue.record("a bad input file passed")
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains("bad.jsonl: line 2"))
            #expect(error.description.contains("bad.jsonl: line 3"))
        }
        await session.close()
    }
}

/// `batch submit` as a child process: the budget is checked before anything is uploaded.
@Suite("tierbench batch submit budget", .serialized, .enabled(if: CLI.binary != nil))
struct BatchSubmitCLITests {
    @Test func submitRefusesAJobOverTheBudget() async throws {
        let test = try TestScenario(BatchTestSupport.yaml() + "\nbudget: {max_usd: 0.0000001}\n")
        defer { test.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(test)
        let submit = try CLI.run(["batch", "submit", test.path, "--mock-url", url, "--output", test.directory + "/in"])
        #expect(submit.code == ExitCodes.runFailed, "\(submit.output)")
        #expect(submit.output.contains("nothing was submitted"))
        #expect(server.stats().batches.filesUploaded == 0 && server.stats().batchesCreated == 0)
        let unbounded = try TestScenario(BatchSubmitTests.unboundedYAML())
        defer { unbounded.cleanup() }
        let refused = try CLI.run(["batch", "submit", unbounded.path, "--mock-url", url, "--output", unbounded.directory + "/in"])
        #expect(refused.code == ExitCodes.scenarioError, "\(refused.output)")
        await server.stop()
    }
}
