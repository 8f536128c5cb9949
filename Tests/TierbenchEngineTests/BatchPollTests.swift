import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// The run's poll loop: a poll that still fails after the client's retries (5xx, no answer) is "no change" and the
/// run polls on; a 404 ends it.
@Suite(.serialized) struct BatchPollTests {
    static let file = BatchScriptedServer.Reply(
        status: 200, body: #"{"id":"file-e1","object":"file","bytes":10,"created_at":1000,"filename":"x","purpose":"batch","status":"processed"}"#)

    static func batch(_ status: String, extra: String = "") -> BatchScriptedServer.Reply {
        .init(status: 200, body: #"{"id":"batch_p1","object":"batch","endpoint":"/v1/chat/completions","#
            + #""input_file_id":"file-e1","completion_window":"24h","status":"\#(status)","created_at":1000,"#
            + #""request_counts":{"total":3,"completed":0,"failed":0}\#(extra)}"#)
    }

    static func run(_ script: [BatchScriptedServer.Reply]) async throws -> (Result<BatchRunResult, BatchWorkflowError>, Int) {
        let server = try BatchScriptedServer(script)
        defer { server.stop() }
        let scenario = try TestScenario(BatchRedactionTests.yaml(port: server.port))
        defer { scenario.cleanup() }
        var options = BatchTestSupport.options(scenario)
        options.environment = ["TIERBENCH_TEST_ECHO_KEY": "sk-poll-test-key"]
        do {
            return (.success(try await BatchWorkflow.run(scenario: scenario.path, options: options)), server.requests.count)
        } catch {
            return (.failure(error), server.requests.count)
        }
    }

    @Test func aPollThatKeepsFailingIsNoChangeUntilTheBatchEnds() async throws {
        let serverError = BatchScriptedServer.Reply(status: 500, body: #"{"error":{"message":"oops"}}"#)
        let (result, requests) = try await Self.run(
            [Self.file, Self.batch("validating")] + Array(repeating: serverError, count: 8)
                + [Self.batch("failed", extra: #","failed_at":1010"#)])
        switch result {
        case .success(let run): #expect(run.summary?.outcomes.failed == 3)
        case .failure(let error): Issue.record("the run ended on a failed poll: \(error)")
        }
        #expect(requests >= 11)
    }

    @Test func aNotFoundPollEndsTheRun() async throws {
        let (result, _) = try await Self.run(
            [Self.file, Self.batch("validating"), .init(status: 404, body: #"{"error":{"message":"no such batch"}}"#)])
        guard case .failure(let error) = result else {
            Issue.record("a 404 poll did not end the run")
            return
        }
        #expect(error.description.contains("404"))
    }
}
