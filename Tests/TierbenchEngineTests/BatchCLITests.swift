import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench batch` as a child process: exit codes, a missing key named before any call, a run with no successful
/// line exits 1, the results written; and the client's reading of retry-after headers.
@Suite("tierbench batch CLI", .serialized, .enabled(if: CLI.binary != nil))
struct BatchCLITests {
    @Test func aRunExitsZeroAndWritesTheResults() throws {
        let test = try TestScenario(BatchTestSupport.yaml())
        defer { test.cleanup() }
        let result = try CLI.run(["batch", "run", test.path, "--output", test.output])
        #expect(result.code == 0, "\(result.output)")
        #expect(result.output.contains("20 lines: 20 ok"))
        #expect(result.output.contains("created batch_"))
        #expect(FileManager.default.fileExists(atPath: test.output + "/results.jsonl"))
    }

    @Test func noSuccessfulLineExitsOne() throws {
        let test = try TestScenario(BatchTestSupport.yaml(extra: "faults:\n  status_rates: {500: 1.0}"))
        defer { test.cleanup() }
        let result = try CLI.run(["batch", "run", test.path, "--output", test.output, "--quiet"])
        #expect(result.code == ExitCodes.runFailed, "\(result.output)")
        #expect(result.output.contains("no line of the batch succeeded"))
    }

    @Test func usageAndScenarioErrors() throws {
        let test = try TestScenario(BatchKeyTests.yaml(port: closedLoopbackPort()))
        defer { test.cleanup() }
        let missing = try CLI.run(["batch", "run", test.path, "--output", test.output])
        #expect(missing.code == ExitCodes.scenarioError, "\(missing.output)")
        #expect(missing.output.contains("TIERBENCH_TEST_UNSET_KEY_9F2"))
        #expect(try CLI.run(["batch", "run", test.path, "--lines", "0"]).code == ExitCodes.usage)
        let mock = try TestScenario(BatchTestSupport.yaml())
        defer { mock.cleanup() }
        let resume = try CLI.run(["batch", "run", mock.path, "--resume", mock.directory])
        #expect(resume.code == ExitCodes.usage)
        #expect(resume.output.contains("has no batch-state.json"))
        let status = try CLI.run(["batch", "status", mock.path, "batch_x"])
        #expect(status.code == ExitCodes.usage)
        #expect(status.output.contains("--mock-url"))
    }

    @Test func aNonsenseTimeoutIsAUsageErrorNotATrap() throws {
        let test = try TestScenario(BatchTestSupport.yaml())
        defer { test.cleanup() }
        for value in ["nan", "-1e20", "1e20", "inf"] {
            let wait = try CLI.run(["batch", "wait", test.path, "batch_x", "--timeout=\(value)"])
            #expect(wait.code == ExitCodes.usage, "\(value): \(wait.output)")
            #expect(wait.output.contains("--timeout must be"), "\(value): \(wait.output)")
            let run = try CLI.run(["batch", "run", test.path, "--output", test.output, "--timeout=\(value)"])
            #expect(run.code == ExitCodes.usage, "\(value): \(run.output)")
        }
    }

    @Test func retryAfterHeadersAreRead() {
        #expect(BatchAPIClient.retryAfter(["retry-after-ms: 1500"]) == 1.5)
        #expect(BatchAPIClient.retryAfter(["Retry-After: 7"]) == 7)
        #expect(BatchAPIClient.retryAfter(["content-type: application/json"]) == nil)
    }
}

/// The single-step commands as a child process against a mock this test runs: submit → wait → status → retrieve →
/// list → cancel (409, a clear message).
@Suite("tierbench batch single steps", .serialized, .enabled(if: CLI.binary != nil))
struct BatchCLIStepTests {
    @Test func submitWaitRetrieveListAndALateCancel() async throws {
        let test = try TestScenario(BatchTestSupport.yaml())
        defer { test.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(test)
        let submit = try CLI.run(["batch", "submit", test.path, "--mock-url", url, "--output", test.directory + "/in"])
        #expect(submit.code == 0, "\(submit.output)")
        let id = try #require(submit.output.split(separator: " ").first { $0.hasPrefix("batch_") }.map(String.init))
        let wait = try CLI.run(["batch", "wait", test.path, id, "--mock-url", url, "--timeout", "60"])
        #expect(wait.code == 0, "\(wait.output)")
        #expect(wait.output.contains("\(id)  completed  20/20 done"))
        let status = try CLI.run(["batch", "status", test.path, id, "--mock-url", url])
        #expect(status.output.contains("completed"))
        let retrieve = try CLI.run(["batch", "retrieve", test.path, id, "--mock-url", url, "--output", test.output])
        #expect(retrieve.code == 0, "\(retrieve.output)")
        #expect(retrieve.output.contains("20 lines: 20 ok"))
        #expect(try BatchTestSupport.results(test).count == 20)
        let list = try CLI.run(["batch", "list", test.path, "--mock-url", url])
        #expect(list.output.contains(id))
        let cancel = try CLI.run(["batch", "cancel", test.path, id, "--mock-url", url])
        #expect(cancel.code == ExitCodes.runFailed)
        #expect(cancel.output.contains("HTTP 409"))
        #expect(cancel.output.contains("already ended"))
        #expect(server.stats().batchesCreated == 1)
        await server.stop()
    }

    @Test func waitExitsOneForACompletedBatchWhoseLinesAllFailed() async throws {
        let test = try TestScenario(BatchTestSupport.yaml(extra: "faults:\n  status_rates: {500: 1.0}"))
        defer { test.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(test)
        let submit = try CLI.run(["batch", "submit", test.path, "--mock-url", url, "--output", test.directory + "/in"])
        #expect(submit.code == 0, "\(submit.output)")
        let id = try #require(submit.output.split(separator: " ").first { $0.hasPrefix("batch_") }.map(String.init))
        let wait = try CLI.run(["batch", "wait", test.path, id, "--mock-url", url, "--timeout", "60"])
        #expect(wait.output.contains("\(id)  completed"), "\(wait.output)")
        #expect(wait.code == ExitCodes.runFailed, "\(wait.output)")
        #expect(wait.output.contains("none of its 20 lines succeeded"))
        await server.stop()
    }
}
