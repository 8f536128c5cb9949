import Testing
@testable import TierbenchCore

struct MetricsSSEParserTests {
    /// What a parser saw: payloads, counters and the final state.
    struct Observation: Equatable {
        var payloads: [String] = []
        var contentFromFeeds = 0
        var contentChunks = 0
        var dataEvents = 0
        var done = false
        var usage: TokenUsage?
        var error: APIErrorInfo?
    }

    /// Feeds `stream` in the pieces `cuts` makes (byte offsets), then finishes.
    static func observe(_ stream: [UInt8], cuts: [Int]) -> Observation {
        var parser = SSEParser()
        var observation = Observation()
        var start = 0
        for end in cuts + [stream.count] {
            stream[start..<end].withUnsafeBytes { piece in
                observation.contentFromFeeds += parser.feed(piece) { payload in
                    observation.payloads.append(String(decoding: payload, as: UTF8.self))
                }
            }
            start = end
        }
        observation.contentFromFeeds += parser.finish { observation.payloads.append(String(decoding: $0, as: UTF8.self)) }
        observation.contentChunks = parser.contentChunks
        observation.dataEvents = parser.dataEvents
        observation.done = parser.done
        observation.usage = parser.usage
        observation.error = parser.error
        return observation
    }

    static let chunks = [
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","#
            + #""content":""},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"},"#
            + #""logprobs":{"content":[{"token":"Hel"}]},"finish_reason":null}],"usage":null}"#,
        #"{"id":"c1","choices":[{"index":0,"delta":{"content":"lo \"content\":\"\" \n"},"finish_reason":null}],"#
            + #""usage":null}"#,
        #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
        #"{"id":"c1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,"#
            + #""completion_tokens_details":{"reasoning_tokens":0}}}"#,
    ]

    /// A chat stream with a comment, LF, CR LF and CR line ends, ending in [DONE].
    static let stream: [UInt8] = Array((
        ": keep-alive\n\n"
        + "data: \(chunks[0])\n\n"
        + "data: \(chunks[1])\r\n\r\n"
        + "data:\(chunks[2])\r\r"
        + "id: 7\nretry: 100\ndata: \(chunks[3])\n\n"
        + "data: \(chunks[4])\n\n"
        + "data: [DONE]\n\n"
    ).utf8)

    @Test func wholeStream() {
        let observation = Self.observe(Self.stream, cuts: [])
        #expect(observation.payloads == Self.chunks + ["[DONE]"])
        #expect(observation.contentChunks == 2)
        #expect(observation.contentFromFeeds == 2)
        #expect(observation.dataEvents == 5)
        #expect(observation.done)
        #expect(observation.usage == TokenUsage(prompt: 9, completion: 3, total: 12))
        #expect(observation.error == nil)
    }

    @Test func splitAtEveryBytePosition() {
        let expected = Self.observe(Self.stream, cuts: [])
        for cut in 0...Self.stream.count {
            #expect(Self.observe(Self.stream, cuts: [cut]) == expected, "split at byte \(cut)")
        }
    }

    @Test func splitIntoSingleBytesAndThreePieces() {
        let expected = Self.observe(Self.stream, cuts: [])
        #expect(Self.observe(Self.stream, cuts: Array(1..<Self.stream.count)) == expected)
        for first in stride(from: 1, to: Self.stream.count, by: 37) {
            for second in stride(from: first, to: Self.stream.count, by: 53) {
                #expect(Self.observe(Self.stream, cuts: [first, second]) == expected)
            }
        }
    }

    @Test func includeUsageChunkWithCachedTokens() {
        let stream = Array((#"data: {"choices":[{"delta":{"content":"Hi"}}],"usage":null}"# + "\n\n"
            + #"data: {"choices":[],"usage":{"prompt_tokens":2048,"completion_tokens":1,"total_tokens":2049,"#
            + #""prompt_tokens_details":{"cached_tokens":1536,"audio_tokens":0},"#
            + #""completion_tokens_details":{"reasoning_tokens":0}}}"# + "\n\ndata: [DONE]\n\n").utf8)
        let expected = TokenUsage(prompt: 2048, completion: 1, total: 2049, cachedPrompt: 1536)
        #expect(Self.observe(stream, cuts: []).usage == expected)
        for cut in stride(from: 1, to: stream.count, by: 7) {
            #expect(Self.observe(stream, cuts: [cut]).usage == expected, "split at byte \(cut)")
        }
    }

    @Test func completionsTextChunksCarryContent() {
        let stream = Array((#"data: {"object":"text_completion","choices":[{"text":" a","index":0}]}"# + "\n\n"
            + #"data: {"object":"text_completion","choices":[{"text":"","index":0,"finish_reason":"length"}]}"#
            + "\n\ndata: [DONE]\n\n").utf8)
        let observation = Self.observe(stream, cuts: [])
        #expect(observation.contentChunks == 1)
        #expect(observation.done)
    }

    @Test func errorEventMidStream() {
        let stream = Array((#"data: {"choices":[{"delta":{"content":"Hi"}}]}"# + "\n\n"
            + #"data: {"error":{"message":"The server had an error","type":"server_error","code":null}}"#
            + "\n\n").utf8)
        let observation = Self.observe(stream, cuts: [])
        #expect(observation.error == APIErrorInfo(message: "The server had an error", type: "server_error"))
        #expect(!observation.done)
        #expect(observation.contentChunks == 1)
    }

    @Test func namedErrorEventAndMultiLineData() {
        let stream = Array("event: error\ndata: {\"message\":\ndata: \"overloaded\"}\n\n".utf8)
        let observation = Self.observe(stream, cuts: [])
        #expect(observation.payloads == ["{\"message\":\n\"overloaded\"}"])
        #expect(observation.error?.message == "overloaded")
        // A nested "error" key is not an error event.
        let nested = Array("data: {\"choices\":[{\"delta\":{\"error\":1}}]}\n\n".utf8)
        #expect(Self.observe(nested, cuts: []).error == nil)
    }

    @Test func streamEndingWithoutBlankLineIsFinishedLeniently() {
        let observation = Self.observe(Array("data: [DONE]".utf8), cuts: [])
        #expect(observation.done)
    }

    @Test func truncatedStreamIsNotDone() {
        let stream = Array((#"data: {"choices":[{"delta":{"content":"Hi"}}]}"# + "\n\ndata: {\"choi").utf8)
        var parser = SSEParser()
        stream.withUnsafeBytes { _ = parser.feed($0) }
        #expect(parser.contentChunks == 1)
        #expect(!parser.done)
    }

    @Test func oversizedEventsAreDroppedAndCounted() {
        var parser = SSEParser(maxEventBytes: 16)
        let stream = Array("data: 0123456789abcdefXYZ\n\ndata: [DONE]\n\n".utf8)
        var payloads: [String] = []
        stream.withUnsafeBytes { _ = parser.feed($0) { payloads.append(String(decoding: $0, as: UTF8.self)) } }
        #expect(parser.oversizedEvents == 1)
        #expect(payloads == ["[DONE]"])
        #expect(parser.done)
    }
}
