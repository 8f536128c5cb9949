import Foundation

/// Synthetic results for demonstrating and checking the report formats without running anything:
/// `tierbench report --sample` renders these, and the screenshot check (scripts/report/) uses them.
/// Deterministic: the same call always gives the same JSON.
public enum SampleReports {
    /// A 60-second closed-loop run against a rate-limited mock: warm-up, a steady plateau, a burst of 429s
    /// around t = 35 s, and a long-tailed latency distribution.
    public static func runSummary(name: String = "sample-gate", seed: UInt64 = 7) -> JSONValue {
        var random = SplitMix64(seed: seed)
        let seconds = 60
        var requests: [JSONValue] = []
        var errors: [JSONValue] = []
        var limited: [JSONValue] = []
        var latencyMean: [JSONValue] = []
        var total = 0
        var failed = 0
        var rateLimitedTotal = 0
        for second in 0..<seconds {
            let ramp = min(1, Double(second + 1) / 5)
            let count = Int((48 + random.nextGaussian() * 2.5) * ramp)
            let burst = (33...38).contains(second)
            let rateLimited = burst ? Int(Double(count) * 0.25) : (random.nextUnit() < 0.05 ? 1 : 0)
            requests.append(.int(count))
            errors.append(.int(rateLimited))
            limited.append(.int(rateLimited))
            latencyMean.append(.double(((burst ? 260 : 185) + random.nextGaussian() * 9).rounded() / 1))
            if second >= 2 {
                total += count
                failed += rateLimited
                rateLimitedTotal += rateLimited
            }
        }
        let succeeded = total - failed
        let window = Double(seconds - 2)
        // A lognormal service time (median 180 ms, σ = 0.2) plus a thin heavy tail out to ~1.2 s, in 4% buckets.
        var weights: [(value: Int, weight: Double)] = []
        var value = 110_000.0
        while value < 1_250_000 {
            let x = log(value / 180_000)
            weights.append((Int(value), exp(-x * x / (2 * 0.04)) + 0.004 * exp(-1.2 * x)))
            value *= 1.04
        }
        let weightSum = weights.reduce(0) { $0 + $1.weight }
        var counts = weights.map { Int(($0.weight / weightSum * Double(succeeded)).rounded()) }
        // Rounding leaves a few samples over or short: settle them in the fullest bucket, not in the tail.
        if let fullest = counts.indices.max(by: { counts[$0] < counts[$1] }) {
            counts[fullest] = max(0, counts[fullest] + succeeded - counts.reduce(0, +))
        }
        var buckets: [JSONValue] = []
        for (entry, count) in zip(weights, counts) where count > 0 {
            buckets.append(.array([.int(entry.value), .int(count)]))
        }
        /// The value (ms) of the bucket holding the ⌈p·n⌉-th smallest sample, as HdrHistogram reads percentiles.
        func percentile(_ p: Double) -> JSONValue {
            let rank = max(1, Int((p * Double(succeeded)).rounded(.up)))
            var seen = 0
            for case .array(let pair) in buckets {
                seen += pair[1].metricInt ?? 0
                if seen >= rank { return .double((pair[0].metricNumber ?? 0) / 1_000) }
            }
            return .double(0)
        }
        func member(_ key: String, _ value: JSONValue) -> JSONValue.Member { .init(key, value) }
        func number(_ value: Double) -> JSONValue { .double((value * 1000).rounded() / 1000) }
        return .object([
            member("schema_version", .int(1)),
            member("tool_version", .string(TierbenchVersion.string)),
            member("scenario", .object([member("name", .string(name)), member("target", .string("mock"))])),
            member("started_at", .string("2026-11-22T21:00:00.000Z")),
            member("ended_at", .string("2026-11-22T21:01:00.000Z")),
            member("duration_s", .double(60)),
            member("requests", .object([
                member("total", .int(total)), member("succeeded", .int(succeeded)), member("failed", .int(failed)),
            ])),
            member("error_rate", number(Double(failed) / Double(max(total, 1)))),
            member("throughput", .object([
                member("requests_per_s", number(Double(total) / window)),
                member("succeeded_per_s", number(Double(succeeded) / window)),
                member("tokens_per_s", number(Double(succeeded) * 61 / window)),
            ])),
            member("latency_ms", .object([
                member("count", .int(succeeded)), member("min", percentile(0)), member("p50", percentile(0.5)),
                member("p90", percentile(0.9)), member("p95", percentile(0.95)), member("p99", percentile(0.99)),
                member("p999", percentile(0.999)), member("max", percentile(1)),
            ])),
            member("tokens", .object([
                member("prompt", .int(succeeded * 11)), member("completion", .int(succeeded * 50)),
                member("total", .int(succeeded * 61)),
            ])),
            member("status_counts", .object([member("200", .int(succeeded)), member("429", .int(rateLimitedTotal))])),
            member("errors", .object([member("http_429", .int(rateLimitedTotal))])),
            member("generator", .object([member("limited_by_generator", .bool(false))])),
            member("histograms", .object([member("latency", .object([
                member("unit", .string("us")), member("count", .int(succeeded)), member("buckets", .array(buckets)),
            ]))])),
            member("time_series", .object([
                member("bucket_s", .double(1)), member("requests", .array(requests)), member("errors", .array(errors)),
                member("rate_limited", .array(limited)), member("latency_mean_ms", .array(latencyMean)),
            ])),
        ])
    }

    /// A sweep over two tiers and two batch sizes: throughput saturates at limit × latency workers, 429s climb
    /// beyond it, with knees and a recommendation per tier.
    public static func sweep() -> JSONValue {
        let workers = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64]
        let tiers: [(name: String, limit: Double, latency: Double)] = [("tier1", 8, 0.5), ("tier2", 40, 0.5)]
        var points: [JSONValue] = []
        var curves: [JSONValue] = []
        var recommendation: [JSONValue.Member] = []
        for tier in tiers {
            for batch in [1, 10] {
                let limit = tier.limit * (batch == 1 ? 1 : 0.8)
                let saturation = limit * tier.latency
                for count in workers {
                    let offered = Double(count) / tier.latency
                    let served = min(offered, limit) * (1 - 0.02 * max(0, offered / limit - 1))
                    let errorRate = offered > limit ? min(0.6, (offered - limit) / offered) : 0
                    let p95 = tier.latency * 1000 * (1.15 + 0.4 * max(0, offered / limit - 1)) + Double(batch) * 4
                    points.append(.object([
                        .init("settings", .object([
                            .init("tier", .string(tier.name)), .init("model", .string("gpt-4o-mini")),
                            .init("batch_size", .int(batch)), .init("max_workers", .int(count)),
                        ])),
                        .init("figures", .object([
                            .init("requests_per_s", .double((offered.rounded() * 100).rounded() / 100)),
                            .init("goodput_requests_per_s", .double((served * 100).rounded() / 100)),
                            .init("error_rate_final", .double((errorRate * 1000).rounded() / 1000)),
                            .init("p95_ms", .double(p95.rounded())),
                        ])),
                    ]))
                }
                let knee = workers.first { Double($0) >= saturation * 0.95 } ?? workers[workers.count - 1]
                let errorKnee = workers.first { Double($0) / tier.latency > limit * 1.01 }
                var entry: [JSONValue.Member] = [
                    .init("tier", .string(tier.name)), .init("batch_size", .int(batch)),
                    .init("throughput_knee", .int(knee)),
                ]
                if let errorKnee { entry.append(.init("error_knee", .int(errorKnee))) }
                curves.append(.object(entry))
                if batch == 1 {
                    recommendation.append(.init(tier.name, .object([
                        .init("max_workers", .int(knee)), .init("batch_size", .int(batch)),
                        .init("reason", .string("throughput reaches its plateau at \(knee) workers; "
                            + "beyond \(errorKnee.map(String.init) ?? "the grid") 429s exceed 1%")),
                    ])))
                }
            }
        }
        return .object([
            .init("name", .string("sample-sweep")), .init("points", .array(points)), .init("curves", .array(curves)),
            .init("recommendation", .object(recommendation)),
        ])
    }

    /// The sample run with thresholds (one failing), a comparison against a slower baseline, and the sample
    /// sweep: every section of every format has something to show.
    public static func content() -> ReportContent {
        let run = runSummary()
        var baseline = runSummary(seed: 11)
        if case .object? = baseline["latency_ms"] {
            baseline.set("latency_ms", .object([
                .init("p50", .double(170.0)), .init("p95", .double(200.0)), .init("p99", .double(300.2)),
            ]))
        }
        let expressions = ["latency_ms.p95 < 800ms", "error_rate <= 1%", "throughput.requests_per_s > 40",
                           "status_counts.429 < 20"]
        let thresholds = expressions.compactMap { try? Threshold.parse($0) }
        return ReportContent(
            title: "sample-gate", runs: [run], thresholds: ThresholdEvaluator.evaluate(thresholds, against: run),
            comparison: Comparison.compare(base: baseline, new: run, tolerance: 0.10), sweep: sweep())
    }

    /// The sample content as a self-contained HTML page.
    public static func html() -> String { HTMLReport.render(content()) }
}
