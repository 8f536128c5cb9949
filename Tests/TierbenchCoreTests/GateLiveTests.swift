import Testing

@testable import TierbenchCore

@Suite("live counters and per-bucket latency percentiles")
struct GateLiveTests {
    @Test func liveCountersBecomeASummaryShapedJSON() throws {
        var recorder = MetricsRecorder(timeSeriesBuckets: 4)
        for index in 0..<10 {
            let failed = index < 3
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: UInt64(index + 1) * 1_000_000,
                status: failed ? 429 : 200, errorClass: failed ? .rateLimited : nil,
                usage: failed ? nil : TokenUsage(prompt: 10, completion: 2, cachedPrompt: 8)))
        }
        var live = LiveCounters(recorder: recorder, inFlight: 0)
        live.merge(LiveCounters(recorder: recorder, inFlight: 0))
        let json = live.summaryJSON
        #expect(json.metricValue(at: "requests.total") == .int(20))
        #expect(json.metricValue(at: "requests.failed") == .int(6))
        #expect(json.metricValue(at: "error_rate")?.metricNumber == 0.3)
        #expect(json.metricValue(at: "status_counts.429") == .int(6))
        #expect(json.metricValue(at: "errors.http_429") == .int(6))
        #expect(json.metricValue(at: "tokens.prompt") == .int(140))
        #expect(json.metricValue(at: "tokens.cached_prompt") == .int(112), "the same path as summary.json")
        let limit = try Threshold.parse("status_counts.429 < 5")
        #expect(!ThresholdEvaluator.canStillPass(limit, live: json))
    }

    @Test func binsCoverEveryValueWithinAnEighthOfAnOctave() {
        var previous = -1
        for micros: UInt64 in [0, 1, 7, 8, 9, 15, 16, 17, 1_000, 20_000, 1 << 20, (1 << 34) - 1, 1 << 40] {
            let index = LatencyBins.index(micros: micros)
            #expect(index >= previous && index < LatencyBins.count)
            previous = index
            let (lower, width) = LatencyBins.range(of: index)
            if micros < (1 << 34) {
                #expect(lower <= micros && micros < lower + width, "\(micros) not in bin \(index)")
                #expect(Double(width) <= max(1, Double(lower) / 8))
            }
        }
    }

    /// Ground truth: 100 samples 1…100 ms in one second; p50 is the 50th (50 ms), p95 the 95th, p99 the 99th.
    @Test func percentilesPerBucketMatchTheExactRankWithin6Percent() {
        var series = RequestTimeSeries(capacity: 8)
        for sample in (1...100).reversed() {
            series.record(end: 100_000_000, failed: false, status: 200, serviceMicros: UInt64(sample) * 1_000)
        }
        series.record(end: 200_000_000, failed: true, status: 500, serviceMicros: 999_000_000)
        for (quantile, truth) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0), (1.0, 100_000.0)] {
            let value = series.latencyPercentileMicros(quantile, slot: 0) ?? 0
            #expect(abs(value - truth) / truth <= 0.0625, "q\(quantile): \(value) vs \(truth)")
        }
        #expect(series.latencyPercentileMicros(0.5, slot: 1) == nil)
    }

    @Test func percentilesSurviveCoarseningAndMerging() {
        var first = RequestTimeSeries(capacity: 2)
        var second = RequestTimeSeries(capacity: 2)
        first.record(end: 0, failed: false, status: 200, serviceMicros: 10_000)
        second.record(end: 1_500_000_000, failed: false, status: 200, serviceMicros: 30_000)
        first.record(end: 2_500_000_000, failed: false, status: 200, serviceMicros: 30_000)  // coarsens to 2 s
        first.merge(second)
        #expect(first.bucketNanos == 2_000_000_000)
        #expect(first.requests[0] == 2)
        let p50 = first.latencyPercentileMicros(0.5, slot: 0) ?? 0
        let max = first.latencyPercentileMicros(1, slot: 0) ?? 0
        #expect(abs(p50 - 10_000) / 10_000 <= 0.0625)
        #expect(abs(max - 30_000) / 30_000 <= 0.0625)
    }
}
