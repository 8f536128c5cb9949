import Foundation
import Testing

@testable import TierbenchCore

/// The later load models (`rate`, `waves`, `stages`, `trace`), `retry:` and `throttle:`: parsed and validated.
@Suite struct ScenarioLoadModelTests {
    static func parse(_ yaml: String) throws -> Scenario {
        try ScenarioLoader.parse(text: "version: 1\n" + yaml, fileName: "l.yaml")
    }

    @Test func closedLoopIsTheDefaultAndUsesNoExtendedFeatures() throws {
        let scenario = try Self.parse("load: { max_workers: 3, duration: 5s }")
        #expect(scenario.load.mode == .closedLoop)
        #expect(scenario.extendedFeaturesInUse.isEmpty)
        #expect(scenario.retry == .none)
        #expect(scenario.throttle == nil)
    }

    @Test(arguments: [
        ("load: { rate: 200, duration: 10s }", ArrivalProcess.constant),
        ("load: { rate: 200, arrival: poisson, duration: 10s }", ArrivalProcess.poisson),
        ("load: { rate: 200, arrival: gamma, burstiness: 0.5, duration: 10s }", ArrivalProcess.gamma(burstiness: 0.5)),
        ("load: { rate: 200, arrival: gamma, duration: 10s }", ArrivalProcess.gamma(burstiness: 1)),
    ])
    func openLoopReadsRateAndArrival(_ yaml: String, _ arrival: ArrivalProcess) throws {
        let load = try Self.parse(yaml).load
        #expect(load.mode == .openLoop)
        #expect(load.rate == 200)
        #expect(load.arrival == arrival)
    }

    @Test func openLoopWithMaxInFlight() throws {
        let scenario = try Self.parse("load: { rate: 100, max_in_flight: 10, duration: 10s }")
        #expect(scenario.load.maxInFlight == 10)
        #expect(scenario.extendedFeaturesInUse == ["load.rate", "load.max_in_flight"])
    }

    @Test func wavesRampsAndTraces() throws {
        let waves = try Self.parse("load: { waves: { wave_size: 10, pause: 100ms }, requests: 100 }").load
        #expect(waves.mode == .waves)
        #expect(waves.waves == WaveSettings(waveSize: 10, pause: .milliseconds(100)))

        let rateStages = try Self.parse("load:\n  rate: 10\n  stages:\n    - { duration: 30s, rate: 100 }\n    - { duration: 1m, rate: 100 }\n").load
        #expect(rateStages.mode == .rampingRate)
        #expect(rateStages.stages == [
            LoadStage(duration: .seconds(30), target: .rate(100)), LoadStage(duration: .seconds(60), target: .rate(100)),
        ])
        #expect(rateStages.stagesDuration == .seconds(90))

        let workerStages = try Self.parse("load: { max_workers: 2, stages: [{ duration: 10s, workers: 20 }] }").load
        #expect(workerStages.mode == .rampingWorkers)
        #expect(workerStages.maxWorkers == 2)

        let trace = try Self.parse("load: { trace: { file: traces/day.csv, speed: 2 } }").load
        #expect(trace.mode == .trace)
        #expect(trace.trace == TraceSettings(file: "traces/day.csv", format: .csv, speed: 2))
        let jsonlTrace = try Self.parse("load: { trace: { file: t.log, format: jsonl } }").load
        #expect(jsonlTrace.trace?.format == .jsonl)
    }

    /// Two stages of 2,500,000 h each load (each is below the Int64 ns limit), but their sum overflowed Int64 ns
    /// and trapped `tierbench run` when the stages set the run's length. Confirmed with the FuzzScenario fuzz target
    /// (input kept in Tests/Fuzz/corpus/FuzzScenario/crash-stages-duration-overflow.yaml).
    /// The loader now refuses durations beyond 30 days and more than 1,000 stages (`ScenarioLimits`); the sum
    /// itself saturates as well, checked on stages set directly.
    @Test func stagesDurationSaturatesInsteadOfOverflowing() throws {
        #expect(throws: ScenarioErrors.self) {
            try Self.parse("load:\n  stages:\n    - { duration: 2500000h, workers: 2 }\n")
        }
        var load = try Self.parse("load:\n  stages:\n    - { duration: 1s, workers: 2 }\n").load
        let huge = TimeSpan(nanoseconds: 9_000_000_000_000_000_000)
        load.stages = [LoadStage(duration: huge, target: .workers(2)), LoadStage(duration: huge, target: .workers(3))]
        #expect(load.stagesDuration == .nanoseconds(.max))
    }

    @Test func retryAndThrottle() throws {
        let scenario = try Self.parse("""
            load: { requests: 10 }
            retry:
              max_attempts: 5
              base: 250ms
              cap: 4s
              honor_ratelimit_reset: true
              statuses: [429, 503]
            throttle: { rpm: 600, tpm: 90000, follow_server: true }
            """)
        #expect(scenario.retry.maxAttempts == 5)
        #expect(scenario.retry.base == .milliseconds(250))
        #expect(scenario.retry.cap == .seconds(4))
        #expect(scenario.retry.honorRetryAfter)
        #expect(scenario.retry.honorRateLimitReset)
        #expect(scenario.retry.statuses == [429, 503])
        #expect(scenario.throttle == ThrottleSettings(requestsPerMinute: 600, tokensPerMinute: 90000, followServer: true))
        #expect(scenario.extendedFeaturesInUse == ["retry", "throttle"])
        let defaults = try Self.parse("load: { requests: 10 }\nretry: {}")
        #expect(defaults.retry == RetryPolicy(maxAttempts: 3))
    }

    @Test(arguments: [
        "load: { waves: { wave_size: 4 }, requests: 10 }\nretry: { max_attempts: 2 }\nthrottle: { rpm: 60 }",
        "load: { rate: 50, arrival: gamma, burstiness: 2, max_in_flight: 8, duration: 20s, warmup: 1s }",
        "load: { rate: 50, duration: 2s, spin: 500us }",
        "load: { max_workers: 1, stages: [{ duration: 5s, workers: 4 }, { duration: 500ms, workers: 1 }] }",
        "load: { trace: { file: a.jsonl, speed: 0.5 }, requests: 7 }",
        "load: { max_workers: 2, requests: 3 }\nhttp: { loop: poll, follow_redirects: 2 }",
    ])
    func canonicalFormRoundTrips(_ yaml: String) throws {
        let scenario = try Self.parse(yaml)
        #expect(try ScenarioLoader.parse(text: scenario.canonicalJSON.jsonText, fileName: "l.yaml") == scenario)
        var decoded = try JSONDecoder().decode(Scenario.self, from: JSONEncoder().encode(scenario))
        #expect(ScenarioLoaderTests.sortedKeys(decoded.request) == ScenarioLoaderTests.sortedKeys(scenario.request))
        decoded.request = scenario.request  // keyed decoding does not keep key order
        #expect(decoded == scenario)
    }

    @Test(arguments: [
        ("load: { rate: 0, duration: 1s }", "load.rate", "expected a number between 0.0001 and 1000000"),
        ("load: { rate: 10, max_workers: 4, duration: 1s }", "load.max_workers", "max_workers is for the closed loop"),
        ("load: { max_workers: 4, max_in_flight: 2, duration: 1s }", "load.max_in_flight", "open loop only"),
        ("load: { arrival: poisson, duration: 1s }", "load.arrival", "open loop only"),
        ("load: { rate: 5, arrival: poisson, burstiness: 2, duration: 1s }", "load.burstiness", "arrival: gamma only"),
        ("load: { rate: 5, arrival: bursty, duration: 1s }", "load.arrival", "expected one of constant, poisson, gamma"),
        ("load: { waves: { pause: 1s }, requests: 5 }", "load.waves.wave_size", "missing required key"),
        ("load: { waves: { wave_size: 2 }, rate: 5, requests: 5 }", "load.rate", "does not apply to waves"),
        ("load: { stages: [] }", "load.stages", "the list is empty"),
        ("load: { rate: 5, duration: 1s, spin: 2s }", "load.spin", "longer than 1 s"),
        ("load: { rate: 5, duration: 1s, spin: -1ms }", "load.spin", "is not a duration"),
        ("load: { stages: [{ duration: 5s }] }", "load.stages[0]", "needs rate (requests/s) or workers"),
        ("load: { stages: [{ duration: 5s, rate: 1, workers: 2 }] }", "load.stages[0]", "either rate or workers"),
        ("load: { stages: [{ duration: 5s, rate: 1 }, { duration: 5s, workers: 2 }] }", "load.stages[1]", "same thing"),
        ("load: { stages: [{ duration: 5, rate: 1 }] }", "load.stages[0].duration", "needs a unit"),
        ("load: { trace: { file: t.csv }, rate: 4 }", "load.rate", "does not apply when replaying a trace"),
        ("load: { trace: { speed: 2 } }", "load.trace.file", "missing required key"),
        ("load: { requests: 1 }\nretry: { max_attempts: 0 }", "retry.max_attempts", "between 1 and 100"),
        ("load: { requests: 1 }\nretry: { base: 2s, cap: 1s }", "retry.cap", "shorter than base"),
        ("load: { requests: 1 }\nretry: { statuses: [429, 400] }", "retry.statuses[1]", "never worth retrying"),
        ("load: { requests: 1 }\nretry: { base: 100 }", "retry.base", "needs a unit"),
        ("load: { requests: 1 }\nretry: { max_attemps: 3 }", "retry.max_attemps", "unknown key"),
        ("load: { requests: 1 }\nthrottle: { follow_server: true }", "throttle", "no budget"),
        ("load: { requests: 1 }\nthrottle: { rpm: -5 }", "throttle.rpm", "expected a number between 0.01 and 1000000000000"),
        ("load: { requests: 1 }\nbudget: { prompts_to_process: 0 }", "budget.prompts_to_process", "an integer between 1 and 1000000000"),
    ])
    func loadModelErrors(_ yaml: String, _ keyPath: String, _ message: String) throws {
        let errors = ScenarioTestSupport.errors("version: 1\n" + yaml)
        let match = errors.first { $0.keyPath == keyPath && $0.message.contains(message) }
        #expect(match != nil, "got:\n\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func stagesAndTracesNeedNoOtherStopCondition() throws {
        #expect(ScenarioTestSupport.errors("version: 1\nload: { stages: [{ duration: 5s, rate: 10 }] }").isEmpty)
        #expect(ScenarioTestSupport.errors("version: 1\nload: { trace: { file: t.jsonl } }").isEmpty)
        #expect(!ScenarioTestSupport.errors("version: 1\nload: { rate: 5 }").isEmpty)
    }
}
