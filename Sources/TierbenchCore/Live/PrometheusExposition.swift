/// The harness's own metrics in Prometheus' text format (version 0.0.4), for `--metrics-port` and Grafana.
///
/// Rendered from cumulative `LiveCounters`, so a scrape costs nothing on the request path. The latency histogram's
/// buckets are read from the HdrHistogram (count of values ≤ each bound), so they are exact to its precision.
public enum PrometheusExposition {
    /// Upper bounds of the latency histogram's buckets (seconds).
    public static let latencyBucketsSeconds: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
    ]

    /// The text for one scrape. `scenario` labels every series.
    public static func render(_ counters: LiveCounters, scenario: String) -> String {
        let label = "scenario=\"\(escape(scenario))\""
        var text = ""
        func family(_ name: String, _ type: String, _ help: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("tierbench_requests_total", "counter", "Requests finished, warmup included, by outcome.")
        text += "tierbench_requests_total{\(label),outcome=\"success\"} \(counters.completed - counters.failed)\n"
        text += "tierbench_requests_total{\(label),outcome=\"failure\"} \(counters.failed)\n"
        family("tierbench_rate_limited_total", "counter", "HTTP 429 responses, warmup included.")
        text += "tierbench_rate_limited_total{\(label)} \(counters.rateLimited)\n"
        family("tierbench_errors_total", "counter", "Failed measured requests by error class.")
        for errorClass in ErrorClass.allCases {
            text += "tierbench_errors_total{\(label),class=\"\(errorClass.rawValue)\"} \(counters.errors[errorClass])\n"
        }
        family("tierbench_attempts_total", "counter", "Attempts made by measured requests, retries included.")
        text += "tierbench_attempts_total{\(label)} \(counters.attempts)\n"
        family("tierbench_tokens_total", "counter", "Tokens reported in the usage of measured responses.")
        text += "tierbench_tokens_total{\(label),kind=\"prompt\"} \(counters.usage.prompt)\n"
        text += "tierbench_tokens_total{\(label),kind=\"completion\"} \(counters.usage.completion)\n"
        family("tierbench_cached_prompt_tokens_total", "counter",
               "Prompt tokens served from the prompt cache (part of kind=\"prompt\" above).")
        text += "tierbench_cached_prompt_tokens_total{\(label)} \(counters.usage.cachedPrompt)\n"
        family("tierbench_in_flight", "gauge", "Transfers under way.")
        text += "tierbench_in_flight{\(label)} \(counters.inFlight)\n"
        family("tierbench_latency_seconds", "histogram", "Service time of measured successful requests.")
        let histogram = counters.latency
        for bound in latencyBucketsSeconds {
            let micros = UInt64(bound * 1_000_000)
            let count = histogram.count > 0 ? histogram.histogram.count(within: 0...micros) : 0
            text += "tierbench_latency_seconds_bucket{\(label),le=\"\(ReportNumber.plain(bound))\"} \(count)\n"
        }
        text += "tierbench_latency_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
        let sum = histogram.meanMicros * Double(histogram.count) / 1_000_000
        text += "tierbench_latency_seconds_sum{\(label)} \(sum)\n"
        text += "tierbench_latency_seconds_count{\(label)} \(histogram.count)\n"
        return text
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
}
