import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Faults occur at their configured rates (within 3σ), deterministically under the seed, and on schedule.
    @Suite struct FaultInjectionTests {
        typealias Support = MockTestSupport

        /// Whether `count` of `trials` is within 3σ of a binomial(`trials`, `rate`).
        static func withinThreeSigma(_ count: Int, trials: Int, rate: Double) -> Bool {
            let mean = Double(trials) * rate
            let sigma = (Double(trials) * rate * (1 - rate)).squareRoot()
            return abs(Double(count) - mean) <= 3 * sigma
        }

        @Test func statusAndMalformedRates() async throws {
            var settings = MockSettings()
            settings.faults.statusRates = [500: 0.05, 502: 0.02, 503: 0.03]
            settings.faults.malformedJSONRate = 0.04
            let (app, runtime) = try Support.application(settings)
            let trials = 2_000
            let malformed = try await app.test(.router) { client in
                var malformed = 0
                for _ in 0..<trials {
                    let isMalformed = try await client.execute(
                        uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                        body: Support.chat(#","max_tokens":1"#)
                    ) { response in
                        response.status == .ok
                            && (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) == nil
                    }
                    if isMalformed { malformed += 1 }
                }
                return malformed
            }
            let stats = runtime.snapshot()
            for (status, rate) in [(500, 0.05), (502, 0.02), (503, 0.03)] {
                let count = stats.byStatus[String(status)] ?? 0
                #expect(Self.withinThreeSigma(count, trials: trials, rate: rate), "\(status): \(count)")
            }
            #expect(Self.withinThreeSigma(malformed, trials: trials, rate: 0.04), "malformed: \(malformed)")
            #expect(stats.faults["malformed_json"] == malformed)
        }

        @Test func faultsAreDeterministicUnderTheSeed() {
            var faults = MockFaultSettings()
            faults.statusRates = [500: 0.2]
            faults.resetRate = 0.1
            let plan = FaultPlan(faults, timeScale: 1)
            func run(seed: UInt64) -> [FaultAction] {
                (0..<200).map { sequence in
                    var random = MockRandom(seed: seed, sequence: UInt64(sequence))
                    return plan.decide(&random, streaming: false).action
                }
            }
            #expect(run(seed: 5) == run(seed: 5))
            #expect(run(seed: 5) != run(seed: 6))
        }

        @Test func scheduledWindowsAndFreeze() async throws {
            var settings = MockSettings()
            settings.timeScale = 10
            // Real times ÷ 10: 503s for the first 1.5 s of wall time, then a freeze until 2 s, then normal service.
            settings.faults.schedule = [
                MockFaultWindow(start: .zero, duration: .seconds(15), action: .status(503)),
                MockFaultWindow(start: .seconds(15), duration: .seconds(5), action: .freeze),
            ]
            let (app, runtime) = try Support.application(settings)
            let started = runtime.startTime
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/models", method: .get) { response in
                    #expect(response.status.code == 503)
                    let error = try Support.errorObject(response.body)
                    #expect(error["type"] as? String == "server_error")
                }
                // Into the freeze (1.6 s after the mock started): held until 2 s.
                let freezeAt = Double(started) / 1e9 + 1.6
                let now = Double(MonotonicClock.now()) / 1e9
                try await Task.sleep(for: .milliseconds(Int64(max(0, freezeAt - now) * 1000)))
                let start = ContinuousClock.now
                try await client.execute(uri: "/v1/models", method: .get) { response in
                    #expect(response.status == .ok)
                }
                let held = ContinuousClock.now - start
                #expect(held >= .milliseconds(250) && held < .milliseconds(700), "\(held)")
            }
            #expect(runtime.snapshot().faults["window_503"] == 1)
            #expect(runtime.snapshot().faults["freeze"] == 1)
        }

        @Test func slowFirstByte() async throws {
            var settings = MockSettings()
            settings.faults.slowFirstByteRate = 1
            settings.faults.slowFirstByteDelay = .milliseconds(120)
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                let start = ContinuousClock.now
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: Support.chat()
                ) { response in
                    #expect(response.status == .ok)
                }
                #expect(ContinuousClock.now - start >= .milliseconds(120))
            }
        }
    }
}
