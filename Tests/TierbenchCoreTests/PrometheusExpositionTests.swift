import Testing
import TierbenchCore

/// The `--metrics-port` text (docs/monitoring.md): every family with its type, exact counts from hand-built
/// counters, exact cumulative buckets, the warmup rule, the cost counter only with a price.
@Suite struct PrometheusExpositionTests {
    /// Counters whose every figure is known: 7 measured requests (5 succeeded, 2 failed: one 500, one 429) plus 3
    /// warmup requests; latencies of the 5 successes 3, 7, 10, 40, 150 ms; TTFT 0.5 ms, 30 ms, 2 s; ITL gaps 2 ms ×
    /// 4; send lateness 0.2 ms and 20 ms; 1000 prompt tokens (400 cached) and 500 completion tokens; 9 attempts;
    /// 4 in flight; sessions: 6 started, 2 active, ended 3 completed and 1 aborted_429.
    static func counters() -> LiveCounters {
        var counters = LiveCounters()
        counters.completed = 10
        counters.failed = 3
        counters.rateLimited = 2
        counters.measured = 7
        counters.measuredFailed = 2
        counters.warmup = 3
        for status in [200, 200, 200, 200, 200, 500, 429] { counters.statuses.add(status) }
        counters.errors.add(.http5xx)
        counters.errors.add(.rateLimited)
        counters.usage = TokenUsage(prompt: 1000, completion: 500, cachedPrompt: 400)
        counters.attempts = 9
        counters.inFlight = 4
        for ms: UInt64 in [3, 7, 10, 40, 150] { counters.latency.record(nanoseconds: ms * 1_000_000) }
        for micros: UInt64 in [500, 30_000, 2_000_000] { counters.timeToFirstToken.record(nanoseconds: micros * 1_000) }
        for _ in 0..<4 { counters.interTokenLatency.record(nanoseconds: 2_000_000) }
        for micros: UInt64 in [200, 20_000] { counters.sendLateness.record(nanoseconds: micros * 1_000) }
        counters.sessionsStarted = 6
        counters.sessionsActive = 2
        counters.sessionOutcomes.add(.completed, 3)
        counters.sessionOutcomes.add(.aborted429)
        return counters
    }

    static let price = PriceTable.ModelPrice(input: 0.15, cachedInput: 0.075, output: 0.6)

    @Test func countersFollowTheWarmupRuleAndAreExact() {
        let text = PrometheusExposition.render(Self.counters(), scenario: "chat", price: Self.price)
        let lines = Set(text.split(separator: "\n").map(String.init))
        let expected = [
            #"tierbench_requests_total{scenario="chat",outcome="success"} 5"#,
            #"tierbench_requests_total{scenario="chat",outcome="failure"} 2"#,
            #"tierbench_warmup_requests_total{scenario="chat"} 3"#,
            #"tierbench_rate_limited_total{scenario="chat"} 1"#,
            #"tierbench_errors_total{scenario="chat",class="http_5xx"} 1"#,
            #"tierbench_errors_total{scenario="chat",class="http_429"} 1"#,
            #"tierbench_errors_total{scenario="chat",class="timeout"} 0"#,
            #"tierbench_attempts_total{scenario="chat"} 9"#,
            #"tierbench_tokens_total{scenario="chat",kind="prompt"} 1000"#,
            #"tierbench_tokens_total{scenario="chat",kind="completion"} 500"#,
            #"tierbench_cached_prompt_tokens_total{scenario="chat"} 400"#,
            #"tierbench_in_flight{scenario="chat"} 4"#,
            #"tierbench_sessions_active{scenario="chat"} 2"#,
            #"tierbench_sessions_started_total{scenario="chat"} 6"#,
            #"tierbench_sessions_total{scenario="chat",outcome="completed"} 3"#,
            #"tierbench_sessions_total{scenario="chat",outcome="aborted_error"} 0"#,
            #"tierbench_sessions_total{scenario="chat",outcome="aborted_429"} 1"#,
            #"tierbench_sessions_total{scenario="chat",outcome="timeout"} 0"#,
        ]
        for line in expected { #expect(lines.contains(line), "missing: \(line)") }
        // (600 × 0.15 + 400 × 0.075 + 500 × 0.6) / 1e6 = 420 / 1e6.
        let cost = lines.first { $0.hasPrefix("tierbench_cost_usd_total{") }?.split(separator: " ").last
        #expect(cost.flatMap { Double($0) }.map { abs($0 - 0.00042) < 1e-15 } == true, "\(String(describing: cost))")
        #expect(!PrometheusExposition.render(Self.counters(), scenario: "chat").contains("tierbench_cost_usd_total"))
    }

    @Test func histogramBucketsAreCumulativeAndExact() {
        let text = PrometheusExposition.render(Self.counters(), scenario: "chat")
        let lines = Set(text.split(separator: "\n").map(String.init))
        func bucket(_ family: String, _ le: String, _ count: Int) -> String {
            "\(family)_bucket{scenario=\"chat\",le=\"\(le)\"} \(count)"
        }
        // Latency 3, 7, 10, 40, 150 ms: 10 ms sits exactly on a bound and counts in it (le = "≤").
        let latency: [(String, Int)] = [
            ("0.005", 1), ("0.01", 3), ("0.025", 3), ("0.05", 4), ("0.1", 4), ("0.25", 5), ("120", 5), ("+Inf", 5),
        ]
        for (le, count) in latency { #expect(lines.contains(bucket("tierbench_latency_seconds", le, count)), "\(le)") }
        #expect(lines.contains(#"tierbench_latency_seconds_count{scenario="chat"} 5"#))
        #expect(Self.value(of: "tierbench_latency_seconds_sum", in: text).map { abs($0 - 0.21) < 1e-12 } == true)
        // TTFT 0.5 ms, 30 ms, 2 s.
        let ttft: [(String, Int)] = [("0.001", 1), ("0.02", 1), ("0.04", 2), ("1", 2), ("2.5", 3), ("+Inf", 3)]
        for (le, count) in ttft { #expect(lines.contains(bucket("tierbench_ttft_seconds", le, count)), "\(le)") }
        #expect(Self.value(of: "tierbench_ttft_seconds_sum", in: text).map { abs($0 - 2.0305) < 1e-12 } == true)
        // ITL: four 2 ms gaps; lateness 0.2 ms and 20 ms.
        #expect(lines.contains(bucket("tierbench_itl_seconds", "0.001", 0)))
        #expect(lines.contains(bucket("tierbench_itl_seconds", "0.0025", 4)))
        #expect(lines.contains(#"tierbench_itl_seconds_count{scenario="chat"} 4"#))
        #expect(lines.contains(bucket("tierbench_send_lateness_seconds", "0.0001", 0)))
        #expect(lines.contains(bucket("tierbench_send_lateness_seconds", "0.0005", 1)))
        #expect(lines.contains(bucket("tierbench_send_lateness_seconds", "0.01", 1)))
        #expect(lines.contains(bucket("tierbench_send_lateness_seconds", "0.05", 2)))
    }

    @Test func bucketBoundsAreWrittenExactly() {
        // The le label reads back as the very bound, in the shortest form (no report rounding: 1.2345 stays).
        for bound in [0.005, 2.5, 7.5, 120, 1.2345, 0.00012345, 123.456] {
            let label = MetricFamily.boundLabel(bound)
            #expect(Double(label) == bound, "\(bound) → \(label)")
            #expect(!label.hasSuffix("0") || label == String(Int64(bound)), "\(label)")
        }
        #expect(MetricFamily.boundLabel(120) == "120")
        // Every bucket line of every histogram family carries exactly its bound.
        let text = PrometheusExposition.render(Self.counters(), scenario: "chat")
        for family in MetricFamily.all where family.kind == .histogram {
            for bound in family.bucketsSeconds {
                let prefix = "\(family.name)_bucket{scenario=\"chat\",le=\"\(MetricFamily.boundLabel(bound))\"} "
                #expect(text.contains(prefix), "\(prefix)")
            }
        }
    }

    @Test func histogramSumIsTheIntegerNanosecondSum() {
        // 611178003 + 909925048 + 861425549 ns = 2.3825286 s exactly; a running mean × count gives
        // 2.3825285999999997, and one that rounds down can fall between scrapes, which rate() reads as a reset.
        var first = DurationHistogram()
        first.record(nanoseconds: 611_178_003)
        first.record(nanoseconds: 909_925_048)
        var second = DurationHistogram()
        second.record(nanoseconds: 861_425_549)
        first.merge(second)
        #expect(first.sumNanos == 2_382_528_600)
        var counters = LiveCounters()
        counters.latency = first
        let text = PrometheusExposition.render(counters, scenario: "chat")
        #expect(text.contains("tierbench_latency_seconds_sum{scenario=\"chat\"} 2.3825286\n"), "\(text)")
    }

    /// The value of the first sample of series `name`.
    static func value(of name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + "{") }?.split(separator: " ").last.flatMap { Double($0) }
    }

    @Test func everyFamilyIsServedWithItsTypeAndConventionalName() {
        let text = PrometheusExposition.render(Self.counters(), scenario: "s", price: Self.price)
        for family in MetricFamily.all {
            #expect(text.contains("# TYPE \(family.name) \(family.kind.rawValue)\n"), "\(family.name)")
            #expect(family.name.hasPrefix("tierbench_"))
            switch family.kind {
            case .counter: #expect(family.name.hasSuffix("_total"), "\(family.name)")
            case .histogram: #expect(family.name.hasSuffix("_seconds"), "\(family.name)")
            case .gauge: #expect(!family.name.hasSuffix("_total"), "\(family.name)")
            }
        }
        // Every sample line names a served series and carries the scenario label.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" })
            #expect(MetricFamily.servedSeriesNames.contains(name), "\(name)")
            #expect(line.contains("{scenario=\"s\""), "\(line)")
        }
    }

    @Test func countersFromARecorderKeepWarmupApartAndCarryTheStreamingHistograms() {
        // Timeline (ms since the run's start): two warmup requests sent at 0 and 1, ending at 30; three measured
        // streaming requests intended at 100, 200, 300, sent 0, 2 and 5 ms late, first token 40 ms after the send,
        // ending 60 ms after the send; the last one is answered 429.
        var recorder = MetricsRecorder()
        let ms: UInt64 = 1_000_000
        for index in 0..<2 {
            recorder.record(RequestOutcome(
                index: index, intendedStart: UInt64(index) * ms, actualStart: UInt64(index) * ms, end: 30 * ms,
                status: 200, usage: TokenUsage(prompt: 7, completion: 7), warmup: true))
        }
        for (index, late) in [(0, UInt64(0)), (1, 2), (2, 5)] {
            let intended = UInt64(100 * (index + 1)) * ms
            let sent = intended + late * ms
            let limited = index == 2
            recorder.record(RequestOutcome(
                index: index + 2, intendedStart: intended, actualStart: sent, end: sent + 60 * ms,
                status: limited ? 429 : 200, errorClass: limited ? .rateLimited : nil,
                usage: limited ? nil : TokenUsage(prompt: 10, completion: 4),
                firstTokenAt: limited ? nil : sent + 40 * ms, outputChunks: limited ? 0 : 4))
        }
        let counters = LiveCounters(recorder: recorder, inFlight: 0)
        #expect(counters.warmup == 2 && counters.completed == 5 && counters.measured == 3)
        let text = PrometheusExposition.render(counters, scenario: "r")
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"tierbench_requests_total{scenario="r",outcome="success"} 2"#))
        #expect(lines.contains(#"tierbench_requests_total{scenario="r",outcome="failure"} 1"#))
        #expect(lines.contains(#"tierbench_warmup_requests_total{scenario="r"} 2"#))
        #expect(lines.contains(#"tierbench_rate_limited_total{scenario="r"} 1"#))
        #expect(lines.contains(#"tierbench_tokens_total{scenario="r",kind="prompt"} 20"#))
        // TTFT 40 ms for the two successes; lateness 0, 2 and 5 ms for all three measured requests.
        #expect(lines.contains(#"tierbench_ttft_seconds_bucket{scenario="r",le="0.04"} 2"#))
        #expect(lines.contains(#"tierbench_ttft_seconds_bucket{scenario="r",le="0.02"} 0"#))
        #expect(lines.contains(#"tierbench_send_lateness_seconds_bucket{scenario="r",le="0.001"} 1"#))
        #expect(lines.contains(#"tierbench_send_lateness_seconds_bucket{scenario="r",le="0.005"} 3"#))
        #expect(lines.contains(#"tierbench_send_lateness_seconds_count{scenario="r"} 3"#))
    }

    @Test func onePassBucketsEqualPerBoundCounts() {
        var histogram = DurationHistogram()
        var value: UInt64 = 1
        for step in 0..<5000 {  // values from 1 µs to minutes, including values on and next to every bound
            value = (value &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407)
            histogram.record(nanoseconds: (value >> 20) % (200_000_000_000 >> UInt64(step % 30)))
        }
        for bound in MetricFamily.latency.bucketsSeconds + MetricFamily.timeToFirstToken.bucketsSeconds {
            histogram.record(nanoseconds: UInt64(bound * 1e9))
        }
        for family in [MetricFamily.latency, .timeToFirstToken, .interTokenLatency, .sendLateness] {
            let counts = PrometheusExposition.cumulativeCounts(histogram, bounds: family.bucketsSeconds)
            let expected = family.bucketsSeconds.map {
                Int(histogram.histogram.count(within: 0...UInt64($0 * 1_000_000)))
            }
            #expect(counts == expected, "\(family.name)")
        }
    }
}
