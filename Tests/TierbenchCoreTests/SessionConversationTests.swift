import Foundation
import Testing

@testable import TierbenchCore

@Suite struct SessionConversationTests {
    @Test("live history: turn k carries the user messages and real replies of turns 1…k−1, then its own message")
    func liveHistoryGrows() {
        var conversation = SessionConversation(live: [])
        let users = ["u1 hello", "u2 tell me more", "u3 and then?"]
        let replies = ["r1 hi there", "r2 here is more"]
        #expect(conversation.messages(turn: 1, user: users[0]) == [.user(users[0])])
        conversation.answered(user: users[0], reply: replies[0])
        #expect(conversation.messages(turn: 2, user: users[1]) == [.user(users[0]), .assistant(replies[0]), .user(users[1])])
        conversation.answered(user: users[1], reply: replies[1])
        let third = conversation.messages(turn: 3, user: users[2])
        #expect(third == [.user(users[0]), .assistant(replies[0]), .user(users[1]), .assistant(replies[1]), .user(users[2])])
        // The context (as the mock counts it) is the sum of every earlier input and reply plus the new message.
        let contents = users.map(TokenEstimator.tokens(in:)) + replies.map(TokenEstimator.tokens(in:))
        #expect(TokenEstimator.chatPromptTokens(messageContentTokens: third.map { TokenEstimator.tokens(in: $0.content) })
                == contents.reduce(0, +) + 3 * 5 + 3)
    }

    @Test("recorded history: turn k resends the file's transcript up to its k-th user message")
    func recordedHistory() {
        let transcript: [SessionMessage] = [
            .init(role: "system", content: "be brief"), .user("a"), .assistant("A"), .user("b"), .assistant("B"), .user("c"),
        ]
        var conversation = SessionConversation(recorded: transcript)
        #expect(conversation.messages(turn: 1, user: "ignored") == Array(transcript[0...1]))
        conversation.answered(user: "a", reply: "a live reply that is not used")
        #expect(conversation.messages(turn: 2, user: "ignored") == Array(transcript[0...3]))
        #expect(conversation.messages(turn: 3, user: "ignored") == transcript)
        #expect(SessionConversation.userTurns(of: transcript) == ["a", "b", "c"])
    }

    @Test("the reply is read from choices[0].message.content, or the stream's delta contents in order")
    func replyExtraction() {
        let plain = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello \"you\""}}],"usage":{}}"#
        #expect(SessionReply.text(body: Array(plain.utf8), stream: false) == "Hello \"you\"")
        let stream = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\r
            \r
            data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}

            data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}

            data: [DONE]

            """
        #expect(SessionReply.text(body: Array(stream.utf8), stream: true) == "Hello")
        #expect(SessionReply.text(body: Array("not json".utf8), stream: false) == "")
    }

    @Test("session files: ShareGPT and {session_id, turns} lines, or a JSON array; bad lines are named")
    func fileFormats() throws {
        let jsonl = """
            {"id":"x","conversations":[{"from":"system","value":"s"},{"from":"human","value":"q1"},{"from":"gpt","value":"a1"},{"from":"human","value":"q2"}]}

            {"session_id":"y","turns":[{"content":"only user"},{"role":"assistant","content":"ans"},{"role":"user","text":"again"}]}
            """
        let parsed = try SessionFileParser.parse(jsonl, file: "c.jsonl")
        #expect(parsed.count == 2)
        #expect(parsed[0] == [.init(role: "system", content: "s"), .user("q1"), .assistant("a1"), .user("q2")])
        #expect(parsed[1] == [.user("only user"), .assistant("ans"), .user("again")])
        let array = #"[{"turns":[{"role":"user","content":"hi"}]}]"#
        #expect(try SessionFileParser.parse(array, file: "c.json") == [[.user("hi")]])
        do {
            _ = try SessionFileParser.parse("{\"turns\":[{\"content\":\"a\"}]}\n{\"messages\":[]}\n", file: "bad.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.description.hasPrefix("bad.jsonl:2: sessions.file:"))
        }
        #expect(throws: PromptLoadError.self) { try SessionFileParser.parse("{\"turns\":[{\"role\":\"assistant\",\"content\":\"a\"}]}", file: "f") }
    }

    @Test("a sessions.jsonl line has the documented keys in order, times in ms and ISO-8601")
    func recordLine() throws {
        var record = SessionRecord(number: 7, turnsPlanned: 4, start: 1_500_000_000)
        record.end = 4_250_000_000
        record.turnsDone = 4
        record.activeNanos = 750_000_000
        record.thinkNanos = 2_000_000_000
        record.promptTokens = 900
        record.completionTokens = 120
        record.costUSD = 0.00042
        let line = record.jsonLine(runStartUnixNanos: 1_764_000_000_000_000_000)
        let keys = ["session_id", "outcome", "turns_planned", "turns_done", "turns_failed", "start", "end", "start_ms",
                    "duration_ms", "active_ms", "think_ms", "prompt_tokens", "completion_tokens", "cached_tokens",
                    "cost_usd", "errors", "slo_met"]
        var position = line.startIndex
        for key in keys {
            let range = try #require(line.range(of: "\"\(key)\":", range: position..<line.endIndex))
            position = range.upperBound
        }
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["session_id"] as? String == "s-000007")
        #expect(object["start"] as? String == "2025-11-24T16:00:01.500Z")
        #expect(object["end"] as? String == "2025-11-24T16:00:04.250Z")
        #expect(object["duration_ms"] as? Double == 2750)
        #expect(object["start_ms"] as? Double == 1500)
        #expect(object["slo_met"] as? Bool == true)
        #expect(object.count == keys.count)
    }
}

extension SessionConversationTests {
    static func body(_ content: String) -> [UInt8] {
        Array(#"{"choices":[{"index":0,"message":{"role":"assistant","content":""#.utf8) + Array(content.utf8)
            + Array(#""}}]}"#.utf8)
    }

    @Test("a reply over 1 MiB is cut at a character boundary: a complete last character stays, a split one goes")
    func replyCutAtACharacterBoundary() {
        let limit = SessionReply.maxReplyBytes
        for (tail, kept) in [("é", 2), ("€", 3), ("😀", 4)] {
            let width = tail.utf8.count
            // Ends exactly at the limit with a complete multi-byte character, then more text: the character stays.
            let exact = String(repeating: "a", count: limit - width) + tail + "bbb"
            let cutExact = SessionReply.text(body: Self.body(exact), stream: false)
            #expect(cutExact.utf8.count == limit, "\(tail)")
            #expect(cutExact.hasSuffix(tail), "\(tail)")
            // Split by the limit (its first byte is the limit's last): the whole character goes.
            let split = String(repeating: "a", count: limit - 1) + tail + "bbb"
            let cutSplit = SessionReply.text(body: Self.body(split), stream: false)
            #expect(cutSplit.utf8.count == limit - 1 && cutSplit.utf8.allSatisfy { $0 == UInt8(ascii: "a") }, "\(tail)")
            #expect(kept == width)
        }
        // ASCII at the limit: exactly the limit is kept.
        let ascii = String(repeating: "x", count: limit + 10)
        #expect(SessionReply.text(body: Self.body(ascii), stream: false).utf8.count == limit)
    }

    @Test("a body that is not valid UTF-8: its bad bytes become U+FFFD, the rest of the reply is kept")
    func nonUTF8Body() {
        let body = Array(#"{"choices":[{"index":0,"message":{"role":"assistant","content":"ok "#.utf8) + [0xFF, 0xC3]
            + Array(#" end"}}]}"#.utf8)
        #expect(SessionReply.text(body: body, stream: false) == "ok \u{FFFD}\u{FFFD} end")
        let stream = Array("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a".utf8) + [0xE2, 0x82]
            + Array("b\"}}]}\n\ndata: [DONE]\n\n".utf8)
        #expect(SessionReply.text(body: stream, stream: true) == "a\u{FFFD}b")
    }
}
