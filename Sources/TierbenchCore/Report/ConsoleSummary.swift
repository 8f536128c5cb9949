import Foundation

/// The run summary as a compact terminal report: requests, rates, a latency table, tokens and errors.
public enum ConsoleSummary {
    /// Renders `summary`; `color` adds ANSI styles (bold headings, red failures) for a terminal.
    public static func render(_ summary: RunSummary, color: Bool) -> String {
        let style = Style(enabled: color)
        var lines: [String] = []
        let name = summary.scenario["name"].flatMap { value -> String? in
            if case .string(let text) = value { return text }
            return nil
        }
        var title = "tierbench \(summary.toolVersion)"
        if let name { title += " · \(name)" }
        title += " · \(summary.startedAt) → \(summary.endedAt)"
        if summary.interrupted { title += " · " + style.red("interrupted") }
        lines.append(style.bold(title))
        let trusted = summary.selfCheck?.trusted ?? true
        if !trusted {
            lines.append(style.red("WARNING: the self-check failed: these figures cannot be trusted at this load (see Self-check)"))
        }

        let requests = summary.requests
        if requests.succeeded == 0 {
            let why = requests.total == 0
                ? "no request was measured" + (requests.warmupExcluded > 0
                    ? " (all \(grouped(requests.warmupExcluded)) fell in the warmup: make the warmup shorter)" : "")
                : "no request succeeded (\(grouped(requests.total)) of \(grouped(requests.total)) failed)"
            lines.append(style.red("FAILED: " + why))
        }
        if let reason = summary.stoppedEarly {
            lines.append(style.red("stopped early: \(reason) (the target cannot serve this scenario; see docs/metrics.md)"))
        }
        // An untrusted run, or one where nothing succeeded, never looks green.
        let okCount = trusted && requests.succeeded > 0 ? style.green(grouped(requests.succeeded)) : grouped(requests.succeeded)
        var requestLine = "\(grouped(requests.total)) measured · \(okCount) ok · "
        let failed = "\(grouped(requests.failed)) failed (\(fixed(summary.errorRate * 100, 2)) %)"
        requestLine += requests.failed > 0 ? style.red(failed) : failed
        if requests.warmupExcluded > 0 { requestLine += " · \(grouped(requests.warmupExcluded)) warmup excluded" }
        if requests.retried > 0 { requestLine += " · \(grouped(requests.retried)) retried" }
        lines.append(row("Requests", requestLine, style))
        lines.append(row("Window", "\(fixed(summary.measuredWindowS, 2)) s measured of \(fixed(summary.durationS, 2)) s", style))
        let rates = summary.throughput
        // Throughput counts successes: a failed request (a refused connection answers in microseconds) is not.
        var rateLine = "\(fixed(rates.succeededPerS, 2)) req/s succeeded"
        if rates.succeededPerS != rates.requestsPerS {
            rateLine += " (\(fixed(rates.requestsPerS, 2)) req/s attempted, failures included)"
        }
        rateLine += " · \(fixed(rates.promptsPerS, 2)) prompts/s · \(fixed(rates.tokensPerS, 1)) tokens/s"
        rateLine += " (\(fixed(rates.completionTokensPerS, 1)) completion)"
        lines.append(row("Throughput", rateLine, style))

        lines.append("")
        lines.append(latencyTable(summary, style))
        lines.append("")

        let tokens = summary.tokens
        let cached = tokens.cachedPrompt > 0 ? " (\(grouped(tokens.cachedPrompt)) cached)" : ""
        lines.append(row("Tokens", "prompt \(grouped(tokens.prompt))\(cached) · completion \(grouped(tokens.completion)) · "
            + "total \(grouped(tokens.total)) (usage in \(grouped(tokens.responsesWithUsage)) of "
            + "\(grouped(requests.total)) responses)", style))
        let statuses = summary.statusCounts.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
        lines.append(row("Status", statuses.isEmpty ? "no HTTP responses"
            : statuses.map { "\($0.key) × \(grouped($0.value))" }.joined(separator: " · "), style))
        if !summary.errors.isEmpty {
            let errors = summary.errors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            lines.append(row("Errors", style.red(errors.map { "\($0.key) × \(grouped($0.value))" }
                .joined(separator: " · ")), style))
        }
        if let retries = summary.retries, retries.retries > 0 { lines.append(row("Retries", retryLine(retries), style)) }
        if let cost = summary.cost { lines.append(row("Cost", cost.consoleLine, style)) }
        if let sessions = summary.sessions { lines.append(row("Sessions", sessions.consoleLine, style)) }
        let generator = summary.generator
        if let target = generator.targetRequestsPerS {
            var text = "achieved \(fixed(generator.achievedRequestsPerS, 1)) of \(fixed(target, 1)) req/s · "
            text += "\(grouped(generator.lateSends)) sends > \(fixed(generator.lateSendThresholdMs, 0)) ms late"
            if generator.heldSends > 0 { text += " (\(grouped(generator.heldSends)) waited for a slot)" }
            if generator.droppedSends > 0 {
                text += " · " + style.red("\(grouped(generator.droppedSends)) dropped at the end (no free slot)")
            }
            if generator.limitedByGenerator { text += " · " + style.red("generator was the bottleneck") }
            if generator.limitedByMaxInFlight {
                let limit = generator.workers.map { " (\($0))" } ?? ""
                text += " · " + style.red("max_in_flight\(limit) was full: the server did not keep up at this concurrency")
            }
            lines.append(row("Generator", text, style))
        } else if generator.limitedByGenerator {
            lines.append(row("Generator", style.red("generator was the bottleneck (loop lag, see Self-check)"), style))
        }
        if let check = summary.selfCheck {
            if requests.succeeded == 0 && check.trusted {
                // Nothing succeeded: there are no figures to trust, so "trusted" under "FAILED" would mislead.
                lines.append(row("Self-check", "n/a (no request succeeded)", style))
            } else {
                lines.append(contentsOf: selfCheckLines(check, style))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `self-check: trusted · loop lag p99 0.04 ms · …`, or a warning and one line per problem.
    private static func selfCheckLines(_ check: SelfCheck, _ style: Style) -> [String] {
        var figures: [String] = []
        if let lag = check.loopLagMs { figures.append("loop lag p99 \(fixed(lag.p99, 2)) ms (max \(fixed(lag.max, 2)))") }
        figures.append("CPU \(fixed(check.processCPUCores, 2)) of \(check.coresAvailable) cores")
        figures.append("busiest load thread \(fixed(check.busiestLoadThreadCPU * 100, 0)) %")
        if let mock = check.mockScheduleLagMs { figures.append("mock schedule lag p99 \(fixed(mock.p99, 2)) ms") }
        if check.trusted {
            return [row("Self-check", "trusted · " + figures.joined(separator: " · "), style)]
        }
        var lines = [row("Self-check", style.red("NOT trusted") + " · " + figures.joined(separator: " · "), style)]
        for problem in check.problems { lines.append(row("", style.red("! " + problem), style)) }
        return lines
    }

    /// The percentile table: one row per distribution that has values.
    private static func latencyTable(_ summary: RunSummary, _ style: Style) -> String {
        var rows: [(String, DurationStats)] = [("service", summary.latencyMs)]
        if let retries = summary.retries, retries.retries > 0 { rows.append(("request", retries.requestLatencyMs)) }
        if summary.sendLatenessMs.max > 0 {
            rows.append(("response", summary.responseTimeMs))
            rows.append(("send late", summary.sendLatenessMs))
        }
        if let ttft = summary.ttftMs { rows.append(("ttft", ttft)) }
        if let itl = summary.itlMs { rows.append(("itl", itl)) }
        if let tpot = summary.tpotMs { rows.append(("tpot", tpot)) }
        let headings = ["p50", "p90", "p95", "p99", "p99.9", "max", "mean", "stddev"]
        var text = style.bold(pad("Latency ms", 12, left: true) + headings.map { pad($0, 10) }.joined())
        for (label, stats) in rows {
            let values = [stats.p50, stats.p90, stats.p95, stats.p99, stats.p999, stats.max, stats.mean, stats.stddev]
            text += "\n" + pad("  " + label, 12, left: true) + values.map { pad(fixed($0, 3), 10) }.joined()
        }
        if summary.latencyMs.count == 0 { text += "\n  (no successful measured requests)" }
        return text
    }

    /// `12 retries (http_429 × 10 · http_5xx × 2) · backoff 3.2 s, p50 250.0 / p99 480.0 ms per retried request ·
    /// attempt error rate 9.1 % · final 0.5 %`.
    private static func retryLine(_ retries: RetrySummary) -> String {
        let causes = retries.byCause.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) × \(grouped($0.value))" }.joined(separator: " · ")
        return "\(grouped(retries.retries)) retries (\(causes)) · backoff \(fixed(retries.backoffTotalMs / 1_000, 2)) s, "
            + "p50 \(fixed(retries.backoffMs.p50, 1)) / p99 \(fixed(retries.backoffMs.p99, 1)) ms per retried request · "
            + "attempt error rate \(fixed(retries.attemptErrorRate * 100, 2)) % · final \(fixed(retries.finalErrorRate * 100, 2)) %"
    }

    private static func row(_ label: String, _ text: String, _ style: Style) -> String {
        style.bold(pad(label, 12, left: true)) + text
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `value` with thousands separators: `12,345`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// ANSI styling that collapses to plain text when disabled.
    private struct Style {
        let enabled: Bool
        func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        func red(_ text: String) -> String { enabled ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
        func green(_ text: String) -> String { enabled ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    }
}
