import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The latency model: base + per-token, capacity queueing, time scale, seeded distributions.
    @Suite struct LatencyModelTests {
        typealias Support = MockTestSupport

        /// Seconds one chat request takes through the responder.
        static func timeChat(_ client: some TestClientProtocol, extra: String = "") async throws -> Double {
            let start = ContinuousClock.now
            try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: Support.chat(extra)
            ) { response in
                #expect(response.status == .ok)
            }
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }

        /// Seconds each of `count` concurrent chat requests takes, ascending.
        static func timeConcurrently(
            _ client: some TestClientProtocol, count: Int, extra: String = ""
        ) async throws -> [Double] {
            try await withThrowingTaskGroup(of: Double.self) { group in
                for _ in 0..<count { group.addTask { try await Self.timeChat(client, extra: extra) } }
                var times: [Double] = []
                for try await time in group { times.append(time) }
                return times.sorted()
            }
        }

        @Test func basePlusPerOutputToken() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(40))
            settings.latency.perOutputToken = .constant(.milliseconds(2))
            settings.outputTokens = 30
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                let result = try await Support.timed {
                    let full = try await Self.timeChat(client)
                    let short = try await Self.timeChat(client, extra: #","max_tokens":5"#)
                    // Sleeps never end early: the lower bounds are exact; the upper ones allow for scheduling.
                    let ok = full >= 0.100 && full < 0.150 && short >= 0.050 && short < 0.100
                    return (ok, "full \(full) s (100 ms expected), max_tokens 5: \(short) s (50 ms expected)")
                }
                #expect(result.ok, "\(result.description)")
            }
        }

        @Test func timeScaleDividesLatency() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.seconds(4))
            settings.timeScale = 40
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                let result = try await Support.timed {
                    let elapsed = try await Self.timeChat(client)
                    return (elapsed >= 0.100 && elapsed < 0.150, "\(elapsed) s (100 ms expected)")
                }
                #expect(result.ok, "\(result.description)")
            }
        }

        @Test func latencyRisesOnceConcurrencyExceedsCapacity() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(100))
            settings.capacity = 2
            let (app, runtime) = try Support.application(settings)
            try await app.test(.router) { client in
                let result = try await Support.timed {
                    let within = try await Self.timeConcurrently(client, count: 2)
                    let beyond = try await Self.timeConcurrently(client, count: 8)
                    let mean = { (times: [Double]) in times.reduce(0, +) / Double(times.count) }
                    // 8 requests through 2 slots of 100 ms finish in waves at ~100, 200, 300 and 400 ms.
                    let ok = (within.max() ?? 1) < 0.200 && (beyond.max() ?? 0) >= 0.395 && (beyond.max() ?? 1) < 0.600
                        && mean(beyond) > mean(within) + 0.100
                    return (ok, "within capacity \(within), beyond \(beyond)")
                }
                #expect(result.ok, "\(result.description)")
            }
            #expect(runtime.snapshot().maxInFlight >= 8)
            #expect(runtime.snapshot().queued == 0)
        }

        @Test func aStreamQueuedForASlotStartsItsTTFTWhenItGetsOne() async throws {
            var settings = MockSettings()
            settings.latency.ttft = .constant(.milliseconds(50))
            settings.latency.itl = .constant(.milliseconds(10))
            settings.capacity = 1
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                let result = try await Support.timed {
                    let times = try await Self.timeConcurrently(
                        client, count: 2, extra: #","stream":true,"max_tokens":5"#)
                    // Each stream holds the one slot for 50 + 4 × 10 = 90 ms; the second waits for it, then has its
                    // own 50 ms TTFT: ≥ 180 ms. (Counting its TTFT from arrival would end it at ~130 ms.)
                    let ok = times[0] >= 0.090 && times[0] < 0.160 && times[1] >= 0.180 && times[1] < 0.300
                    return (ok, "stream times \(times) s (0.09 and 0.18 expected)")
                }
                #expect(result.ok, "\(result.description)")
            }
        }

        @Test func distributionsMatchTheirMoments() {
            var random = MockRandom(seed: 7)
            for kind in [LatencyDistribution.Kind.normal, .lognormal] {
                let distribution = LatencyDistribution(kind: kind, mean: .milliseconds(100), stddev: .milliseconds(20))
                let samples = (0..<20_000).map { _ in random.sample(distribution) }
                let mean = samples.reduce(0, +) / Double(samples.count)
                let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
                #expect(abs(mean - 0.100) < 0.002, "\(kind) mean \(mean)")
                #expect(abs(variance.squareRoot() - 0.020) < 0.002, "\(kind) stddev \(variance.squareRoot())")
            }
            var first = MockRandom(seed: 3, sequence: 10)
            var second = MockRandom(seed: 3, sequence: 10)
            #expect(first.next() == second.next())
        }

        @Test func parsingDistributionsAndWindows() {
            #expect(LatencyDistribution.parse("20ms") == .constant(.milliseconds(20)))
            #expect(
                LatencyDistribution.parse("lognormal:200ms:50ms")
                    == LatencyDistribution(kind: .lognormal, mean: .milliseconds(200), stddev: .milliseconds(50)))
            #expect(LatencyDistribution.parse("normal:20ms") == nil)
            #expect(LatencyDistribution.parse("20") == nil)
            #expect(MockFaultWindow.parse("503@60s+30s") == MockFaultWindow(start: .seconds(60), duration: .seconds(30), action: .status(503)))
            #expect(MockFaultWindow.parse("freeze@1s+500ms")?.action == .freeze)
            #expect(MockFaultWindow.parse("bogus@1s+1s") == nil)
        }

        @Test func tokenEstimator() {
            #expect(TokenEstimator.tokens(in: "") == 0)
            #expect(TokenEstimator.tokens(in: "abcd") == 1)
            #expect(TokenEstimator.tokens(in: "hello") == 2)
            #expect(TokenEstimator.tokens(in: "héllo") == 2)
            #expect(TokenEstimator.chatPromptTokens(messageContents: ["Say hello"]) == 9)
            #expect(TokenEstimator.requestCost(promptTokens: 9, choices: 2, maxCompletionTokens: 10) == 29)
        }
    }
}
