import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Every endpoint answers with the real API's shapes, ids and `object` strings.
    @Suite struct EndpointShapeTests {
        typealias Support = MockTestSupport

        @Test func chatCompletion() async throws {
            let (app, runtime) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.chat(#","max_tokens":5,"n":2,"temperature":0.7"#)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json")
                    let requestID = try #require(response.headers[.xRequestID])
                    #expect(requestID.hasPrefix("req_") && requestID.count == 36)
                    #expect(response.headers[HTTPField.Name("openai-version")!] == "2020-10-01")
                    #expect(response.headers[HTTPField.Name("openai-processing-ms")!] != nil)
                    let json = try Support.object(response.body)
                    #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
                    #expect(json["object"] as? String == "chat.completion")
                    #expect(json["model"] as? String == "gpt-4o-mini-2024-07-18")
                    #expect(json["created"] is Int)
                    #expect((json["system_fingerprint"] as? String)?.hasPrefix("fp_") == true)
                    let choices = try #require(json["choices"] as? [[String: Any]])
                    #expect(choices.count == 2)
                    for (index, choice) in choices.enumerated() {
                        #expect(choice["index"] as? Int == index)
                        #expect(choice["finish_reason"] as? String == "length")
                        #expect(choice.keys.contains("logprobs"))
                        let message = try #require(choice["message"] as? [String: Any])
                        #expect(message["role"] as? String == "assistant")
                        let content = try #require(message["content"] as? String)
                        #expect(TokenEstimator.tokens(in: content) == 5)
                    }
                    let usage = try #require(json["usage"] as? [String: Any])
                    // "Say hello" = 3 tokens; + 3 per message + 3 for the reply.
                    #expect(usage["prompt_tokens"] as? Int == 9)
                    #expect(usage["completion_tokens"] as? Int == 10)
                    #expect(usage["total_tokens"] as? Int == 19)
                }
            }
            let stats = runtime.snapshot()
            #expect(stats.requests == 1 && stats.succeeded == 1 && stats.completionTokens == 10 && stats.choices == 2)
        }

        @Test func maxCompletionTokensAndStopSequences() async throws {
            var settings = MockSettings()
            settings.outputTokens = 8
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.chat(#","max_completion_tokens":20"#)
                ) { response in
                    let json = try Support.object(response.body)
                    let choice = try #require((json["choices"] as? [[String: Any]])?.first)
                    #expect(choice["finish_reason"] as? String == "stop")
                    #expect((json["usage"] as? [String: Any])?["completion_tokens"] as? Int == 8)
                    let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
                    // Stop at the second word: the text must end before it, with finish_reason stop.
                    let words = content.split(separator: " ")
                    let stop = " " + String(words[1])
                    try await client.execute(
                        uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                        body: Support.chat(#","max_completion_tokens":20,"stop":["\#(stop)"]"#)
                    ) { stopped in
                        let json = try Support.object(stopped.body)
                        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
                        let text = try #require((choice["message"] as? [String: Any])?["content"] as? String)
                        #expect(text == String(words[0]))
                        #expect(!text.contains(stop))
                        #expect(choice["finish_reason"] as? String == "stop")
                    }
                }
            }
        }

        @Test func completionsWithPromptArrayAndN() async throws {
            let (app, runtime) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"gpt-3.5-turbo-instruct","prompt":["one","two two","three"],"n":2}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let json = try Support.object(response.body)
                    #expect((json["id"] as? String)?.hasPrefix("cmpl-") == true)
                    #expect(json["object"] as? String == "text_completion")
                    let choices = try #require(json["choices"] as? [[String: Any]])
                    #expect(choices.map { $0["index"] as? Int } == [0, 1, 2, 3, 4, 5])
                    for choice in choices {
                        #expect(choice["finish_reason"] as? String == "length")
                        #expect(TokenEstimator.tokens(in: choice["text"] as? String ?? "") == 16)
                    }
                    // Choices of the same prompt differ; the same prompt always gives the same text.
                    #expect(choices[0]["text"] as? String != choices[1]["text"] as? String)
                    let usage = try #require(json["usage"] as? [String: Any])
                    #expect(usage["prompt_tokens"] as? Int == 1 + 2 + 2)
                    #expect(usage["completion_tokens"] as? Int == 6 * 16)
                }
                try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"gpt-4o-mini","prompt":"hello","max_tokens":3}"#)
                ) { response in
                    let choices = try #require(try Support.object(response.body)["choices"] as? [[String: Any]])
                    #expect(choices.count == 1)
                    #expect(TokenEstimator.tokens(in: choices[0]["text"] as? String ?? "") == 3)
                }
            }
            #expect(runtime.snapshot().prompts == 4)
        }

        @Test func embeddingsFloatAndBase64() async throws {
            let (app, _) = try Support.application()
            try await app.test(.router) { client in
                var floats: [[Double]] = []
                try await client.execute(
                    uri: "/v1/embeddings", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"text-embedding-3-small","input":["alpha","beta"],"encoding_format":"float"}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let json = try Support.object(response.body)
                    #expect(json["object"] as? String == "list")
                    #expect(json["model"] as? String == "text-embedding-3-small")
                    let data = try #require(json["data"] as? [[String: Any]])
                    #expect(data.count == 2)
                    for (index, item) in data.enumerated() {
                        #expect(item["object"] as? String == "embedding")
                        #expect(item["index"] as? Int == index)
                        let vector = try #require(item["embedding"] as? [Double])
                        #expect(vector.count == 1536)
                        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        #expect(abs(norm - 1) < 1e-3)
                        floats.append(vector)
                    }
                    #expect(floats[0] != floats[1])
                    let usage = try #require(json["usage"] as? [String: Any])
                    // "alpha" is 5 bytes (2 tokens), "beta" 4 bytes (1 token).
                    #expect(usage["prompt_tokens"] as? Int == 3 && usage["total_tokens"] as? Int == 3)
                }
                try await client.execute(
                    uri: "/v1/embeddings", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"text-embedding-3-small","input":["alpha","beta"],"encoding_format":"base64"}"#)
                ) { response in
                    let data = try #require(try Support.object(response.body)["data"] as? [[String: Any]])
                    for (index, item) in data.enumerated() {
                        let encoded = try #require(item["embedding"] as? String)
                        let bytes = try #require(Data(base64Encoded: encoded))
                        #expect(bytes.count == 1536 * 4)
                        let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset -> Float in
                            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                                | UInt32(bytes[offset + 3]) << 24
                            return Float(bitPattern: bits)
                        }
                        // The base64 vector is the float vector, bit for bit (floats printed round-trip).
                        #expect(decoded.map { Double($0) }.elementsEqual(floats[index]) { abs($0 - $1) < 1e-7 })
                    }
                }
                try await client.execute(
                    uri: "/v1/embeddings", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"text-embedding-3-large","input":"x","dimensions":256}"#)
                ) { response in
                    let data = try #require(try Support.object(response.body)["data"] as? [[String: Any]])
                    #expect((data.first?["embedding"] as? [Double])?.count == 256)
                }
            }
        }

        @Test func modelsListAndRetrieve() async throws {
            let (app, _) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/models", method: .get) { response in
                    #expect(response.status == .ok)
                    let json = try Support.object(response.body)
                    #expect(json["object"] as? String == "list")
                    let data = try #require(json["data"] as? [[String: Any]])
                    #expect(data.contains { $0["id"] as? String == "gpt-4o-mini" })
                    for model in data {
                        #expect(model["object"] as? String == "model")
                        #expect(model["created"] is Int && model["owned_by"] is String)
                    }
                }
                try await client.execute(uri: "/v1/models/text-embedding-3-small", method: .get) { response in
                    let json = try Support.object(response.body)
                    #expect(json["id"] as? String == "text-embedding-3-small" && json["object"] as? String == "model")
                }
            }
        }

        @Test func streamingChatWithUsage() async throws {
            let (app, runtime) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.chat(#","max_tokens":4,"n":2,"stream":true,"stream_options":{"include_usage":true}"#)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                    let events = Support.events(response.body)
                    #expect(events.last == "[DONE]")
                    let chunks = try events.dropLast().map { try Support.object(ByteBuffer(string: $0)) }
                    let ids = Set(chunks.compactMap { $0["id"] as? String })
                    #expect(ids.count == 1 && ids.first?.hasPrefix("chatcmpl-") == true)
                    #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
                    #expect(chunks.allSatisfy { $0.keys.contains("usage") })
                    var text = ["", ""]
                    var finishes: [Int: String] = [:]
                    var firstDelta: [Int: [String: Any]] = [:]
                    for chunk in chunks.dropLast() {
                        #expect(chunk["usage"] is NSNull)
                        let choice = try #require((chunk["choices"] as? [[String: Any]])?.first)
                        let index = try #require(choice["index"] as? Int)
                        let delta = try #require(choice["delta"] as? [String: Any])
                        if firstDelta[index] == nil { firstDelta[index] = delta }
                        text[index] += delta["content"] as? String ?? ""
                        if let reason = choice["finish_reason"] as? String { finishes[index] = reason }
                    }
                    #expect(firstDelta[0]?["role"] as? String == "assistant" && firstDelta[0]?["content"] as? String == "")
                    #expect(finishes == [0: "length", 1: "length"])
                    #expect(text.allSatisfy { TokenEstimator.tokens(in: $0) == 4 })
                    let last = try #require(chunks.last)
                    #expect((last["choices"] as? [Any])?.isEmpty == true)
                    let usage = try #require(last["usage"] as? [String: Any])
                    #expect(usage["completion_tokens"] as? Int == 8)
                    #expect(usage["total_tokens"] as? Int == (usage["prompt_tokens"] as? Int ?? 0) + 8)
                }
            }
            #expect(runtime.snapshot().streams == 1)
            #expect(runtime.snapshot().inFlight == 0)
        }

        @Test func streamingCompletionsWithoutUsage() async throws {
            let (app, _) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"gpt-3.5-turbo-instruct","prompt":["a","b"],"max_tokens":2,"stream":true}"#)
                ) { response in
                    let events = Support.events(response.body)
                    #expect(events.last == "[DONE]")
                    let chunks = try events.dropLast().map { try Support.object(ByteBuffer(string: $0)) }
                    #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" && !$0.keys.contains("usage") })
                    let indices = Set(chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["index"] as? Int })
                    #expect(indices == [0, 1])
                }
            }
        }

        @Test func pathsWithoutV1PrefixAndTokenArrays() async throws {
            let (app, _) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"davinci-002","prompt":[[1,2,3],[4,5]],"max_tokens":1}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let usage = try #require(try Support.object(response.body)["usage"] as? [String: Any])
                    #expect(usage["prompt_tokens"] as? Int == 5)
                }
            }
        }
    }
}
