import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TierbenchCore
@testable import TierbenchMock

extension MockTests {
    /// `usage.prompt_tokens_details.cached_tokens` through the endpoints, and the prefill term of the latency model.
    @Suite struct PrefixCacheEndpointTests {
        typealias Support = MockTestSupport

        /// 16-token blocks, hits from 32 tokens, 8 blocks held.
        static func settings() -> MockSettings {
            var settings = MockSettings()
            settings.prefixCache = MockPrefixCacheSettings(blockTokens: 16, minTokens: 32, capacityTokens: 128)
            settings.outputTokens = 4
            return settings
        }

        /// A user message of 244 bytes: 61 content tokens + 3 framing = 64 tokens.
        static let first = #"{"role":"user","content":"\#(String(repeating: "a", count: 244))"}"#
        /// An assistant message of 116 bytes: 29 + 3 = 32 tokens.
        static let second = #"{"role":"assistant","content":"\#(String(repeating: "b", count: 116))"}"#

        static func chatBody(_ messages: [String], extra: String = "") -> ByteBuffer {
            Support.body(#"{"model":"gpt-4o-mini","messages":[\#(messages.joined(separator: ","))]\#(extra)}"#)
        }

        /// The response's `usage` object (the last chunk's for a stream).
        static func usage(_ client: some TestClientProtocol, uri: String, body: ByteBuffer) async throws -> [String: Any] {
            try await client.execute(uri: uri, method: .post, headers: Support.jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
                let json: [String: Any]
                if response.headers[.contentType]?.hasPrefix("text/event-stream") == true {
                    let events = Support.events(response.body)
                    json = try Support.object(ByteBuffer(string: try #require(events.dropLast().last)))
                } else {
                    json = try Support.object(response.body)
                }
                return try #require(json["usage"] as? [String: Any])
            }
        }

        static func cached(_ usage: [String: Any]) -> Int? {
            (usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int
        }

        @Test func chatReportsTheCachedPrefix() async throws {
            let (app, runtime) = try Support.application(Self.settings())
            try await app.test(.router) { client in
                let uri = "/v1/chat/completions"
                let one = try await Self.usage(client, uri: uri, body: Self.chatBody([Self.first]))
                #expect(one["prompt_tokens"] as? Int == 67 && Self.cached(one) == 0)
                let again = try await Self.usage(client, uri: uri, body: Self.chatBody([Self.first]))
                #expect(Self.cached(again) == 64)
                // The conversation grows: the first message's 4 blocks are found, the new ones are not.
                let grown = try await Self.usage(client, uri: uri, body: Self.chatBody([Self.first, Self.second]))
                #expect(grown["prompt_tokens"] as? Int == 99 && Self.cached(grown) == 64)
                // Streamed, the final usage chunk carries it: now 6 blocks (96 tokens) are held.
                let streamed = try await Self.usage(
                    client, uri: uri,
                    body: Self.chatBody(
                        [Self.first, Self.second], extra: #","stream":true,"stream_options":{"include_usage":true}"#))
                #expect(streamed["prompt_tokens"] as? Int == 99 && Self.cached(streamed) == 96)
                // Another role is another message: nothing shared.
                let system = Self.first.replacingOccurrences(of: "\"user\"", with: "\"system\"")
                let other = try await Self.usage(client, uri: uri, body: Self.chatBody([system]))
                #expect(Self.cached(other) == 0)
            }
            // `/mock/stats` sums what the responses reported: 0 + 64 + 64 + 96 + 0.
            #expect(runtime.snapshot().cachedTokens == 224)
        }

        /// Spend prices cached tokens at `cached_input`, from the same table the client prices a run with: the mock's
        /// spend equals `PriceTable.cost` of the usage it reported (the invariant of CostBudgetTests).
        @Test func spendPricesCachedTokensAtTheCachedInputPrice() async throws {
            let (app, runtime) = try Support.application(Self.settings())
            let reported = try await app.test(.router) { client in
                var reported: [(prompt: Int, cached: Int, completion: Int)] = []
                for _ in 0..<2 {
                    let usage = try await Self.usage(client, uri: "/v1/chat/completions", body: Self.chatBody([Self.first]))
                    reported.append(
                        (try #require(usage["prompt_tokens"] as? Int), try #require(Self.cached(usage)),
                         try #require(usage["completion_tokens"] as? Int)))
                }
                return reported
            }
            #expect(reported.map(\.cached) == [0, 64])
            // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens.
            // Cold: 67 × 0.15 + 4 × 0.60; warm: 3 × 0.15 + 64 × 0.075 + 4 × 0.60.
            let expected = (67 * 0.15 + 4 * 0.60 + 3 * 0.15 + 64 * 0.075 + 4 * 0.60) / 1e6
            let spend = runtime.snapshot().spendUSD
            #expect(abs(spend - expected) < 1e-15)
            let client = reported.reduce(0.0) { sum, usage in
                sum + (BuiltInPrices.table.cost(
                    model: "gpt-4o-mini", promptTokens: usage.prompt, completionTokens: usage.completion,
                    cachedPromptTokens: usage.cached) ?? .nan)
            }
            #expect(abs(spend - client) < 1e-15)
        }

        @Test func completionsReportCachedTokensOnlyWithACache() async throws {
            let prompt = Support.body(#"{"model":"gpt-3.5-turbo-instruct","prompt":"\#(String(repeating: "c", count: 256))"}"#)
            let (app, _) = try Support.application(Self.settings())
            try await app.test(.router) { client in
                let one = try await Self.usage(client, uri: "/v1/completions", body: prompt)
                #expect(one["prompt_tokens"] as? Int == 64 && Self.cached(one) == 0)
                let again = try await Self.usage(client, uri: "/v1/completions", body: prompt)
                // All four blocks are held, but the last token is recomputed: at most ⌊63 / 16⌋ × 16 = 48.
                #expect(Self.cached(again) == 48)
            }
            let (plain, _) = try Support.application()
            try await plain.test(.router) { client in
                let usage = try await Self.usage(client, uri: "/v1/completions", body: prompt)
                #expect(usage["prompt_tokens_details"] == nil)
            }
        }

        @Test func theLatencyModelAddsPrefillForUncachedTokens() {
            var model = MockLatencyModel()
            model.ttft = .constant(.milliseconds(20))
            model.base = .constant(.milliseconds(50))
            model.perOutputToken = .constant(.milliseconds(2))
            model.prefillPerToken = .constant(.microseconds(500))
            var random = MockRandom(seed: 1)
            let sample = { (distribution: LatencyDistribution) in random.sample(distribution) }
            // 20 ms + 0.5 ms × (1,000 − 768) = 136 ms.
            #expect(abs(model.firstTokenSeconds(promptTokens: 1_000, cachedTokens: 768, sample: sample) - 0.136) < 1e-12)
            // Fully cached: TTFT alone.
            #expect(abs(model.firstTokenSeconds(promptTokens: 1_024, cachedTokens: 1_024, sample: sample) - 0.020) < 1e-12)
            // 50 ms + 2 ms × 10 + 0.5 ms × 1,000 = 570 ms.
            let response = model.responseSeconds(outputTokens: 10, promptTokens: 1_000, cachedTokens: 0, sample: sample)
            #expect(abs(response - 0.570) < 1e-12)
            // No prefill term: the distribution is never drawn, so seeded samples stay as they were.
            var normal = MockLatencyModel()
            normal.ttft = LatencyDistribution(kind: .normal, mean: .milliseconds(20), stddev: .milliseconds(5))
            var drawn = MockRandom(seed: 3), reference = MockRandom(seed: 3)
            let value = normal.firstTokenSeconds(promptTokens: 500, cachedTokens: 0, sample: { drawn.sample($0) })
            #expect(value == reference.sample(normal.ttft))
        }

        /// With a prefill term, its distribution is drawn whether or not the prompt is cached, so the draws that
        /// follow (the next request's, a stream's ITLs) are the same for a cold and a fully cached prompt.
        @Test func thePrefillDrawDoesNotDependOnTheCache() {
            var model = MockLatencyModel()
            model.ttft = LatencyDistribution(kind: .normal, mean: .milliseconds(20), stddev: .milliseconds(5))
            model.prefillPerToken = LatencyDistribution(kind: .normal, mean: .microseconds(500), stddev: .microseconds(50))
            var cold = MockRandom(seed: 5), warm = MockRandom(seed: 5)
            _ = model.firstTokenSeconds(promptTokens: 1_024, cachedTokens: 0, sample: { cold.sample($0) })
            let cachedTTFT = model.firstTokenSeconds(promptTokens: 1_024, cachedTokens: 1_024, sample: { warm.sample($0) })
            #expect(cold.next() == warm.next())
            // Fully cached: TTFT alone, though the prefill was drawn.
            var reference = MockRandom(seed: 5)
            #expect(cachedTTFT == reference.sample(model.ttft))
        }

        /// One real-time smoke test: TTFT of a stream measured from the mock carries the prefill of the uncached tokens
        /// (20 ms + 1 ms × uncached tokens). Only lower bounds are asserted (sleeps never end early; tests never assert
        /// speed): the cold request waits at least 87 ms, the warm one at least 23 ms, and the exact difference is
        /// checked on the model itself (`theLatencyModelAddsPrefillForUncachedTokens`).
        @Test func measuredTTFTShrinksWithCachedTokens() async throws {
            var settings = Self.settings()
            settings.latency.ttft = .constant(.milliseconds(20))
            settings.latency.prefillPerToken = .constant(.milliseconds(1))
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                var attempt = 0
                let result = try await Support.timed {
                    attempt += 1
                    // A fresh prompt per attempt (the letter differs), so the first request finds nothing.
                    let message = Self.first.replacingOccurrences(of: "a", with: String(UnicodeScalar(UInt8(100 + attempt))))
                    let body = Self.chatBody([message], extra: #","stream":true"#)
                    func time() async throws -> Double {
                        let start = ContinuousClock.now
                        try await client.execute(
                            uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: body
                        ) { #expect($0.status == .ok) }
                        let elapsed = ContinuousClock.now - start
                        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    }
                    let cold = try await time()  // 67 uncached tokens: 87 ms
                    let warm = try await time()  // 64 cached, 3 uncached: 23 ms
                    let ok = cold >= 0.087 && warm >= 0.023
                    return (ok, "cold \(cold) s (87 ms expected), warm \(warm) s (23 ms expected)")
                }
                #expect(result.ok, "\(result.description)")
            }
        }
    }
}

extension MockTests.PrefixCacheEndpointTests {
    /// The fast path and batch lines go through the same pipeline: they read and fill the cache, and a batch line's
    /// latency carries the prefill term.
    @Test func theFastPathAndBatchLinesShareThePipeline() async throws {
        let body = Self.chatBody([Self.first])  // 67 prompt tokens, 64 in full blocks
        let (_, instant) = try Support.application(Self.settings())
        let responder = MockResponder(runtime: instant)
        var cached: [Int?] = []
        for _ in 0..<2 {
            var env = RequestEnvironment(runtime: instant, apiKey: "", retry: false, route: .chat)
            let reply = try #require(try responder.instantReply(route: .chat, body: body, tooLarge: false, env: &env))
            cached.append(Self.cached(try #require(try Support.object(reply.body)["usage"] as? [String: Any])))
        }
        #expect(cached == [0, 64])

        var settings = Self.settings()
        settings.latency.prefillPerToken = .constant(.milliseconds(1))
        let (_, batch) = try Support.application(settings)
        let lines = MockResponder(runtime: batch)
        var results: [(cached: Int?, latency: Double)] = []
        for line in 0..<2 {
            var env = RequestEnvironment(runtime: batch, random: MockRandom(seed: 1, sequence: UInt64(line)), route: .chat)
            let (reply, latency, _) = lines.batchLineReply(route: .chat, body: body, env: &env)
            #expect(reply.status == 200)
            results.append((Self.cached(try #require(try Support.object(reply.body)["usage"] as? [String: Any])), latency))
        }
        // 1 ms × 67 uncached tokens, then 1 ms × 3.
        #expect(results.map(\.cached) == [0, 64])
        #expect(abs(results[0].latency - 0.067) < 1e-9 && abs(results[1].latency - 0.003) < 1e-9)

        // A whole batch of three such lines: the first to run finds nothing, the other two find 64 tokens each, and
        // the batch object's usage carries them in `input_tokens_details.cached_tokens`.
        var batchSettings = BatchTestSupport.settings()
        batchSettings.prefixCache = Self.settings().prefixCache
        batchSettings.outputTokens = 4
        let clock = ManualBatchClock(start: BatchTestSupport.start)
        let (app, _) = try Support.application(batchSettings, batchClock: clock)
        try await app.test(.router) { client in
            let content = String(repeating: "a", count: 244)
            let file = try await BatchTestSupport.upload(client, BatchTestSupport.chatFile(3, content: content))
            let id = try #require(try await BatchTestSupport.create(client, file: file)["id"] as? String)
            clock.advance(10 + 100 + 3 + 2)  // validating, queue, 3 lines at 1 line/s, finalizing
            let done = try await BatchTestSupport.batch(client, id)
            #expect(done["status"] as? String == "completed")
            let usage = try #require(done["usage"] as? [String: Any])
            #expect(usage["input_tokens"] as? Int == 3 * 67)
            #expect(usage["output_tokens"] as? Int == 3 * 4)
            let details = try #require(usage["input_tokens_details"] as? [String: Any])
            #expect(details["cached_tokens"] as? Int == 2 * 64)
        }
    }
}
