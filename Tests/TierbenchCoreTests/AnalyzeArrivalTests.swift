import Testing
@testable import TierbenchCore

/// `analyze` against arrival processes whose truth is known: seeded Poisson and Gamma schedules.
struct AnalyzeArrivalTests {
    /// `count` arrivals (ms) of `process` at `rate`/s, drawn with the engine's own `ArrivalSchedule`.
    static func schedule(_ count: Int, rate: Double, process: ArrivalProcess, seed: UInt64) -> [Double] {
        var schedule = ArrivalSchedule(profile: RateProfile(rate: rate), process: process, seed: seed)
        var out: [Double] = []
        while out.count < count, let nanos = schedule.next() { out.append(Double(nanos) / 1e6) }
        return out
    }

    /// The request log of those arrivals as tierbench writes it: in completion order (latencies 5…405 ms).
    static func log(_ arrivals: [Double], seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        let rows = arrivals.enumerated().map { index, sent in
            (index: index, sent: sent, latency: 5 + 400 * random.nextUnit())
        }
        return rows.sorted { $0.sent + $0.latency < $1.sent + $1.latency }.map { row in
            AnalyzeTestSupport.requestLine(index: row.index, sendMs: row.sent, latencyMs: row.latency,
                                           usage: TokenUsage(prompt: 100 + row.index % 50, completion: 20))
        }
    }

    @Test func poissonLogRecoversRateAndCV() throws {
        let truth = Self.schedule(20_000, rate: 40, process: .poisson, seed: 2026)
        let analysis = AnalyzeTestSupport.analyze([("requests.jsonl", Self.log(truth, seed: 7))])
        let arrivals = try #require(analysis.requests?.arrivals)
        #expect(arrivals.count == 20_000)
        #expect(arrivals.outOfOrder == 0)
        // The figure is exactly (n − 1) / span of the generated times.
        let expected = Double(truth.count - 1) / ((truth[truth.count - 1] - truth[0]) / 1_000)
        #expect(abs(arrivals.ratePerS - expected) < 0.001)
        #expect(abs(arrivals.ratePerS - 40) / 40 < 0.03)
        #expect(arrivals.cv >= 0.95 && arrivals.cv <= 1.05)
        #expect(abs(arrivals.interArrivalMs.mean - 25) / 25 < 0.03)
        #expect(analysis.badRows == 0)
        // The profile turns it back into a Poisson load at that rate.
        let profile = WorkloadProfile.yaml(analysis, sources: ["requests.jsonl"])
        let scenario = try ScenarioLoader.parse(text: profile, fileName: "workload-profile.yaml")
        let rate = try #require(scenario.load.rate)
        #expect(abs(rate - 40) / 40 < 0.03)
        #expect(scenario.load.arrival == .poisson)
        #expect(scenario.load.stages.isEmpty)
    }

    @Test func gammaLogRecoversBurstiness() throws {
        // Shape 0.25: CV 2.
        let truth = Self.schedule(20_000, rate: 20, process: .gamma(burstiness: 0.25), seed: 99)
        let analysis = AnalyzeTestSupport.analyze([("requests.jsonl", Self.log(truth, seed: 8))])
        let arrivals = try #require(analysis.requests?.arrivals)
        #expect(abs(arrivals.cv - 2) < 0.15)
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        guard case .gamma(let burstiness) = scenario.load.arrival else {
            Issue.record("expected a gamma arrival")
            return
        }
        #expect(abs(burstiness - 0.25) < 0.05)
    }

    @Test func frequencyCountsEveryArrivalInItsSecond() throws {
        // 3 requests in second 0, 1 in second 1, 2 (one failed) in second 3; completion order scrambled.
        let lines = [
            AnalyzeTestSupport.requestLine(index: 1, sendMs: 400, latencyMs: 900),
            AnalyzeTestSupport.requestLine(index: 0, sendMs: 0, latencyMs: 1_500),
            AnalyzeTestSupport.requestLine(index: 2, sendMs: 999, latencyMs: 10),
            AnalyzeTestSupport.requestLine(index: 3, sendMs: 1_000, latencyMs: 10),
            AnalyzeTestSupport.requestLine(index: 4, sendMs: 3_100, latencyMs: 10, status: 503),
            AnalyzeTestSupport.requestLine(index: 5, sendMs: 3_900, latencyMs: 10),
        ]
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let requests = try #require(analysis.requests)
        let seconds = try #require(requests.frequency.first { $0.resolutionS == 1 })
        #expect(seconds.counts == [3, 1, 0, 2])
        #expect(seconds.errors == [0, 0, 0, 1])
        // Gaps 400, 599, 1, 2100, 800 ms.
        #expect(requests.arrivals.interArrivalMs.min == 1)
        #expect(requests.arrivals.interArrivalMs.max == 2_100)
        #expect(abs(requests.arrivals.interArrivalMs.mean - 780) < 0.001)
        #expect(requests.arrivals.ratePerS == 1.282)  // 5 gaps over 3.9 s
        #expect(requests.byStatus == ["200": 5, "503": 1])
        #expect(requests.byErrorClass == ["http_5xx": 1])
        #expect(requests.errorRate == 0.166667)
    }

    @Test func varyingRateBecomesStages() throws {
        // 60 s at 5/s, then 60 s at 50/s, evenly spaced.
        var lines: [String] = []
        var index = 0
        for second in 0..<120 {
            let perSecond = second < 60 ? 5 : 50
            for k in 0..<perSecond {
                lines.append(AnalyzeTestSupport.requestLine(
                    index: index, sendMs: Double(second) * 1_000 + Double(k) * 1_000 / Double(perSecond), latencyMs: 20))
                index += 1
            }
        }
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        let stages = scenario.load.stages
        #expect(stages.count == 24)  // 10 s windows over a 120 s span, each a 1 ms ramp and a hold
        #expect(scenario.load.rate == 5)
        #expect(stages.first.map { $0.target == .rate(5) } == true)
        #expect(stages.last.map { $0.target == .rate(50) } == true)
    }

    @Test func steppedPoissonIsStagesOfPoisson() throws {
        // Poisson at 5/s for 200 s, 20/s for 200 s, 5/s for 190 s: the whole log's CV is well above 1, but inside
        // the 10 s windows the gaps are Poisson again.
        var random = SplitMix64(seed: 5)
        var times: [Double] = []
        var t = 0.0
        while t < 590 {
            t += random.nextExponential(mean: 1 / (t >= 200 && t < 400 ? 20 : 5))
            times.append(t * 1_000)
        }
        let lines = times.enumerated().map { AnalyzeTestSupport.requestLine(index: $0.offset, sendMs: $0.element, latencyMs: 10) }
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let arrivals = try #require(analysis.requests?.arrivals)
        #expect(arrivals.cv > 1.2)
        #expect(arrivals.windowS == 10)
        let within = try #require(arrivals.cvWithinWindows)
        #expect(within > 0.9 && within < 1.1)
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        #expect(scenario.load.arrival == .poisson)
        let last = try #require(times.last)
        #expect(scenario.load.stages.count == 2 * (Int(last / 1_000) / 10 + 1))  // two stages per 10 s window
        let rates = scenario.load.stages.map { stage -> Double in
            if case .rate(let rate) = stage.target { return rate } else { return -1 }
        }
        #expect(rates[51] > 10 && rates[11] < 10 && rates[91] < 10)
    }

    @Test func stagesReplayEachWindowsCount() throws {
        // 10 s windows of 5, 50, 0, 20, 5 requests/s (evenly spaced inside each second), 50 s in all: the replayed
        // profile's expected arrivals at every window end match the log's cumulative counts.
        let perSecond = [5, 50, 0, 20, 5]
        var lines: [String] = []
        var cumulative: [Int] = []
        var index = 0
        for (window, rate) in perSecond.enumerated() {
            for second in 0..<10 {
                for k in 0..<rate {
                    let sendMs = Double(window * 10 + second) * 1_000 + Double(k) * 1_000 / Double(rate)
                    lines.append(AnalyzeTestSupport.requestLine(index: index, sendMs: sendMs, latencyMs: 20))
                    index += 1
                }
            }
            cumulative.append(index)
        }
        // The last request lands at 49.8 s: 1 s windows (≤ 60 over the span), the profile covers 50 s.
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        #expect(scenario.load.rate == 5)
        #expect(analysis.requests?.arrivals.windowS == 1)
        #expect(scenario.load.stages.count == 100)  // 50 windows of 1 s, each a 1 ms ramp and a hold
        let stages = scenario.load.stages.compactMap { stage -> RateProfile.Stage? in
            guard case .rate(let target) = stage.target else { return nil }
            return RateProfile.Stage(duration: stage.duration.seconds, target: target)
        }
        let profile = RateProfile(startRate: scenario.load.rate ?? 0, stages: stages)
        for (window, count) in cumulative.enumerated() {
            let replayed = profile.cumulative(at: Double(window + 1) * 10)
            #expect(abs(replayed - Double(count)) < 0.1, "window \(window): \(replayed) vs \(count)")
        }
    }

    @Test func cvWithinWindowsSmallSampleCorrection() throws {
        // Second 0 holds gaps 1, 2, 3 ms: mean 2, population variance 2/3, var/mean² = 1/6, × (3+1)/(3−1) = 1/3.
        // Second 1 holds 2 gaps: left out (fewer than 3). The 2 s of moments cannot widen (no window past half).
        var moments = GapMoments()
        for (offset, gap) in [(0.1, 1.0), (0.2, 2.0), (0.3, 3.0), (1.5, 10.0), (1.6, 30.0)] {
            moments.add(offsetSeconds: offset, gapMs: gap)
        }
        let within = try #require(moments.cvWithinWindows(width: 1))
        #expect(within.width == 1)
        #expect(abs(within.cv - (1.0 / 3).squareRoot()) < 1e-12)
    }

    @Test func cvWithinWindowsUnbiasedWithFewGapsPerWindow() throws {
        // Poisson at 2/s for 25 s, then 6/s for 25 s: 1 s rate windows hold 2–6 gaps, where var/mean² with each
        // window's own mean is biased low ((n−1)/(n+1)). Averaged over 20 seeded logs the estimate is near 1; each log
        // alone has ~200 gaps, so single logs scatter by ±0.1.
        var sum = 0.0
        var constantSum = 0.0
        for seed in 1...20 {
            for step in [true, false] {
                var random = SplitMix64(seed: UInt64(seed))
                var times: [Double] = []
                var t = 0.0
                while t < 50 {
                    t += random.nextExponential(mean: 1 / (step && t >= 25 ? 6 : 2))
                    times.append(t * 1_000)
                }
                let lines = times.enumerated().map {
                    AnalyzeTestSupport.requestLine(index: $0.offset, sendMs: $0.element, latencyMs: 10)
                }
                let arrivals = try #require(AnalyzeTestSupport.analyze([("r.jsonl", lines)]).requests?.arrivals)
                #expect(arrivals.windowS == 1)
                let within = try #require(arrivals.cvWithinWindows)
                if step { sum += within } else { constantSum += within }
            }
        }
        #expect(sum / 20 > 0.9 && sum / 20 < 1.1, "stepped: \(sum / 20)")
        #expect(constantSum / 20 > 0.9 && constantSum / 20 < 1.1, "constant: \(constantSum / 20)")
    }

    @Test func lateRowsCountInTheRate() throws {
        // 20 arrivals every 100 ms (0 … 1,900 ms); with a 4-row reordering window, the rows sent at 500 and 600 ms
        // are logged after the one sent at 1,500 ms, too late to be put in order: out of the gaps, not of the rate.
        var sends = (0..<20).map { Double($0) * 100 }
        sends.removeAll { $0 == 500 || $0 == 600 }
        let at = try #require(sends.firstIndex(of: 1_500))
        sends.insert(contentsOf: [500, 600], at: at + 1)
        var analyzer = LogAnalyzer(options: AnalyzeOptions(prices: AnalyzeTestSupport.prices))
        analyzer.orderWindow = 4
        analyzer.beginFile("r.jsonl")
        for (index, sent) in sends.enumerated() {
            analyzer.feed(AnalyzeTestSupport.requestLine(index: index, sendMs: sent, latencyMs: 10))
        }
        analyzer.endFile()
        let arrivals = try #require(analyzer.finish().requests?.arrivals)
        #expect(arrivals.outOfOrder == 2)
        #expect(arrivals.count == 18)
        #expect(arrivals.spanS == 1.9)
        #expect(arrivals.ratePerS == 10)  // 19 intervals over 1.9 s
    }

    @Test func slightLastBucketLeftOutOfTheChart() throws {
        // 1 min buckets of 600, 600 and 2 arrivals, the last two 1 s into the third minute: 2/s over that 1 s would
        // be a spike above the 10/s before, so the chart stops at the second minute. Half a minute covered is shown.
        let sliver = FrequencySeries(resolutionS: 60, counts: [600, 600, 2], errors: [0, 0, 0], lastBucketS: 1)
        let points = AnalysisCharts.frequency(sliver, what: "Requests", id: "c").series[0].points
        #expect(points.map(\.y) == [10, 10])
        let half = FrequencySeries(resolutionS: 60, counts: [600, 600, 300], errors: [0, 0, 0], lastBucketS: 30)
        #expect(AnalysisCharts.frequency(half, what: "Requests", id: "c").series[0].points.map(\.y) == [10, 10, 10])
        let only = FrequencySeries(resolutionS: 60, counts: [5], errors: [0], lastBucketS: 10)
        #expect(AnalysisCharts.frequency(only, what: "Requests", id: "c").series[0].points.map(\.y) == [0.5])
    }

    @Test func burstyConstantRateStaysOneRate() throws {
        // Gamma arrivals with CV 2 at a constant 2/s for ~600 s: 10 s windows of m ≈ 20 vary by about 2·√20 ≈ 9, so
        // a Poisson band of 4·√20 ≈ 18 is crossed by chance; the band scaled by the CV is not.
        let truth = Self.schedule(1_200, rate: 2, process: .gamma(burstiness: 0.25), seed: 11)
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", Self.log(truth, seed: 12))])
        let arrivals = try #require(analysis.requests?.arrivals)
        #expect(arrivals.windowS == 10)
        let within = try #require(arrivals.cvWithinWindows)
        #expect(within > 1.6 && within < 2.4)
        #expect(WorkloadProfile.stages(analysis) == nil)
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        #expect(scenario.load.stages.isEmpty)
    }

    @Test func ratesKeepSixSignificantDigits() throws {
        // One request every 3 s for 60 s: 20 gaps over 60 s = 0.333333…/s, written as 0.333333 (not 0.3333).
        let lines = (0...20).map { AnalyzeTestSupport.requestLine(index: $0, sendMs: Double($0) * 3_000, latencyMs: 10) }
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["r"]), fileName: "p.yaml")
        #expect(scenario.load.rate == 0.333333)
        #expect(WorkloadProfile.clampRate(123_456.789) == 123_457)
        #expect(WorkloadProfile.clampRate(0.000_123_456_789) == 0.000_123_457)
        #expect(WorkloadProfile.rateText(0.000_123_457) == "0.000123457")
        #expect(WorkloadProfile.rateText(12.345_6) == "12.3456")
    }

    @Test func profileNamesSourcesByBaseName() throws {
        let lines = (0...3).map { AnalyzeTestSupport.requestLine(index: $0, sendMs: Double($0) * 100, latencyMs: 10) }
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let profile = WorkloadProfile.yaml(analysis, sources: ["/home/alice/secret-project/run 1/requests.jsonl",
                                                                "odd\nname:\u{1B}[31m.jsonl"])
        let header = try #require(profile.split(separator: "\n").first)
        #expect(header.hasSuffix(" from requests.jsonl, oddname:[31m.jsonl."))
        #expect(!profile.contains("alice"))
        _ = try ScenarioLoader.parse(text: profile, fileName: "p.yaml")
    }

    @Test func longFrequencyChartsAreThinned() throws {
        // 5,000 one-minute buckets (k = 3 per point): 1,667 points, each the count of its buckets over their
        // seconds; the last point holds two buckets, the second of them covering 30 s.
        var counts = [UInt32](repeating: 60, count: 5_000)
        counts[3] = 240  // a busy minute in the second point: (60 + 60 + 240) / 180 s = 2/s
        counts[4_999] = 30
        let series = FrequencySeries(resolutionS: 60, counts: counts, errors: [UInt32](repeating: 0, count: 5_000),
                                     lastBucketS: 30)
        let points = AnalysisCharts.frequency(series, what: "Requests", id: "c").series[0].points
        #expect(points.count == 1_667)
        #expect(points.count <= AnalysisCharts.maxPoints)
        #expect(points[0].y == 1)
        #expect(points[1].y == 2)
        #expect(points[1].x == 3)  // minutes
        #expect(points[1_666].y == 1)  // (60 + 30) / (60 + 30) s
        #expect(points[1_666].x == 4_998)
    }

    @Test func clampedCountsAndUnpricedCost() throws {
        // A latency of 2 h is beyond the histograms' 1 h: counted in clamped. One model priced, one not.
        let lines = [
            #"{"t_ms":0,"latency_ms":7200000,"status":200,"model":"gpt-4o-mini","prompt_tokens":10,"completion_tokens":2}"#,
            #"{"t_ms":10,"latency_ms":5,"status":200,"model":"no-such-model","prompt_tokens":10,"completion_tokens":2}"#,
            #"{"t_ms":20,"latency_ms":5,"status":200,"model":"no-such-model","prompt_tokens":10,"completion_tokens":2}"#,
        ]
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let requests = try #require(analysis.requests)
        #expect(requests.clamped["latency_ms"] == 1)
        #expect(requests.clamped["response_time_ms"] == 1)
        #expect(requests.clamped["prompt_tokens"] == 0)
        let cost = try #require(AnalysisReport.keyFigures(analysis).first { $0.0 == "Cost" })
        #expect(cost.1.hasSuffix(" (2 requests of unpriced models)"))
        #expect(cost.1.hasPrefix("$"))
    }
}
