import Foundation
import Testing

@testable import TierbenchCore

@Suite struct ScenarioRequestBodyTests {
    static func scenario(_ yaml: String) throws -> Scenario {
        try ScenarioLoader.parse(text: "version: 1\nload: { requests: 10 }\n" + yaml, fileName: "b.yaml")
    }

    static func object(_ body: RequestBody) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(body.bytes))
        return try #require(parsed as? [String: Any])
    }

    @Test func chatSubstitutesThePromptAndSetsTheModel() throws {
        let scenario = try Self.scenario("""
            model: gpt-test
            request:
              messages: [{ role: system, content: "Be brief." }, { role: user, content: "Q: {prompt}" }]
              max_completion_tokens: 30
              temperature: 0.7
            prompts: { inline: ["first", "second", "third"] }
            """)
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.text("first"), .text("second"), .text("third")])
        #expect(factory.distinctBodyCount == 3)
        let body = factory.body(forRequest: 4)
        #expect(body == factory.bodies[1])
        #expect(body.text.hasPrefix("{\"model\":\"gpt-test\",\"messages\""))
        let json = try Self.object(body)
        #expect(json["model"] as? String == "gpt-test")
        #expect(json["temperature"] as? Double == 0.7)
        #expect(json["stream"] == nil)
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Q: second"]])
        #expect(body.promptCount == 1)
        #expect(body.maxTokens == 30)
        #expect(body.choices == 1)
        // The mock's count: per message 3 + ⌈9 bytes / 4⌉ = 6, twice, plus 3 for the reply.
        #expect(body.estimatedPromptTokens == 6 + 6 + 3)
    }

    @Test(arguments: [
        "say \"hi\" and \\ leave",
        "two\nlines\tand a tab",
        "unicode: héllo 世界 🚀",
        "control \u{01} char and {braces}",
    ])
    func promptTextIsEscapedInJSON(_ prompt: String) throws {
        let scenario = try Self.scenario("prompts: { inline: [x] }")
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.text(prompt)])
        let json = try Self.object(factory.bodies[0])
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages.first?["content"] == prompt)
    }

    @Test func completionsBatchesPromptsIntoAnArrayAndWrapsTheLastBatch() throws {
        let scenario = try Self.scenario("""
            endpoint: completions
            model: instruct
            request: { prompt: "Q: {prompt}", max_tokens: 16, n: 2 }
            prompts: { inline: [a] }
            batch_size: 3
            """)
        let prompts = (1...7).map { Prompt.text("p\($0)") }
        let factory = try RequestBodyFactory(scenario: scenario, prompts: prompts)
        #expect(factory.distinctBodyCount == 3)
        let arrays = try factory.bodies.map { try #require(Self.object($0)["prompt"] as? [String]) }
        #expect(arrays == [["Q: p1", "Q: p2", "Q: p3"], ["Q: p4", "Q: p5", "Q: p6"], ["Q: p7", "Q: p1", "Q: p2"]])
        #expect(factory.bodies.allSatisfy { $0.promptCount == 3 && $0.maxTokens == 16 && $0.choices == 2 })
        #expect(factory.bodies[0].estimatedPromptTokens == 3 * RequestBodyFactory.estimateTokens("Q: p1"))
        #expect(try Self.object(factory.bodies[0])["model"] as? String == "instruct")
    }

    @Test func completionsWithBatchSizeOneKeepsAString() throws {
        let scenario = try Self.scenario("endpoint: completions\nrequest: { prompt: \"<{prompt}>\" }")
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.text("x")])
        #expect(try Self.object(factory.bodies[0])["prompt"] as? String == "<x>")
        let bare = try Self.scenario("endpoint: completions\nrequest: { max_tokens: 5 }")
        let bareFactory = try RequestBodyFactory(scenario: bare, prompts: [.text("x")])
        #expect(try Self.object(bareFactory.bodies[0])["prompt"] as? [String] == ["x"])
    }

    @Test func embeddingsPutTheBatchInInput() throws {
        let scenario = try Self.scenario("endpoint: embeddings\nbatch_size: 2\nrequest: { dimensions: 8 }")
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.text("a"), .text("b"), .text("c"), .text("d")])
        #expect(factory.distinctBodyCount == 2)
        let json = try Self.object(factory.bodies[1])
        #expect(json["input"] as? [String] == ["c", "d"])
        #expect(json["dimensions"] as? Int == 8)
        #expect(json["model"] as? String == "text-embedding-3-small")
        #expect(factory.bodies[1].maxTokens == nil)
        #expect(factory.bodies[1].promptCount == 2)
    }

    @Test(arguments: [Endpoint.chat, .completions])
    func streamingAsksForUsage(_ endpoint: Endpoint) throws {
        let scenario = try Self.scenario("endpoint: \(endpoint.rawValue)\nstream: true")
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.text("x")])
        let json = try Self.object(factory.bodies[0])
        #expect(json["stream"] as? Bool == true)
        #expect((json["stream_options"] as? [String: Bool]) == ["include_usage": true])
    }

    @Test func wholeBodiesOverrideTheTemplateButNotModelOrStreaming() throws {
        let scenario = try Self.scenario("model: m1\nrequest: { messages: [{ role: user, content: \"{prompt}\" }], temperature: 1 }")
        let whole = JSONValue.object([
            .init("model", .string("other")), .init("stream", .bool(true)),
            .init("messages", .array([.object([.init("role", .string("user")), .init("content", .string("from file"))])])),
            .init("max_tokens", .int(9)),
        ])
        let factory = try RequestBodyFactory(scenario: scenario, prompts: [.body(whole), .text("t")])
        let json = try Self.object(factory.bodies[0])
        #expect(json["model"] as? String == "m1")
        #expect(json["stream"] == nil)
        #expect(json["temperature"] as? Int == 1)
        #expect(json["max_tokens"] as? Int == 9)
        #expect((json["messages"] as? [[String: String]])?.first?["content"] == "from file")
        #expect(factory.bodies[0].maxTokens == 9)
        let second = try Self.object(factory.bodies[1])
        #expect((second["messages"] as? [[String: String]])?.first?["content"] == "t")
    }

    @Test func bodyErrorsAreActionable() throws {
        let batched = try Self.scenario("endpoint: embeddings\nbatch_size: 2")
        #expect(throws: RequestBodyError.self) {
            _ = try RequestBodyFactory(scenario: batched, prompts: [.body(.object([.init("input", .string("x"))]))])
        }
        let chat = try Self.scenario("")
        #expect {
            _ = try RequestBodyFactory(scenario: chat, prompts: [.body(.object([.init("input", .string("x"))]))])
        } throws: { error in
            (error as? RequestBodyError)?.message.contains("without 'messages'") == true
        }
        #expect(throws: RequestBodyError.self) { _ = try RequestBodyFactory(scenario: chat, prompts: []) }
    }

    @Test func tokenEstimateIsUTF8BytesOverFourRoundedUp() {
        #expect(RequestBodyFactory.estimateTokens("") == 0)
        #expect(RequestBodyFactory.estimateTokens("abcd") == 1)
        #expect(RequestBodyFactory.estimateTokens("abcde") == 2)
        #expect(RequestBodyFactory.estimateTokens("héllo") == 2)  // 6 UTF-8 bytes
        #expect(RequestBodyFactory.estimateTokens("🚀🚀") == 2)  // 8 UTF-8 bytes
        #expect(RequestBodyFactory.estimateTokens(String(repeating: "x", count: 400)) == 100)
        #expect(SyntheticPromptGenerator.text(tokens: 37, seed: 9).utf8.count == 37 * 4)
    }
}
