import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Tests against a real `MockServer` on 127.0.0.1 (port 0) through AsyncHTTPClient: streaming timing, connection
    /// faults, the observability endpoints and a time-scaled rate-limit run. Serialized: they measure time.
    @Suite struct LiveServerTests {
        /// Starts a server, runs `body` with its base URL, and always stops it.
        static func withServer(
            _ settings: MockSettings, _ body: (String, MockServer) async throws -> Void
        ) async throws {
            let server = MockServer(settings: settings)
            let port = try await server.start()
            do {
                try await body("http://127.0.0.1:\(port)", server)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        static func post(_ url: String, _ json: String) -> HTTPClientRequest {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
            return request
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        @Test func streamingTTFTAndITLMatchTheModel() async throws {
            var settings = MockSettings()
            settings.latency.ttft = .constant(.milliseconds(150))
            settings.latency.itl = .constant(.milliseconds(30))
            try await Self.withServer(settings) { base, _ in
                let result = try await MockTestSupport.timed {
                    let request = Self.post(
                        base + "/v1/chat/completions",
                        #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":8,"stream":true}"#)
                    let start = ContinuousClock.now
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    var arrivals: [Double] = []
                    var text = ""
                    for try await chunk in response.body {
                        let piece = String(buffer: chunk)
                        text += piece
                        let contentEvents = piece.components(separatedBy: "\"content\":\"").count - 1
                        let emptyRole = piece.components(separatedBy: "\"content\":\"\"").count - 1
                        for _ in 0..<(contentEvents - emptyRole) { arrivals.append(Self.seconds(ContinuousClock.now - start)) }
                    }
                    let ttft = arrivals.first ?? 0
                    // Tokens are due at ttft + k × itl: the mean gap is the ITL however the deliveries jitter.
                    let meanGap = ((arrivals.last ?? 0) - ttft) / Double(max(1, arrivals.count - 1))
                    let ok = response.status == .ok && text.hasSuffix("data: [DONE]\n\n") && arrivals.count == 8
                        && ttft >= 0.150 && ttft < 0.200 && abs(meanGap - 0.030) < 0.005
                    return (ok, "TTFT \(ttft) s (150 ms), mean ITL \(meanGap) s (30 ms), arrivals \(arrivals)")
                }
                #expect(result.ok, "\(result.description)")
            }
        }

        @Test func connectionResetsAtTheirRate() async throws {
            var settings = MockSettings()
            settings.faults.resetRate = 0.2
            let trials = 300
            try await Self.withServer(settings) { base, server in
                var failures = 0
                for _ in 0..<trials {
                    do {
                        let response = try await HTTPClient.shared.execute(
                            Self.post(base + "/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"max_tokens":1}"#),
                            timeout: .seconds(5))
                        _ = try await response.body.collect(upTo: 1 << 20)
                    } catch {
                        failures += 1
                    }
                }
                #expect(MockTests.FaultInjectionTests.withinThreeSigma(failures, trials: trials, rate: 0.2), "\(failures)")
                #expect(server.stats().faults["reset"] == failures)
            }
        }

        @Test func hangHoldsUntilTheClientGivesUpOrTheLimit() async throws {
            var settings = MockSettings()
            settings.faults.hangRate = 1
            settings.hangLimit = .milliseconds(400)
            try await Self.withServer(settings) { base, server in
                let start = ContinuousClock.now
                await #expect(throws: (any Error).self) {
                    let response = try await HTTPClient.shared.execute(
                        Self.post(base + "/v1/embeddings", #"{"model":"text-embedding-3-small","input":"x"}"#),
                        timeout: .seconds(5))
                    _ = try await response.body.collect(upTo: 1 << 20)
                }
                let held = ContinuousClock.now - start
                #expect(held >= .milliseconds(400) && held < .seconds(3), "\(held)")
                // The server records the hang once it lets go, which races with the client's error.
                for _ in 0..<100 where server.stats().faults["hang"] != 1 || server.stats().inFlight != 0 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(server.stats().faults["hang"] == 1)
                #expect(server.stats().inFlight == 0)
            }
        }

        @Test func truncatedStreamsEndWithoutDone() async throws {
            var settings = MockSettings()
            settings.faults.truncateStreamRate = 1
            try await Self.withServer(settings) { base, _ in
                var text = ""
                do {
                    let response = try await HTTPClient.shared.execute(
                        Self.post(
                            base + "/v1/chat/completions",
                            #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"max_tokens":20,"stream":true}"#),
                        timeout: .seconds(5))
                    for try await chunk in response.body { text += String(buffer: chunk) }
                } catch {
                    // The connection is reset mid-body: either an error or an early end is a truncation.
                }
                #expect(text.contains("chat.completion.chunk"))
                #expect(!text.contains("[DONE]"))
            }
        }

        @Test func statsMetricsAndReset() async throws {
            var settings = MockSettings()
            settings.tier = "tier1"
            try await Self.withServer(settings) { base, server in
                for _ in 0..<3 {
                    let response = try await HTTPClient.shared.execute(
                        Self.post(base + "/v1/chat/completions", #"{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}],"max_tokens":4}"#),
                        timeout: .seconds(5))
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "x-ratelimit-limit-requests") == "500")
                    #expect(response.headers.first(name: "x-ratelimit-limit-tokens") == "30000")
                    _ = try await response.body.collect(upTo: 1 << 20)
                }
                let statsResponse = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/mock/stats"), timeout: .seconds(5))
                let stats = try JSONDecoder().decode(MockStats.self, from: Data(try await statsResponse.body.collect(upTo: 1 << 20).readableBytesView))
                #expect(stats.requests == 3 && stats.byRoute["chat"] == 3 && stats.byStatus["200"] == 3)
                #expect(stats.completionTokens == 12)
                #expect(stats == server.stats() || stats.requests == server.stats().requests)

                let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(5))
                let text = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
                #expect(text.contains(#"tierbench_mock_requests_total{route="chat",status="200",tier="tier1"} 3"#), "\(text)")
                #expect(text.contains("tierbench_mock_request_duration_seconds_bucket"))
                #expect(text.contains(#"tierbench_mock_tokens_total{kind="completion",tier="tier1"} 12"#))
                #expect(text.contains("tierbench_mock_in_flight_requests"))

                var reset = HTTPClientRequest(url: base + "/mock/stats/reset")
                reset.method = .POST
                _ = try await HTTPClient.shared.execute(reset, timeout: .seconds(5))
                #expect(server.stats().requests == 0)
            }
        }

        /// Zero-latency requests are answered on the event loop (the fast path); streams go through Hummingbird on
        /// the same connections. Both give the same shapes, errors and headers.
        @Test func fastPathAndHummingbirdPathAgree() async throws {
            var settings = MockSettings()
            settings.limits = RateLimitOverrides(rpm: 4)
            try await Self.withServer(settings) { base, server in
                let chat = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":2"#
                let streamed = try await HTTPClient.shared.execute(
                    Self.post(base + "/v1/chat/completions", chat + #","stream":true}"#), timeout: .seconds(5))
                #expect(streamed.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
                #expect(String(buffer: try await streamed.body.collect(upTo: 1 << 20)).hasSuffix("data: [DONE]\n\n"))
                let plain = try await HTTPClient.shared.execute(
                    Self.post(base + "/v1/chat/completions", chat + "}"), timeout: .seconds(5))
                #expect(plain.status == .ok)
                #expect(plain.headers.first(name: "x-request-id")?.hasPrefix("req_") == true)
                #expect(plain.headers.first(name: "x-ratelimit-remaining-requests") == "2")
                let json = try JSONSerialization.jsonObject(with: Data(try await plain.body.collect(upTo: 1 << 20).readableBytesView))
                #expect((json as? [String: Any])?["object"] as? String == "chat.completion")

                let invalid = try await HTTPClient.shared.execute(
                    Self.post(base + "/v1/chat/completions", "{nope"), timeout: .seconds(5))
                #expect(invalid.status == .badRequest)
                #expect(String(buffer: try await invalid.body.collect(upTo: 1 << 20)).contains("We could not parse the JSON body"))
                for _ in 0..<2 {
                    let response = try await HTTPClient.shared.execute(
                        Self.post(base + "/v1/chat/completions", chat + "}"), timeout: .seconds(5))
                    _ = try await response.body.collect(upTo: 1 << 20)
                }
                let limited = try await HTTPClient.shared.execute(
                    Self.post(base + "/v1/chat/completions", chat + "}"), timeout: .seconds(5))
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers.first(name: "retry-after-ms") != nil)
                #expect(limited.headers.first(name: "x-ratelimit-remaining-requests") == "0")
                let body = String(buffer: try await limited.body.collect(upTo: 1 << 20))
                #expect(body.contains("on requests per min (RPM): Limit 4, Used 4, Requested 1."))
                let stats = server.stats()
                #expect(stats.requests == 6 && stats.succeeded == 4 && stats.rateLimited == 1 && stats.streams == 1, "\(stats)")
            }
        }

        @Test func startFailsOnAnUnknownTier() async throws {
            var settings = MockSettings()
            settings.tier = "tier42"
            let server = MockServer(settings: settings)
            await #expect(throws: MockConfigurationError.self) { _ = try await server.start() }
        }

        /// At twice a tier's RPM under time_scale, accepted requests track the limit within 2 %: the bucket's initial
        /// burst plus `limit` per (60 s / k) of elapsed time.
        @Test func timeScaledRunAtTwiceTheRPM() async throws {
            var settings = MockSettings()
            settings.tier = "tier1"  // gpt-4o-mini: 500 RPM
            settings.timeScale = 30  // a minute lasts 2 s
            let (app, runtime) = try MockTestSupport.application(settings)
            let rpm = 500.0
            let windowSeconds = 60 / settings.timeScale
            let offeredPerSecond = 2 * rpm / windowSeconds
            let total = Int(offeredPerSecond * 4)
            try await app.test(.router) { client in
                let clock = ContinuousClock()
                let start = clock.now
                var last = start
                for index in 0..<total {
                    try await clock.sleep(until: start + .nanoseconds(Int64(Double(index) / offeredPerSecond * 1e9)))
                    last = clock.now
                    try await client.execute(
                        uri: "/v1/chat/completions", method: .post, headers: MockTestSupport.jsonHeaders,
                        body: MockTestSupport.chat(#","max_tokens":1"#)
                    ) { _ in }
                }
                let elapsed = Self.seconds(last - start)
                let accepted = Double(runtime.snapshot().byStatus["200"] ?? 0)
                let expected = rpm + rpm * elapsed / windowSeconds
                #expect(abs(accepted - expected) <= 0.02 * expected, "accepted \(accepted), expected \(expected)")
                #expect(runtime.snapshot().rateLimitedByType["requests"] ?? 0 > 0)
            }
        }
    }
}
