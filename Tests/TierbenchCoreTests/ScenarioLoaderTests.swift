import Foundation
import Testing

@testable import TierbenchCore

@Suite struct ScenarioLoaderTests {
    @Test func fullScenarioReadsEveryKey() throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.fixtureText("full.yaml"), fileName: "full.yaml")
        #expect(scenario.version == 1)
        #expect(scenario.name == "full-example")
        #expect(scenario.description == "every key set")
        let expectedTarget = RemoteTarget(
            baseURL: "https://llm.example.com/v1", apiKeyEnv: "EXAMPLE_KEY",
            headers: [HTTPHeader(name: "X-Team", value: "bench"), HTTPHeader(name: "OpenAI-Organization", value: "org-123")])
        #expect(scenario.target == .remote(expectedTarget))
        #expect(scenario.endpoint == .completions)
        #expect(scenario.model == "my-model")
        #expect(scenario.request["prompt"] == .string("Q: {prompt}\nA:"))
        #expect(scenario.request["max_tokens"] == .int(32))
        #expect(scenario.request["temperature"] == .double(0.5))
        #expect(scenario.request["stop"] == .array([.string("\n"), .null]))
        #expect(scenario.request["logit_bias"] == .object([.init("50256", .int(-100))]))
        #expect(scenario.request["echo"] == .bool(false))
        #expect(scenario.prompts == .inline(["one", "two", "three"]))
        #expect(scenario.batchSize == 2)
        #expect(scenario.stream)
        #expect(scenario.load == LoadSettings(maxWorkers: 4, duration: .seconds(90), requests: 500, warmup: .milliseconds(500)))
        #expect(scenario.timeouts == ScenarioTimeouts(connect: .seconds(2), request: .seconds(45)))
        #expect(scenario.http.version == .http2)
        #expect(scenario.mock == MockSettings())
        let resolved = scenario.target.resolved(mockBaseURL: "http://127.0.0.1:1/v1")
        #expect(resolved.url(for: .completions) == "https://llm.example.com/v1/completions")
        #expect(!resolved.isMock)
    }

    @Test func defaultsFillEverythingButTheStopCondition() throws {
        let scenario = try ScenarioLoader.parse(text: "version: 1\nload: { duration: 5s }\n", fileName: "dir/my-test.yaml")
        #expect(scenario.name == "my-test")
        #expect(scenario.target == .mock)
        #expect(scenario.endpoint == .chat)
        #expect(scenario.model == "gpt-4o-mini")
        #expect(scenario.request == Scenario.defaultRequest(for: .chat))
        #expect(scenario.prompts == .defaultSynthetic)
        #expect(scenario.batchSize == 1)
        #expect(!scenario.stream)
        #expect(scenario.load == LoadSettings(maxWorkers: 1, duration: .seconds(5), requests: nil, warmup: .zero))
        #expect(scenario.timeouts == ScenarioTimeouts(connect: .seconds(10), request: .seconds(60)))
        #expect(scenario.http.version == .http1_1)
        let resolved = scenario.target.resolved(mockBaseURL: "http://127.0.0.1:4000/v1")
        #expect(resolved == ResolvedTarget(baseURL: "http://127.0.0.1:4000/v1", apiKeyEnv: nil, headers: [], isMock: true))
    }

    @Test(arguments: [Endpoint.completions, .embeddings])
    func defaultModelAndTemplateFollowTheEndpoint(_ endpoint: Endpoint) throws {
        let scenario = try ScenarioLoader.parse(
            text: ScenarioTestSupport.minimal("endpoint: \(endpoint.rawValue)"), fileName: "e.yaml")
        #expect(scenario.model == Scenario.defaultModel(for: endpoint))
        #expect(scenario.request == Scenario.defaultRequest(for: endpoint))
    }

    @Test func mockSectionReadsEveryKey() throws {
        let scenario = try ScenarioLoader.parse(
            text: ScenarioTestSupport.fixtureText("mock-full.yaml"), fileName: "fixtures/mock-full.yaml")
        let mock = scenario.mock
        #expect(mock.seed == 42)
        #expect(mock.latency.base == LatencyDistribution(kind: .normal, mean: .milliseconds(20), stddev: .milliseconds(2)))
        #expect(mock.latency.perOutputToken == .constant(.milliseconds(1)))
        #expect(mock.latency.ttft == .constant(.milliseconds(150)))
        #expect(mock.latency.itl == LatencyDistribution(kind: .lognormal, mean: .milliseconds(12), stddev: .milliseconds(3)))
        #expect(mock.modelLatency["gpt-4o"]?.base == .constant(.milliseconds(30)))
        #expect(mock.modelLatency["gpt-4o-mini"]?.base == .constant(.milliseconds(10)))
        #expect(mock.capacity == 8)
        #expect(mock.tier == "tier1")
        #expect(mock.tierSet == "seed002")
        #expect(mock.limits == RateLimitOverrides(rpm: 500, tpm: 200_000, rpd: 10_000, tpd: 2_000_000))
        #expect(mock.timeScale == 60)
        #expect(mock.apiKeys == ["sk-test-1", "sk-test-2"])
        #expect(mock.strict)
        #expect(mock.correctToActualUsage)
        #expect(mock.spendBudgetUSD == 2.5)
        #expect(mock.embeddingDimensions == 512)
        #expect(mock.maxBodyBytes == 1_048_576)
        #expect(mock.outputTokens == 40)
        #expect(mock.extraModels == ["my-model"])
        #expect(mock.organization == "org-test")
        #expect(!mock.scaleRetryAfter)
        #expect(mock.hangLimit == .seconds(30))
        #expect(mock.faults.statusRates == [500: 0.01, 503: 0.02])
        #expect(mock.faults.resetRate == 0.001)
        #expect(mock.faults.hangRate == 0)
        #expect(mock.faults.slowFirstByteRate == 0.05)
        #expect(mock.faults.slowFirstByteDelay == .seconds(2))
        #expect(mock.faults.truncateStreamRate == 0.01)
        #expect(mock.faults.malformedJSONRate == 0.002)
        #expect(mock.faults.schedule == [
            MockFaultWindow(start: .seconds(10), duration: .seconds(5), action: .status(503)),
            MockFaultWindow(start: .seconds(30), duration: .seconds(1), action: .freeze),
        ])
    }

    @Test func mockLatencyShorthandIsAConstantBase() throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.minimal("mock: { latency: 20ms }"), fileName: "m.yaml")
        #expect(scenario.mock.latency.base == .constant(.milliseconds(20)))
        #expect(scenario.mock.latency.ttft == .zero)
    }

    @Test func pathsAreKeptAsWrittenForTheEngineToResolve() throws {
        let scenario = try ScenarioLoader.parse(
            text: ScenarioTestSupport.minimal("mock: { tiers_file: tiers/custom.json }\nprompts: { file: p.txt }"),
            fileName: "scenarios/t.yaml")
        #expect(scenario.mock.tiersFile == "tiers/custom.json")
        #expect(scenario.prompts == .file("p.txt"))
    }

    @Test func jsonScenarioFilesWork() throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.fixtureText("full.json"), fileName: "full.json")
        #expect(scenario.name == "json-example")
        #expect(scenario.endpoint == .embeddings)
        #expect(scenario.request == .object([
            .init("input", .string("{prompt}")), .init("dimensions", .int(64)), .init("encoding_format", .string("float")),
        ]))
        #expect(scenario.prompts == .synthetic(SyntheticPrompts(count: 10, meanTokens: 20, stddevTokens: 0, seed: 5)))
        #expect(scenario.batchSize == 4)
        #expect(scenario.load == LoadSettings(maxWorkers: 2, duration: nil, requests: 100, warmup: .zero))
        #expect(scenario.mock.latency.base == .constant(.milliseconds(5)))
        #expect(scenario.mock.faults.statusRates == [429: 0.5])
    }

    static let roundTripFixtures = ["full.yaml", "mock-full.yaml", "full.json", "mock-batch.yaml"]

    @Test(arguments: roundTripFixtures)
    func canonicalFormReadsBackToTheSameScenario(_ name: String) throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.fixtureText(name), fileName: name)
        let canonical = scenario.canonicalJSON.jsonText
        #expect(try ScenarioLoader.parse(text: canonical, fileName: name) == scenario)
        #expect(canonical.contains("\"version\":1"))
    }

    @Test func jsonWithTabsAndOnOneLineWorks() throws {
        let tabbed = "{\n\t\"version\": 1,\n\t\"load\": {\n\t\t\"requests\": 3\n\t},\n\t\"stream\": true\n}\n"
        #expect(try ScenarioLoader.parse(text: tabbed, fileName: "t.json").stream)
        let compact = #"{"version":1,"endpoint":"completions","load":{"duration":"2s"},"request":{"prompt":"{prompt}","n":2}}"#
        let scenario = try ScenarioLoader.parse(text: compact, fileName: "c.json")
        #expect(scenario.request == .object([.init("prompt", .string("{prompt}")), .init("n", .int(2))]))
    }

    @Test(arguments: roundTripFixtures)
    func codableRoundTripKeepsTheScenario(_ name: String) throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.fixtureText(name), fileName: name)
        var decoded = try JSONDecoder().decode(Scenario.self, from: JSONEncoder().encode(scenario))
        // Keyed decoding does not keep object key order; compare the request body order-insensitively.
        #expect(Self.sortedKeys(decoded.request) == Self.sortedKeys(scenario.request))
        decoded.request = scenario.request
        #expect(decoded == scenario)
    }

    @Test func codableUsesTheFileShapeForTargetsAndPrompts() throws {
        let scenario = try ScenarioLoader.parse(text: ScenarioTestSupport.fixtureText("full.yaml"), fileName: "full.yaml")
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(scenario)) as? [String: Any])
        let target = try #require(object["target"] as? [String: Any])
        #expect(target["base_url"] as? String == "https://llm.example.com/v1")
        #expect(target["api_key_env"] as? String == "EXAMPLE_KEY")
        #expect((object["prompts"] as? [String: [String]])?["inline"] == ["one", "two", "three"])
        let mock = try JSONEncoder().encode(ScenarioTarget.mock)
        #expect(String(decoding: mock, as: UTF8.self) == "\"mock\"")
    }

    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(sortedKeys))
        case .object(let members):
            return .object(members.sorted { $0.key < $1.key }.map { .init($0.key, sortedKeys($0.value)) })
        default: return value
        }
    }

    @Test func everyExampleScenarioLoadsWithItsPrompts() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ScenarioTestSupport.scenarios.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
        let required = ["chat.yaml", "completions-batch.yaml", "embeddings.yaml", "openai-real.yaml", "quickstart.yaml",
                        "streaming-chat.yaml"]
        #expect(Set(required).isSubset(of: Set(files)))
        for file in files {
            let url = ScenarioTestSupport.scenarios.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let scenario: Scenario
            do {
                scenario = try ScenarioLoader.parse(text: text, fileName: "scenarios/" + file)
            } catch {
                Issue.record("scenarios/\(file) does not load:\n\(error)")
                continue
            }
            let prompts = try PromptLoader.load(
                scenario.prompts, baseDirectory: ScenarioTestSupport.scenarios.path,
                readFile: { try String(contentsOfFile: $0, encoding: .utf8) })
            let factory = try RequestBodyFactory(scenario: scenario, prompts: prompts)
            #expect(factory.distinctBodyCount >= 1, "\(file)")
        }
    }

    @Test func quickstartMatchesTheIssueShape() throws {
        let text = try String(contentsOf: ScenarioTestSupport.scenarios.appendingPathComponent("quickstart.yaml"), encoding: .utf8)
        let scenario = try ScenarioLoader.parse(text: text, fileName: "quickstart.yaml")
        #expect(scenario.target == .mock)
        #expect(scenario.load.maxWorkers == 10)
        #expect(scenario.load.duration == .seconds(20))
        #expect(scenario.load.warmup == .seconds(2))
        #expect(scenario.mock.latency.base == .constant(.milliseconds(20)))
    }

    @Test func openAIRealReadsItsKeyFromTheEnvironmentOnly() throws {
        let text = try String(contentsOf: ScenarioTestSupport.scenarios.appendingPathComponent("openai-real.yaml"), encoding: .utf8)
        let scenario = try ScenarioLoader.parse(text: text, fileName: "openai-real.yaml")
        #expect(scenario.target == .remote(RemoteTarget(baseURL: "https://api.openai.com/v1", apiKeyEnv: "OPENAI_API_KEY")))
        #expect(scenario.load.requests == 20)
        #expect(scenario.request["max_tokens"] == .int(20))
    }

    @Test(arguments: [
        ("yes_quoted: \"yes\"", JSONValue.string("yes")),
        ("v: 010", JSONValue.string("010")),
        ("v: '1:30'", JSONValue.string("1:30")),
        ("v: 2001-12-14", JSONValue.string("2001-12-14")),
        ("v: 1e3", JSONValue.double(1000)),
        ("v: -7", JSONValue.int(-7)),
        ("v: ~", JSONValue.null),
        ("v: True", JSONValue.bool(true)),
    ])
    func requestScalarsFollowYAML12Core(_ line: String, _ expected: JSONValue) throws {
        let quoted = line.contains("010") ? "v: \"010\"" : line
        let text = ScenarioTestSupport.minimal("request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  \(quoted)\n")
        let scenario = try ScenarioLoader.parse(text: text, fileName: "r.yaml")
        let key = String(quoted.prefix { $0 != ":" })
        #expect(scenario.request[key] == expected)
    }
}
