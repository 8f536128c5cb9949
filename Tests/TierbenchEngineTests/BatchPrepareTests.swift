import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench batch prepare` through the engine: the same bodies as a sync run, custom ids, splitting under the
/// token budget (from the mock tier's data or a flag), local validation with the line and fix named.
@Suite struct BatchPrepareTests {
    static let yaml = """
        version: 1
        name: batch-prep
        target: mock
        model: gpt-4o-mini
        request:
          messages: [{role: user, content: "{prompt}"}]
          max_tokens: 16
        prompts:
          synthetic: {count: 10, tokens: {mean: 40, stddev: 0}}
        load: {requests: 25}
        """

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func writesOneLinePerRequestWithTheSyncBodies() throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let result = try BatchPrepare.prepare(loaded, directory: scenario.output)
        #expect(result.lines == 25)
        #expect(result.files.map(\.name) == ["input-001.jsonl"])
        let written = try lines(scenario.output + "/input-001.jsonl")
        #expect(written.count == 25)
        let bodies = try LoadPlanBuilder.requestBodies(loaded)
        for (index, line) in written.enumerated() {
            let json = try JSONValue.parse(Substring(line))
            #expect(json["custom_id"]?.stringValue == BatchInputLine.customID(index: index))
            #expect(json["url"]?.stringValue == "/v1/chat/completions")
            #expect(json["body"]?.jsonText == bodies[index % bodies.count].text)
        }
        #expect(result.estimatedUSD != nil)
    }

    @Test func splitsUnderTheQueueLimitAndNamesTheFiles() throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let perLine = try LoadPlanBuilder.requestBodies(loaded)[0].estimatedPromptTokens
        let result = try BatchPrepare.prepare(loaded, directory: scenario.output, lines: 100, queueLimit: perLine * 30)
        #expect(result.files.map(\.shard.lineCount) == [30, 30, 30, 10])
        #expect(result.files.allSatisfy { $0.shard.inputTokens <= perLine * 30 })
        let second = try lines(scenario.output + "/input-002.jsonl")
        #expect(second.first?.contains("\"req-000031\"") == true)
    }

    @Test func everyWrittenFileKeepsEveryLimitOnDisk() throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let limits = BatchPlanner.Limits(maxLines: 7, maxBytes: 1_500, maxInputTokens: 200)
        let result = try BatchPrepare.prepare(loaded, directory: scenario.output, lines: 60, limits: limits)
        #expect(result.files.count >= 9)
        var ids: [String] = []
        for file in result.files {
            let path = scenario.output + "/" + file.name
            let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            let written = try lines(path)
            #expect(written.count <= 7 && written.count == file.shard.lineCount)
            #expect(bytes <= 1_500 && bytes == file.shard.byteCount)
            #expect(file.shard.inputTokens <= 200)
            ids += try written.map { try #require(try JSONValue.parse(Substring($0))["custom_id"]?.stringValue) }
        }
        #expect(ids == (0..<60).map { BatchInputLine.customID(index: $0) })
    }

    @Test func theMockTiersQueueLimitComesFromItsTierData() throws {
        var scenario = try ScenarioFile.load(path: try TestScenario(Self.yaml).path).scenario
        scenario.mock.tier = "tier1"
        #expect(BatchQueueBudget.limit(for: scenario) == 2_000_000)
        scenario.model = "gpt-4o"
        #expect(BatchQueueBudget.limit(for: scenario) == 90_000)
        #expect(BatchQueueBudget.limit(for: scenario, override: 5) == 5)
        scenario.mock.tier = nil
        #expect(BatchQueueBudget.limit(for: scenario) == nil)
    }

    @Test func aStreamingScenarioIsRefusedWithItsFix() throws {
        let scenario = try TestScenario(Self.yaml + "\nstream: true\n")
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        #expect(throws: BatchWorkflowError.self) { try BatchPrepare.prepare(loaded, directory: scenario.output) }
        do {
            _ = try BatchPrepare.prepare(loaded, directory: scenario.output)
        } catch {
            #expect(error.description.contains("remove stream: true"))
            #expect(error.exitCode == ExitCodes.scenarioError)
        }
    }

    @Test func anUnbatchableModelIsNamedWithTheLine() throws {
        let scenario = try TestScenario(Self.yaml.replacingOccurrences(of: "model: gpt-4o-mini", with: "model: gpt-3.5-turbo-instruct"))
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        do {
            _ = try BatchPrepare.prepare(loaded, directory: scenario.output)
            Issue.record("an unsupported model was accepted")
        } catch {
            #expect(error.description.contains("input-001.jsonl line 1 (custom_id req-000001): model_not_found"))
            #expect(error.description.contains("pick a model"))
        }
    }
}
