import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// A server that echoes the API key into a batch's `errors.data[].message`, metadata and model: the key appears in
/// no progress line, state file, result file or summary, also when a finished run is re-reconciled.
@Suite(.serialized) struct BatchRedactionTests {
    static let key = "sk-test-echo-7d3e9b21"

    static func yaml(port: Int) -> String {
        """
        version: 1
        name: batch-echo
        target:
          base_url: http://127.0.0.1:\(port)/v1
          api_key_env: TIERBENCH_TEST_ECHO_KEY
        model: gpt-4o-mini
        request:
          messages: [{role: user, content: "{prompt}"}]
          max_tokens: 8
        prompts:
          synthetic: {count: 3, tokens: {mean: 10, stddev: 0}}
        load: {requests: 3}
        """
    }

    static func batch(_ status: String, extra: String = "") -> String {
        #"{"id":"batch_e1","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-e1","#
            + #""completion_window":"24h","status":"\#(status)","created_at":1000,"model":"gpt-4o-mini \#(key)","#
            + #""metadata":{"note":"\#(key)"},"request_counts":{"total":3,"completed":0,"failed":0}\#(extra)}"#
    }

    @Test func anEchoedKeyReachesNoOutputStateOrResultFile() async throws {
        let failed = Self.batch("failed", extra: #","failed_at":1010,"errors":{"object":"list","data":"#
            + #"[{"code":"invalid_request","line":1,"message":"bad header Bearer \#(Self.key)","param":null}]}"#)
        let server = try BatchScriptedServer([
            .init(status: 200, body: #"{"id":"file-e1","object":"file","bytes":10,"created_at":1000,"filename":"x","purpose":"batch","status":"processed"}"#),
            .init(status: 200, body: Self.batch("validating")),
            .init(status: 200, body: failed),
        ])
        defer { server.stop() }
        let scenario = try TestScenario(Self.yaml(port: server.port))
        defer { scenario.cleanup() }
        var options = BatchTestSupport.options(scenario)
        options.environment = ["TIERBENCH_TEST_ECHO_KEY": Self.key]
        let messages = Messages()
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: options) { messages.add($0.message) }
        #expect(result.summary?.outcomes.failed == 3)
        #expect(messages.all.contains { $0.contains("[REDACTED]") })
        #expect(!messages.all.contains { $0.contains(Self.key) })
        // Re-reconciling the finished run (no client opened) redacts too.
        var resume = options
        resume.outputDirectory = nil
        resume.resumeDirectory = scenario.output
        _ = try await BatchWorkflow.run(scenario: scenario.path, options: resume)
        let files = try FileManager.default.contentsOfDirectory(atPath: scenario.output)
        #expect(files.contains("batch-state.json") && files.contains("summary.json") && files.contains("results.jsonl"))
        for file in files {
            let text = (try? String(contentsOfFile: scenario.output + "/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains(Self.key), "\(file)")
        }
        #expect(try scenario.read("batch-state.json").contains("[REDACTED]"))
    }
}

/// Progress lines collected from a `@Sendable` callback.
final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
