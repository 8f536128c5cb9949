/// The harness's own metrics in Prometheus' text format (version 0.0.4), for `--metrics-port` and Grafana.
///
/// Rendered from cumulative `LiveCounters`, so a scrape costs nothing on the request path. The families and their
/// names are `MetricFamily`'s (docs/monitoring.md). Counters and histograms cover measured requests only; warmup
/// requests count in `tierbench_warmup_requests_total` alone. Histogram buckets are read from the HdrHistograms
/// (count of values ≤ each bound, to the histogram's precision) in one pass per histogram.
public enum PrometheusExposition {
    /// Upper bounds of the latency histogram's buckets (seconds).
    public static var latencyBucketsSeconds: [Double] { MetricFamily.latency.bucketsSeconds }

    /// The text for one scrape. `scenario` labels every series; `price` (the run's model price, from the run's one
    /// price table) adds `tierbench_cost_usd_total`, which is left out when the model has no price.
    public static func render(
        _ counters: LiveCounters, scenario: String, price: PriceTable.ModelPrice? = nil
    ) -> String {
        var out = Writer(scenario: escape(scenario))
        out.family(.requests)
        out.sample(.requests, ["outcome": "success"], counters.measuredSucceeded)
        out.sample(.requests, ["outcome": "failure"], counters.measuredFailed)
        out.family(.warmupRequests)
        out.sample(.warmupRequests, [:], counters.warmup)
        out.family(.rateLimited)
        out.sample(.rateLimited, [:], counters.statuses[429])
        out.family(.errors)
        for errorClass in ErrorClass.allCases {
            out.sample(.errors, ["class": errorClass.rawValue], counters.errors[errorClass])
        }
        out.family(.attempts)
        out.sample(.attempts, [:], counters.attempts)
        out.family(.tokens)
        out.sample(.tokens, ["kind": "prompt"], counters.usage.prompt)
        out.sample(.tokens, ["kind": "completion"], counters.usage.completion)
        out.family(.cachedPromptTokens)
        out.sample(.cachedPromptTokens, [:], counters.usage.cachedPrompt)
        if let price {
            out.family(.cost)
            out.line("\(MetricFamily.cost.name){\(out.scenarioLabel)} \(number(price.usd(counters.usage)))")
        }
        out.family(.inFlight)
        out.sample(.inFlight, [:], counters.inFlight)
        out.family(.sessionsActive)
        out.sample(.sessionsActive, [:], counters.sessionsActive)
        out.family(.sessionsStarted)
        out.sample(.sessionsStarted, [:], counters.sessionsStarted)
        out.family(.sessions)
        for outcome in SessionOutcome.allCases {
            out.sample(.sessions, ["outcome": outcome.rawValue], counters.sessionOutcomes[outcome])
        }
        out.histogram(.latency, counters.latency)
        out.histogram(.timeToFirstToken, counters.timeToFirstToken)
        out.histogram(.interTokenLatency, counters.interTokenLatency)
        out.histogram(.sendLateness, counters.sendLateness)
        return out.text
    }

    /// Cumulative bucket counts of `histogram` at `bounds` (seconds): values ≤ each bound, read in one pass over the
    /// HdrHistogram's buckets (each bound's range starts just above the previous bound's bucket).
    public static func cumulativeCounts(_ histogram: DurationHistogram, bounds: [Double]) -> [Int] {
        guard histogram.count > 0 else { return Array(repeating: 0, count: bounds.count) }
        let hdr = histogram.histogram
        let top = hdr.maxRecorded
        var counts: [Int] = []
        counts.reserveCapacity(bounds.count)
        var running: UInt64 = 0
        var nextLow: UInt64 = 0
        for bound in bounds {
            let micros = UInt64(min(max(bound, 0), 1e12) * 1_000_000)
            if nextLow <= top, nextLow <= micros {
                running &+= hdr.count(within: nextLow...micros)
                nextLow = hdr.highestEquivalentForValue(micros) &+ 1
            }
            counts.append(Int(clamping: running))
        }
        return counts
    }

    /// A number as the text format writes it: integers without a fraction, others in Swift's shortest round-trip
    /// form (never rounded: a sum or a cost is exact to the Double).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Escapes a label value (backslash, quote, newline).
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Accumulates the text of one scrape.
    private struct Writer {
        let scenarioLabel: String
        var text = ""

        init(scenario: String) {
            scenarioLabel = "scenario=\"\(scenario)\""
            text.reserveCapacity(8192)
        }

        mutating func line(_ value: String) {
            text += value
            text += "\n"
        }

        mutating func family(_ family: MetricFamily) {
            line("# HELP \(family.name) \(family.help)")
            line("# TYPE \(family.name) \(family.kind.rawValue)")
        }

        /// One series; `labels` holds at most one label (the families have at most one besides `scenario`).
        mutating func sample(_ family: MetricFamily, _ labels: [String: String], _ value: Int) {
            var names = scenarioLabel
            for (key, labelValue) in labels { names += ",\(key)=\"\(labelValue)\"" }
            line("\(family.name){\(names)} \(value)")
        }

        mutating func histogram(_ family: MetricFamily, _ histogram: DurationHistogram) {
            self.family(family)
            let counts = PrometheusExposition.cumulativeCounts(histogram, bounds: family.bucketsSeconds)
            for (bound, count) in zip(family.bucketsSeconds, counts) {
                line("\(family.name)_bucket{\(scenarioLabel),le=\"\(MetricFamily.boundLabel(bound))\"} \(count)")
            }
            line("\(family.name)_bucket{\(scenarioLabel),le=\"+Inf\"} \(histogram.count)")
            // The integer nanosecond sum: never decreases between scrapes (a running mean × count could, by a
            // rounding, and rate() would read that as a counter reset).
            let sum = Double(histogram.sumNanos) / 1e9
            line("\(family.name)_sum{\(scenarioLabel)} \(PrometheusExposition.number(sum))")
            line("\(family.name)_count{\(scenarioLabel)} \(histogram.count)")
        }
    }
}
