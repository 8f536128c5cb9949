import Foundation
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// Scenarios and helpers for the batch tests: the mock's batch clock runs fast (a large `time_scale`, short fixed
/// phases), so a lifecycle takes well under a second of wall time.
enum BatchTestSupport {
    /// A chat scenario on the mock with `lines` requests; `batch` replaces the mock's batch settings and `extra` is
    /// appended under `mock:`.
    static func yaml(name: String = "batch-e2e", lines: Int = 20, model: String = "gpt-4o-mini", promptTokens: Int = 20,
                     batch: String = fastBatch, extra: String = "") -> String {
        """
        version: 1
        name: \(name)
        target: mock
        model: \(model)
        request:
          messages: [{role: user, content: "{prompt}"}]
          max_tokens: 8
        prompts:
          synthetic: {count: \(min(lines, 50)), tokens: {mean: \(promptTokens), stddev: 0}}
        load: {requests: \(lines)}
        mock:
          output_tokens: 8
          batch:
        \(batch.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        \(extra.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        """
    }

    /// Every phase short, 24 h of virtual time in 8.6 s of wall time.
    static let fastBatch = """
        time_scale: 10000
        validate_min: 0s
        validate_max: 1s
        validate_per_mb: 0s
        queue_delay: 1s
        stall_probability: 0
        lines_per_second: 200
        finalize_min: 1s
        finalize_max: 2s
        cancel_min: 0s
        cancel_max: 2s
        line_latency: false
        """

    /// Lines so slow that about `done` of them finish in the 24 h window (time_scale 100,000: 0.86 s of wall time).
    static func slowBatch(linesIn24h done: Double) -> String {
        """
        time_scale: 100000
        validate_min: 0s
        validate_max: 0s
        validate_per_mb: 0s
        queue_delay: 0s
        stall_probability: 0
        lines_per_second: \(done / 86_400)
        finalize_min: 1s
        finalize_max: 1s
        cancel_min: 10s
        cancel_max: 10s
        line_latency: false
        """
    }

    /// Options writing into the scenario's folder, with fast polling.
    static func options(_ scenario: TestScenario) -> BatchRunOptions {
        var options = BatchRunOptions()
        options.outputDirectory = scenario.output
        options.poll = BatchBackoff(initial: 0.02, multiplier: 1.5, cap: 0.2, jitter: 0.3)
        options.retry = BatchBackoff(initial: 0.02, cap: 0.2)
        options.timeout = 60
        return options
    }

    /// A mock started by the test (it outlives a workflow "killed" mid-way), with the scenario's settings.
    static func startMock(_ scenario: TestScenario) async throws -> (MockServer, String) {
        let loaded = try ScenarioFile.load(path: scenario.path)
        let server = MockServer(settings: loaded.scenario.mock)
        let port = try await server.start()
        return (server, "http://127.0.0.1:\(port)/v1")
    }

    /// results.jsonl, parsed.
    static func results(_ scenario: TestScenario) throws -> [JSONValue] {
        try scenario.read("results.jsonl").split(separator: "\n").map { try JSONValue.parse($0) }
    }

    /// The state file, decoded.
    static func state(_ directory: String) throws -> BatchRunState {
        try JSONDecoder().decode(BatchRunState.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/batch-state.json")))
    }
}
