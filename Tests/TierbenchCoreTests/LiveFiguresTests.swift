import Foundation
import Testing
@testable import TierbenchCore

/// Live figures (progress, alerts, --metrics-port) against hand-computed ground truth.
@Suite struct LiveFiguresTests {
    /// A recorder holding `latenciesMs` as measured successes (and `failures` failed requests), all finished at
    /// `endSecond`.
    static func recorder(
        _ latenciesMs: [UInt64], failures: Int = 0, rateLimited: Int = 0, endSecond: UInt64 = 0,
        into recorder: inout MetricsRecorder
    ) {
        let end = (endSecond + 1) * 1_000_000_000  // +1 s so starts never precede the run
        for (index, latency) in latenciesMs.enumerated() {
            recorder.record(RequestOutcome(
                index: index, intendedStart: end - latency * 1_000_000, actualStart: end - latency * 1_000_000,
                end: end, status: 200, usage: TokenUsage(prompt: 10, completion: 5, cachedPrompt: 4)))
        }
        for index in 0..<failures {
            recorder.record(RequestOutcome(
                index: index, intendedStart: end, actualStart: end, end: end, status: 500, errorClass: .http5xx))
        }
        for index in 0..<rateLimited {
            recorder.record(RequestOutcome(
                index: index, intendedStart: end, actualStart: end, end: end, status: 429, errorClass: .rateLimited))
        }
    }

    /// Whether `value` is within the histogram's 0.1 % of `expected`.
    static func near(_ value: Double?, _ expected: Double) -> Bool {
        value.map { abs($0 - expected) <= expected * 0.001 } ?? false
    }

    @Test func intervalFiguresAreDifferencesOfTheCumulativeCounters() {
        var recorder = MetricsRecorder()
        var sampler = LiveSampler(durationNanos: 10_000_000_000, requestLimit: nil, warmupNanos: 0)
        // First second: 100 successes at 1…100 ms, no failures.
        Self.recorder(Array(1...100), endSecond: 0, into: &recorder)
        let first = sampler.sample(LiveCounters(recorder: recorder, inFlight: 3), elapsedNanos: 1_000_000_000)
        #expect(first.completed == 100)
        #expect(first.requestsPerSecond == 100)
        #expect(first.errorRate == 0)
        // Percentiles are exact to the histogram's precision (3 significant digits: within 0.1 %).
        #expect(Self.near(first.latencyP50Ms, 50))
        #expect(Self.near(first.latencyP95Ms, 95))
        #expect(first.inFlight == 3)
        #expect(first.tokensPerSecond == 1500)
        // Next half second: 10 successes at 500 ms, 30 server errors and 10 429s.
        Self.recorder(Array(repeating: 500, count: 10), failures: 30, rateLimited: 10, endSecond: 1, into: &recorder)
        let second = sampler.sample(LiveCounters(recorder: recorder, inFlight: 0), elapsedNanos: 1_500_000_000)
        #expect(second.intervalSeconds == 0.5)
        #expect(second.requestsPerSecond == 100)  // 50 requests in 0.5 s
        #expect(second.errorRate == 0.8)  // 40 of 50 failed
        #expect(second.rateLimitedPerSecond == 20)
        // Interval percentiles see only the 10 new successes; 500 ms sits in a bucket 0.25 ms wide.
        #expect(second.latencyP50Ms.map { abs($0 - 500) <= 0.5 } == true)
        // Totals cover the run so far: 40 failures out of 150.
        #expect(second.measured == 150)
        #expect(second.totalErrorRate.map { abs($0 - 40.0 / 150.0) < 1e-12 } == true)
        #expect(second.progress == 0.15)
        #expect(second.etaSeconds == 8.5)
    }

    @Test func anIntervalWithoutSuccessesHasNoPercentiles() {
        var recorder = MetricsRecorder()
        var sampler = LiveSampler(durationNanos: nil, requestLimit: 1000, warmupNanos: 0)
        Self.recorder([10, 20], into: &recorder)
        _ = sampler.sample(LiveCounters(recorder: recorder, inFlight: 0), elapsedNanos: 1_000_000_000)
        let idle = sampler.sample(LiveCounters(recorder: recorder, inFlight: 0), elapsedNanos: 2_000_000_000)
        #expect(idle.latencyP95Ms == nil)
        #expect(idle.errorRate == nil)
        #expect(idle.requestsPerSecond == 0)
        #expect(idle.progress == 0.002)
        #expect(idle.etaSeconds == nil)  // no rate to extrapolate from
        #expect(idle.jsonValue.metricValue(at: "latency_ms.p95") == nil)
    }

    @Test func aWindowSpansSeveralSamples() {
        var recorder = MetricsRecorder()
        var sampler = LiveSampler(durationNanos: nil, requestLimit: nil, warmupNanos: 0, window: 4)
        var last: LiveSample?
        for tick in 1...8 {
            Self.recorder(Array(repeating: UInt64(tick), count: 25), endSecond: 0, into: &recorder)
            last = sampler.sample(LiveCounters(recorder: recorder, inFlight: 0), elapsedNanos: UInt64(tick) * 250_000_000)
        }
        // The last sample spans ticks 5…8 (one second): 100 requests whose latencies were 5, 6, 7 and 8 ms.
        #expect(last?.intervalSeconds == 1)
        #expect(last?.requestsPerSecond == 100)
        #expect(Self.near(last?.latencyP50Ms, 6))
        #expect(Self.near(last?.latencyP99Ms, 8))
    }

    @Test func alertsFireAfterTheConditionHeldForTheirWindowAndOnlyOncePerEpisode() throws {
        let rule = AlertRule(condition: try Threshold.parse("error_rate > 10%"), sustain: .seconds(2), action: .abort)
        var monitor = AlertMonitor(rules: [rule])
        func sample(_ second: Double, errorRate: Double?) -> LiveSample {
            LiveSample(
                elapsedSeconds: second, intervalSeconds: 1, warmingUp: false, completed: 0, failed: 0, rateLimited: 0,
                inFlight: 0, requestsPerSecond: 10, errorRate: errorRate, rateLimitedPerSecond: 0, tokensPerSecond: 0,
                measured: 0)
        }
        #expect(monitor.observe(sample(1, errorRate: 0.5)).isEmpty)  // held since 0 s: 1 s
        #expect(monitor.observe(sample(2, errorRate: 0.05)).isEmpty)  // broken
        #expect(monitor.observe(sample(3, errorRate: 0.2)).isEmpty)  // held since 2 s: 1 s
        let fired = monitor.observe(sample(4, errorRate: 0.3))  // held since 2 s: 2 s
        #expect(fired.count == 1)
        #expect(fired.first?.value == 0.3)
        #expect(fired.first?.message == "alert (abort) at 4.0s: error_rate > 10% held for 2s (now 0.3)")
        #expect(monitor.observe(sample(5, errorRate: 0.3)).isEmpty)  // same episode
        #expect(monitor.observe(sample(6, errorRate: nil)).isEmpty)  // no data breaks it
        #expect(monitor.observe(sample(7, errorRate: 0.9)).isEmpty)
        #expect(monitor.observe(sample(8, errorRate: 0.9)).count == 1)  // a new episode fires again
    }

    @Test func progressLinesShowTheFigures() {
        let sample = LiveSample(
            elapsedSeconds: 12.6, intervalSeconds: 1, warmingUp: false, completed: 5000, failed: 15, rateLimited: 12,
            inFlight: 64, requestsPerSecond: 312.4, errorRate: 0.003, rateLimitedPerSecond: 0, tokensPerSecond: 0,
            latencyP95Ms: 41.23, measured: 5000, progress: 0.42, etaSeconds: 17.4)
        #expect(ProgressLine.terminal(sample)
            == "▕████████░░░░░░░░░░░░▏ 42%  12.6s ETA 17.4s │ 312 req/s │ p95 41.2 ms │ err 0.3% │ 429 12 │ in flight 64")
        #expect(ProgressLine.plain(sample)
            == "progress 42% elapsed 12.6s eta 17.4s req/s 312 p95_ms 41.2 errors 0.3% 429s 12 in_flight 64 done 5000")
        #expect(ProgressLine.seconds(125) == "2m05s")
        #expect(ProgressLine.seconds(7260) == "2h01m")
    }

    @Test func prometheusTextHasCumulativeBucketsAndCounters() {
        var recorder = MetricsRecorder()
        Self.recorder([3, 7, 20, 40, 80, 300], failures: 2, rateLimited: 1, into: &recorder)
        let text = PrometheusExposition.render(LiveCounters(recorder: recorder, inFlight: 5), scenario: "a\"b")
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("tierbench_requests_total{scenario=\"a\\\"b\",outcome=\"success\"} 6"))
        #expect(lines.contains("tierbench_requests_total{scenario=\"a\\\"b\",outcome=\"failure\"} 3"))
        #expect(lines.contains("tierbench_rate_limited_total{scenario=\"a\\\"b\"} 1"))
        #expect(lines.contains("tierbench_errors_total{scenario=\"a\\\"b\",class=\"http_5xx\"} 2"))
        #expect(lines.contains("tierbench_in_flight{scenario=\"a\\\"b\"} 5"))
        #expect(lines.contains("tierbench_tokens_total{scenario=\"a\\\"b\",kind=\"prompt\"} 60"))
        #expect(lines.contains("tierbench_cached_prompt_tokens_total{scenario=\"a\\\"b\"} 24"))
        #expect(lines.contains("tierbench_latency_seconds_bucket{scenario=\"a\\\"b\",le=\"0.005\"} 1"))
        #expect(lines.contains("tierbench_latency_seconds_bucket{scenario=\"a\\\"b\",le=\"0.01\"} 2"))
        #expect(lines.contains("tierbench_latency_seconds_bucket{scenario=\"a\\\"b\",le=\"0.05\"} 4"))
        #expect(lines.contains("tierbench_latency_seconds_bucket{scenario=\"a\\\"b\",le=\"0.25\"} 5"))
        #expect(lines.contains("tierbench_latency_seconds_bucket{scenario=\"a\\\"b\",le=\"+Inf\"} 6"))
        #expect(lines.contains("tierbench_latency_seconds_count{scenario=\"a\\\"b\"} 6"))
        let sum = lines.first { $0.hasPrefix("tierbench_latency_seconds_sum") }?.split(separator: " ").last
        #expect(sum.flatMap { Double($0) }.map { abs($0 - 0.45) < 1e-9 } == true)
        #expect(text.contains("# TYPE tierbench_latency_seconds histogram"))
    }

    @Test func alertsAreReadFromTheScenarioWithLocatedErrors() throws {
        let scenario = try ScenarioLoader.parse(
            text: ScenarioTestSupport.minimal("alerts:\n  - { when: \"error_rate > 5%\", for: 10s, action: abort }\n  - { when: \"latency_ms.p95 > 2s\" }\n"),
            fileName: "a.yaml")
        #expect(scenario.alerts.count == 2)
        #expect(scenario.alerts[0].condition.limit == 0.05)
        #expect(scenario.alerts[0].sustain == .seconds(10))
        #expect(scenario.alerts[0].action == .abort)
        #expect(scenario.alerts[1].condition.limit == 2000)
        #expect(scenario.alerts[1].action == .warn)
        #expect(scenario.canonicalJSON.metricValue(at: "alerts.0.for") == .string("10s"))

        let unknownMetric = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("alerts:\n  - when: \"eror_rate > 5%\"\n"))
        #expect(unknownMetric.count == 1)
        #expect(unknownMetric.first?.keyPath == "alerts[0].when")
        #expect(unknownMetric.first?.line == 4)
        #expect(unknownMetric.first?.hint.contains("did you mean 'error_rate'") == true)

        let badAction = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("alerts:\n  - { when: \"error_rate > 5%\", action: stop }\n"))
        #expect(badAction.first?.keyPath == "alerts[0].action")
        let unknownKey = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("alerts:\n  - { when: \"error_rate > 5%\", four: 1s }\n"))
        #expect(unknownKey.first?.hint.contains("did you mean 'for'") == true)
        let missing = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("alerts:\n  - { for: 1s }\n"))
        #expect(missing.first?.keyPath == "alerts[0].when")
    }
}
