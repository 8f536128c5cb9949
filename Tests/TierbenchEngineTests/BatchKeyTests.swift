import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// A real-API scenario whose key variable is unset fails before anything is written or sent, naming the variable.
@Suite struct BatchKeyTests {
    static func yaml(port: Int) -> String {
        """
        version: 1
        name: batch-key
        target:
          base_url: http://127.0.0.1:\(port)/v1
          api_key_env: TIERBENCH_TEST_UNSET_KEY_9F2
        load: {requests: 3}
        """
    }

    @Test func runFailsFastNamingTheVariable() async throws {
        let scenario = try TestScenario(Self.yaml(port: closedLoopbackPort()))
        defer { scenario.cleanup() }
        var options = BatchRunOptions()
        options.outputDirectory = scenario.output
        options.environment = [:]
        let started = Date()
        do {
            _ = try await BatchWorkflow.run(scenario: scenario.path, options: options)
            Issue.record("a run without its key started")
        } catch {
            #expect(error.description.contains("TIERBENCH_TEST_UNSET_KEY_9F2"))
            #expect(error.description.contains("is not set"))
            #expect(error.exitCode == ExitCodes.scenarioError)
        }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(!FileManager.default.fileExists(atPath: scenario.output))  // nothing written, nothing sent
    }

    @Test func singleStepCommandsFailFastToo() async throws {
        let scenario = try TestScenario(Self.yaml(port: closedLoopbackPort()))
        defer { scenario.cleanup() }
        do {
            _ = try await BatchSession.open(scenario: scenario.path, environment: [:])
            Issue.record("a session without its key opened")
        } catch {
            #expect(error.description.contains("TIERBENCH_TEST_UNSET_KEY_9F2"))
        }
    }

    @Test func theKeyNeverReachesResultsEvenWhenTheServerEchoesIt() throws {
        let redactor = SecretRedactor(secrets: SecretRedactor.secrets(ofHeaders: [("Authorization", "Bearer sk-test-secret-123")]))
        let path = NSTemporaryDirectory() + "tierbench-redact-" + UUID().uuidString
        defer { unlink(path) }
        try (#"{"custom_id":"a","response":null}"# + "\n" + #"{"custom_id":"b","error":{"message":"bad key sk-test-secret-123"}}"# + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try BatchFileIO.redact(path, redactor)
        let cleaned = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!cleaned.contains("sk-test-secret-123"))
        #expect(cleaned.contains("[REDACTED]"))
        #expect(cleaned.hasPrefix(#"{"custom_id":"a","response":null}"# + "\n"))
        let line = BatchResults.line(number: 1, customID: "a",
                                     result: .init(outcome: .failed, errorMessage: "key sk-test-secret-123"),
                                     batchID: nil, round: 0, redactor: redactor)
        #expect(!line.contains("sk-test-secret-123"))
    }
}
