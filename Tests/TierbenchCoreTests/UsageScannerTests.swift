import Testing
@testable import TierbenchCore

struct UsageScannerTests {
    static func scan(_ text: String) -> TokenUsage? { UsageScanner.scan(Array(text.utf8)) }

    @Test func chatCompletionWithDetailsPrettyPrinted() {
        let body = """
        {
          "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
          "object": "chat.completion",
          "created": 1741570283,
          "model": "gpt-4o-2024-08-06",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "The image shows ...",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1117,
            "completion_tokens": 46,
            "total_tokens": 1163,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": {
              "reasoning_tokens": 0, "audio_tokens": 0,
              "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_fc9f1d7035"
        }
        """
        #expect(Self.scan(body) == TokenUsage(prompt: 1117, completion: 46, total: 1163))
    }

    @Test func detailsBeforeTheCounts() {
        let body = #"{"usage":{"prompt_tokens_details":{"cached_tokens":7,"prompt_tokens":999},"#
            + #""completion_tokens_details":{"reasoning_tokens":3},"prompt_tokens":20,"completion_tokens":4,"#
            + #""total_tokens":24}}"#
        // The nested "prompt_tokens": 999 is not the usage's; the nested cached_tokens is.
        #expect(Self.scan(body) == TokenUsage(prompt: 20, completion: 4, total: 24, cachedPrompt: 7))
    }

    @Test func cachedTokensFromPromptTokensDetails() {
        // A prompt-cache hit as the reference's §1.3 describes it: 2,006 prompt tokens of which 1,920 cached.
        let body = """
        {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
         "usage": {
           "prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
           "prompt_tokens_details": { "audio_tokens": 0, "cached_tokens" : 1920, "image_tokens": {"n": [1, 2]} },
           "completion_tokens_details": { "reasoning_tokens": 0, "cached_tokens": 55 }
         }}
        """
        let usage = Self.scan(body)
        #expect(usage == TokenUsage(prompt: 2006, completion: 300, total: 2306, cachedPrompt: 1920))
        // A `cached_tokens` elsewhere (completion details, content) is not the prompt's.
        let elsewhere = #"{"choices":[{"message":{"content":"\"cached_tokens\": 9"}}],"usage":{"prompt_tokens":5,"#
            + #""completion_tokens":1,"total_tokens":6,"completion_tokens_details":{"cached_tokens":9}}}"#
        #expect(Self.scan(elsewhere) == TokenUsage(prompt: 5, completion: 1, total: 6, cachedPrompt: 0))
    }

    @Test func withoutPromptTokensDetailsNothingIsCached() {
        let plain = Self.scan(#"{"usage":{"prompt_tokens":24,"completion_tokens":15,"total_tokens":39}}"#)
        #expect(plain == TokenUsage(prompt: 24, completion: 15, total: 39))
        #expect(plain?.cachedPrompt == 0)
        #expect(Self.scan(#"{"usage":{"prompt_tokens":24,"completion_tokens":15,"total_tokens":39,"#
            + #""prompt_tokens_details":null}}"#) == TokenUsage(prompt: 24, completion: 15, total: 39))
        #expect(Self.scan(#"{"usage":{"prompt_tokens":24,"prompt_tokens_details":{},"completion_tokens":15}}"#)
            == TokenUsage(prompt: 24, completion: 15, total: 39))
    }

    @Test func truncatedDetailsFailSoft() {
        #expect(Self.scan(#"{"usage":{"prompt_tokens":12,"prompt_tokens_details":{"cached_tokens":8"#)
            == TokenUsage(prompt: 12, cachedPrompt: 8))
        #expect(Self.scan(#"{"usage":{"prompt_tokens":12,"prompt_tokens_details":{"cached_tok"#)
            == TokenUsage(prompt: 12))
        #expect(Self.scan(#"{"usage":{"prompt_tokens_details":{"cached_tokens":8}}}"#) == nil)
    }

    @Test func compactChat() {
        let body = #"{"id":"chatcmpl-9758Iw","object":"chat.completion","created":1711475054,"model":"gpt-4o-mini","#
            + #""choices":[{"index":0,"message":{"role":"assistant","content":"2 + 2 equals 4."},"#
            + #""finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":15,"total_tokens":39},"#
            + #""system_fingerprint":null}"#
        #expect(Self.scan(body) == TokenUsage(prompt: 24, completion: 15, total: 39))
    }

    @Test func completionsWithSeveralPromptsAndN() {
        let body = #"{"id":"cmpl-1","object":"text_completion","created":1589478378,"model":"gpt-3.5-turbo-instruct","#
            + #""choices":[{"text":"\n\nThis is","index":0,"logprobs":null,"finish_reason":"length"},"#
            + #"{"text":" a test","index":1,"logprobs":null,"finish_reason":"length"},"#
            + #"{"text":"usage","index":2,"logprobs":null,"finish_reason":"stop"},"#
            + #"{"text":"x","index":3,"logprobs":null,"finish_reason":"stop"}],"#
            + #""usage":{"prompt_tokens":10,"completion_tokens":28,"total_tokens":38}}"#
        #expect(Self.scan(body) == TokenUsage(prompt: 10, completion: 28, total: 38))
    }

    @Test func embeddingsHaveNoCompletionTokens() {
        let vector = (0..<1_536).map { "\(Double($0) / 7_919 - 0.1)" }.joined(separator: ",")
        let body = #"{"object":"list","data":[{"object":"embedding","index":0,"embedding":["# + vector
            + #"]},{"object":"embedding","index":1,"embedding":"AAAAPwAAgD8="}],"model":"text-embedding-3-small","#
            + #""usage":{"prompt_tokens":8,"total_tokens":8}}"#
        #expect(Self.scan(body) == TokenUsage(prompt: 8, completion: 0, total: 8))
    }

    @Test func usageTextInsideContentIsNotMistakenForTheRealOne() {
        // The message talks about a usage object; the real one comes after it.
        let body = #"{"choices":[{"message":{"role":"assistant","content":"Use \"usage\": {\"prompt_tokens\": "#
            + #"999, \"total_tokens\": 999} to count."}}],"usage":{"prompt_tokens":5,"completion_tokens":9,"#
            + #""total_tokens":14}}"#
        #expect(Self.scan(body) == TokenUsage(prompt: 5, completion: 9, total: 14))
    }

    @Test func usageFirstThenContentMentioningUsage() {
        let body = #"{"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5},"choices":[{"message":"#
            + #"{"content":"He said \"usage\": {\"prompt_tokens\": 999} and \\\"usage\\\""}}]}"#
        #expect(Self.scan(body) == TokenUsage(prompt: 3, completion: 2, total: 5))
    }

    @Test func contentMentionsUsageButResponseHasNone() {
        let body = #"{"choices":[{"message":{"content":"\"usage\": {\"prompt_tokens\": 999}"}}]}"#
        #expect(Self.scan(body) == nil)
    }

    @Test func absentNullOrValueNotKey() {
        #expect(Self.scan(#"{"choices":[]}"#) == nil)
        #expect(Self.scan(#"{"choices":[],"usage":null}"#) == nil)
        #expect(Self.scan(#"{"object":"usage","n":1}"#) == nil)
        #expect(Self.scan("") == nil)
        #expect(Self.scan(#"{"usage":{}}"#) == nil)
    }

    @Test func truncatedBodyFailsSoft() {
        let body = #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tok"#
        #expect(Self.scan(body) == TokenUsage(prompt: 12))
        #expect(Self.scan(#"{"usage":"#) == nil)
        #expect(Self.scan(#"{"usage":{"prompt_tokens":"#) == nil)
    }

    @Test func streamingFinalChunk() {
        let chunk = #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"#
            + #""model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"#
            + #""total_tokens":21,"prompt_tokens_details":{"cached_tokens":0}}}"#
        #expect(Self.scan(chunk) == TokenUsage(prompt: 9, completion: 12, total: 21))
        let cachedChunk = #"{"id":"chatcmpl-123","object":"chat.completion.chunk","choices":[],"usage":{"#
            + #""prompt_tokens":1200,"completion_tokens":12,"total_tokens":1212,"#
            + #""prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0}}}"#
        #expect(Self.scan(cachedChunk) == TokenUsage(prompt: 1200, completion: 12, total: 1212, cachedPrompt: 1024))
    }

    @Test("the memchr prefilter finds \"usage\" wherever it is, and only where it is")
    func prefilterFindsTheNeedleAnywhere() {
        func contains(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBytes { JSONBytes.contains($0, "\"usage\"") }
        }
        #expect(contains(#""usage""#))
        #expect(contains(#""usage":{}"#) && contains(#"{"a":1,"usage""#) && contains(#"uu"u"usage"u"#))
        #expect(!contains(""))
        #expect(!contains(#""usag"#) && !contains(#"usage""#) && !contains(#""usage"#) && !contains(#""Usage""#))
        #expect(!contains(#"{"u":"u","uusage":1,"usages":2}"#))
        // Every position of the needle in a longer body, and a body cut one byte short of it.
        for offset in 0..<40 {
            let padding = String(repeating: "u", count: offset)
            #expect(contains(padding + #""usage""# + padding))
            #expect(!contains(padding + #""usage"#))
        }
    }

    @Test("a body without the bytes \"usage\" always reads as absent, so the SSE parser may skip the scanner for it")
    func prefilterIsExact() {
        let bodies = [
            #"{"choices":[{"delta":{"content":"hi"}}]}"#,
            #"{"choices":[{"delta":{"content":"usage"}}],"usage":null}"#,
            #"{"note":"say \"usage\": {\"prompt_tokens\": 1}","usage":{"prompt_tokens":2,"total_tokens":2}}"#,
            #"{"usage":{"prompt_tokens":-1}}"#, #"{"usage":{"prompt_tokens":3,"#, #"{"Usage":{"prompt_tokens":4}}"#,
            #"{"usages":{"prompt_tokens":5}}"#, "", "usage", #""usage":{"total_tokens":6}"#,
        ]
        for body in bodies {
            let bytes = Array(body.utf8)
            let reading = UsageScanner.read(bytes)
            let found = bytes.withUnsafeBytes { JSONBytes.contains($0, "\"usage\"") }
            #expect(found || reading == .absent, "\(body)")
        }
        // The one body of the list without the needle that has a usage-like object is still absent; one with it is not.
        #expect(UsageScanner.read(Array(#"{"Usage":{"prompt_tokens":4}}"#.utf8)) == .absent)
        #expect(Self.scan(#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#)
            == TokenUsage(prompt: 3, completion: 4, total: 7))
    }

    @Test("the eight-bytes-a-step search for a key finds what a byte-by-byte backward scan finds, for every anchor and limit")
    func keySearchMatchesAPlainScan() {
        /// The plain scan: every start from the last one that ends before `limit` down to 0.
        func plain(_ bytes: UnsafeRawBufferPointer, before limit: Int) -> Int? {
            let key = Array("usage".utf8)
            var start = min(limit, bytes.count) - key.count - 2
            while start >= 0 {
                if bytes[start] == 0x22, bytes[start + key.count + 1] == 0x22,
                   Array(bytes[(start + 1)...(start + key.count)]) == key,
                   !JSONBytes.isEscaped(bytes, quoteAt: start) {
                    return start
                }
                start -= 1
            }
            return nil
        }
        #expect(JSONBytes.rarestByteOffset(in: "usage") == 3)  // the g
        var random = SplitMix64(seed: 14)
        let pieces = [#""usage""#, #"\"usage\""#, #"\\"usage""#, "usage", "g", #"""#, #"\"#, "u", "a", "e", ":", "{"]
        for _ in 0..<400 {
            var body = ""
            for _ in 0..<Int(random.next() % 12) { body += pieces[Int(random.next() % UInt64(pieces.count))] }
            let bytes = Array(body.utf8)
            bytes.withUnsafeBytes { raw in
                for limit in 0...(raw.count + 1) {
                    let expected = plain(raw, before: limit)
                    for anchor in 0..<5 {
                        #expect(JSONBytes.lastKeyQuote(raw, key: "usage", anchor: anchor, before: limit) == expected,
                                "\(body) limit \(limit) anchor \(anchor)")
                    }
                }
            }
        }
    }

    @Test("lastIndex(of:) finds the last match in every range, next to bytes that would carry into it")
    func lastIndexIsExact() {
        var random = SplitMix64(seed: 7)
        let alphabet: [UInt8] = [0x00, 0x01, 0x66, 0x67, 0x68, 0x7F, 0x80, 0xE7, 0xFF]
        for _ in 0..<200 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            bytes.withUnsafeBytes { raw in
                for byte in alphabet {
                    for low in 0..<raw.count {
                        for high in low..<raw.count {
                            let expected = (low...high).last { raw[$0] == byte }
                            #expect(JSONBytes.lastIndex(of: byte, in: raw, from: low, through: high) == expected)
                        }
                    }
                }
            }
        }
    }

    @Test("endOfString skips escapes as a byte-by-byte walk does, from every opening position")
    func endOfStringMatchesAPlainWalk() {
        func plain(_ bytes: UnsafeRawBufferPointer, openingQuote index: Int) -> Int? {
            var position = index + 1
            while position < bytes.count {
                if bytes[position] == 0x5C { position += 2 } else if bytes[position] == 0x22 { return position + 1 } else { position += 1 }
            }
            return nil
        }
        var random = SplitMix64(seed: 22)
        let alphabet: [UInt8] = [0x22, 0x5C, 0x61, 0x00, 0xFF, 0x7F, 0x80, 0x21, 0x5D, 0xDC, 0xA2]
        for _ in 0..<300 {
            let bytes = (0..<Int(random.next() % 48)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            bytes.withUnsafeBytes { raw in
                for index in 0..<raw.count {
                    #expect(JSONBytes.endOfString(raw, openingQuote: index) == plain(raw, openingQuote: index), "\(bytes) \(index)")
                }
            }
        }
    }
}
