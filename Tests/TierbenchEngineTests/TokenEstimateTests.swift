import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// The client's prompt-token estimate (throttle, budget, dry run) and the mock's `usage.prompt_tokens` are one
/// definition (`TokenEstimator`): for every body the mock must report exactly what the client predicted.
@Suite("Client and mock token estimates agree", .serialized)
struct TokenEstimateTests {
    @Test(arguments: [
        ("chat", "request: { messages: [{ role: system, content: \"Be brief, précis.\" }, { role: user, content: \"{prompt}\" }] }"),
        ("completions", "batch_size: 3\nrequest: { prompt: \"Q: {prompt}\", max_tokens: 4 }"),
        ("embeddings", "batch_size: 2"),
    ])
    func mockCountsWhatTheClientEstimated(_ endpoint: String, _ extra: String) async throws {
        let scenario = try TestScenario("""
            version: 1
            name: estimate-\(endpoint)
            endpoint: \(endpoint)
            \(extra)
            prompts: { inline: ["a", "hello", "héllo wörld", "🚀 to the moon", "\(String(repeating: "x", count: 101))", "tab\\tand \\"quotes\\""] }
            load: { max_workers: 1, requests: 6 }
            """)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let bodies = try RequestBodyFactory(scenario: loaded.scenario, prompts: loaded.prompts).bodies
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 6)
        for line in try scenario.requestLog() {
            let index = try #require(line["i"] as? Int)
            let expected = bodies[index % bodies.count].estimatedPromptTokens
            #expect(line["prompt_tokens"] as? Int == expected, "\(endpoint) request \(index)")
        }
    }
}
