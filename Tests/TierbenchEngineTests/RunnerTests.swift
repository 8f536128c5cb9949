import Foundation
import Testing
import TierbenchCore
import TierbenchEngine
import TierbenchMock

@Suite("tierbench run against the built-in mock", .serialized)
struct RunnerTests {
    @Test("totals equal the mock's received count and the request-log lines; usage equals what the mock reported")
    func totalsAndUsage() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: totals
            endpoint: chat
            model: gpt-4o-mini
            request:
              messages: [{ role: user, content: "{prompt}" }]
              max_tokens: 12
            prompts:
              inline: ["who is the oldest president", "what is the name of a famous cave with monsters in greek mythology"]
            load:
              max_workers: 4
              requests: 200
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let stats = try #require(report.mockStats)
        let log = try scenario.requestLog()

        #expect(report.summary.requests.total == 200)
        #expect(report.summary.requests.succeeded == 200)
        #expect(stats.requests == 200)
        #expect(log.count == 200)
        let promptTokens = log.compactMap { $0["prompt_tokens"] as? Int }.reduce(0, +)
        let completionTokens = log.compactMap { $0["completion_tokens"] as? Int }.reduce(0, +)
        #expect(report.summary.tokens.prompt == promptTokens)
        #expect(report.summary.tokens.completion == completionTokens)
        #expect(report.summary.tokens.prompt == stats.promptTokens)
        #expect(report.summary.tokens.completion == stats.completionTokens)
        #expect(report.summary.tokens.total == stats.promptTokens + stats.completionTokens)
        #expect(report.summary.errorRate == 0)
    }

    @Test("against a server that answers in exactly 20 ms, the median latency is within 1 ms of 20 ms")
    func fixedLatencyMedian() async throws {
        let server = try FixedDelayServer(delay: 0.020)
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: latency
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            prompts: { inline: ["hello"] }
            load: { max_workers: 4, requests: 300 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 300)
        #expect(server.requestsServed == 300)
        let p50 = report.summary.latencyMs.p50
        #expect(abs(p50 - 20) <= 1, "p50 was \(p50) ms")
        #expect(report.summary.latencyMs.min >= 19.9)
    }

    @Test("the built-in mock's fixed latency shows in the median (its own overhead is a few ms at most)")
    func mockLatencyMedian() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: mock-latency
            prompts: { inline: ["hello"] }
            load: { max_workers: 4, requests: 200 }
            mock: { latency: 20ms }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let p50 = report.summary.latencyMs.p50
        #expect(p50 >= 20 && p50 <= 26, "p50 was \(p50) ms")
    }

    @Test("4xx and 5xx answers land in their error classes and statuses")
    func httpErrorClasses() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: faults
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, requests: 40 }
            mock:
              faults:
                status_rates: { 500: 1.0 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.failed == 40)
        #expect(report.summary.errors["http_5xx"] == 40)
        #expect(report.summary.statusCounts["500"] == 40)
        #expect(report.summary.errorRate == 1)
        #expect(report.exitCode == ExitCodes.runFailed)
    }

    @Test("a refused connection is classified as connection_refused")
    func refused() async throws {
        let port = closedLoopbackPort()
        let scenario = try TestScenario("""
            version: 1
            name: refused
            target: { base_url: "http://127.0.0.1:\(port)/v1" }
            prompts: { inline: ["hello"] }
            load: { max_workers: 1, requests: 3 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.errors["connection_refused"] == 3)
        #expect(report.summary.statusCounts.isEmpty)
    }

    @Test("a server that never answers ends in the timeout class")
    func timeout() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: timeout
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, requests: 2 }
            timeouts: { connect: 1s, request: 300ms }
            mock: { faults: { hang_rate: 1.0 } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.errors["timeout"] == 2)
    }

    @Test("the API key appears in no result file")
    func apiKeyNeverWritten() async throws {
        let key = "sk-tierbench-test-7f3a9c2e51d84b06"
        var settings = MockSettings()
        settings.apiKeys = [key]
        let server = MockServer(settings: settings)
        let port = try await server.start()
        defer { Task { await server.stop() } }
        setenv("TIERBENCH_TEST_KEY", key, 1)
        let scenario = try TestScenario("""
            version: 1
            name: secret
            target:
              base_url: "http://127.0.0.1:\(port)/v1"
              api_key_env: TIERBENCH_TEST_KEY
              headers: { X-Api-Key: "\(key)" }
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, requests: 10 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 10)
        for file in ["summary.json", "requests.jsonl"] {
            #expect(try !scenario.read(file).contains(key), "\(file) contains the API key")
        }
        #expect(!report.summaryJSON.contains(key))
    }

    @Test("a missing API key variable is a scenario error with its own exit code")
    func missingKey() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: nokey
            target: { base_url: "http://127.0.0.1:9/v1", api_key_env: TIERBENCH_UNSET_VARIABLE_FOR_TEST }
            load: { requests: 1 }
            """)
        defer { scenario.cleanup() }
        await #expect(throws: EngineError.self) { try await Runner.run(scenario.options()) }
        do {
            _ = try await Runner.run(scenario.options())
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains("TIERBENCH_UNSET_VARIABLE_FOR_TEST"))
        }
    }

    @Test("an unknown key and a malformed file are scenario errors (exit 65) naming the line and the fix")
    func invalidScenarios() throws {
        let unknown = try TestScenario("""
            version: 1
            load:
              max_worker: 4
              requests: 10
            """)
        defer { unknown.cleanup() }
        #expect(throws: EngineError.self) { try ScenarioFile.load(path: unknown.path) }
        do {
            _ = try ScenarioFile.load(path: unknown.path)
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains(":3:"))
            #expect(error.description.contains("max_workers"))
        }
        let malformed = try TestScenario("version: 1\nload: [unclosed\n")
        defer { malformed.cleanup() }
        do {
            _ = try ScenarioFile.load(path: malformed.path)
            Issue.record("a malformed file loaded")
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains(malformed.path))
        }
    }
}
