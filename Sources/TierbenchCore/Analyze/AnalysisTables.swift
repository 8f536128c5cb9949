/// The tables of an analysis, defined once for the Markdown and the HTML output.
public enum AnalysisTables {
    /// One titled table with a stable id (`#table-{id}` in HTML).
    public struct Section: Sendable {
        public var id: String
        public var title: String
        public var table: MarkdownTable
    }

    static func n(_ value: Double) -> String { ReportNumber.plain(value) }

    /// Every table that has rows, in reading order.
    public static func sections(_ analysis: LogAnalysis) -> [Section] {
        var out: [Section] = []
        out.append(Section(id: "inputs", title: "Inputs", table: MarkdownTable(
            header: ["File", "Kind", "Lines", "Rows", "Bad rows"],
            rows: analysis.files.map { [$0.file, $0.kind?.rawValue ?? "unknown", "\($0.lines)", "\($0.rows)", "\($0.badRows)"] })))
        if let requests = analysis.requests { out += requestSections(requests) }
        if let sessions = analysis.sessions { out += sessionSections(sessions) }
        if analysis.badRows > 0 {
            var rows = analysis.badRowsListed.map { [$0.file, "\($0.line)", $0.reason] }
            if analysis.badRows > rows.count { rows.append(["…", "", "\(analysis.badRows - rows.count) more not listed"]) }
            out.append(Section(id: "bad-rows", title: "Bad rows (\(analysis.badRows))",
                               table: MarkdownTable(header: ["File", "Line", "Reason"], alignments: [.left, .right, .left], rows: rows)))
        }
        return out
    }

    static func requestSections(_ requests: LogAnalysis.RequestFigures) -> [Section] {
        var out: [Section] = []
        let arrivals = requests.arrivals
        out.append(Section(id: "arrivals", title: "Arrivals", table: MarkdownTable(
            header: ["Figure", "Value"],
            rows: [["arrivals", "\(arrivals.count)"], ["span (s)", n(arrivals.spanS)], ["rate (requests/s)", n(arrivals.ratePerS)],
                   ["inter-arrival mean (ms)", n(arrivals.interArrivalMs.mean)],
                   ["inter-arrival CV", n(arrivals.cv)],
                   ["inter-arrival p50 / p90 / p99 (ms)",
                    "\(n(arrivals.interArrivalMs.p50)) / \(n(arrivals.interArrivalMs.p90)) / \(n(arrivals.interArrivalMs.p99))"],
                   ["inter-arrival CV inside \(arrivals.cvWindowS.map { "\($0) s" } ?? "rate") windows",
                    arrivals.cvWithinWindows.map(n) ?? "n/a"],
                   ["out of order (left out)", "\(arrivals.outOfOrder)"]])))
        var latencyRows: [[String]] = []
        for (name, stats) in [("latency", requests.latencyMs), ("response time", requests.responseTimeMs), ("TTFT", requests.ttftMs)] {
            guard let stats else { continue }
            latencyRows.append([name, "\(stats.count)", n(stats.mean), n(stats.p50), n(stats.p90), n(stats.p95), n(stats.p99), n(stats.max)])
        }
        if !latencyRows.isEmpty {
            out.append(Section(id: "latency", title: "Response times of succeeded requests (ms)", table: MarkdownTable(
                header: ["Distribution", "Count", "Mean", "p50", "p90", "p95", "p99", "Max"], rows: latencyRows)))
        }
        var tokenRows: [[String]] = []
        for (name, stats) in [("prompt", requests.promptTokens), ("completion", requests.completionTokens)] {
            guard let stats else { continue }
            tokenRows.append([name, "\(stats.count)", n(stats.mean), n(stats.stddev), "\(stats.p50)", "\(stats.p90)", "\(stats.p99)", "\(stats.max)"])
        }
        if !tokenRows.isEmpty {
            out.append(Section(id: "tokens", title: "Tokens per request", table: MarkdownTable(
                header: ["Tokens", "Requests", "Mean", "Stddev", "p50", "p90", "p99", "Max"], rows: tokenRows)))
        }
        out.append(Section(id: "models", title: "Tokens and cost by model", table: MarkdownTable(
            header: ["Model", "Requests", "With tokens", "Prompt", "Completion", "Cached", "Cost (USD)"],
            rows: requests.byModel.map {
                [$0.model, "\($0.requests)", "\($0.withTokens)", "\($0.promptTokens)", "\($0.completionTokens)",
                 "\($0.cachedTokens)", $0.costUSD.map { ReportNumber.fixed($0, decimals: 4) } ?? "no price"]
            })))
        let measured = max(requests.measured, 1)
        if !requests.byStatus.isEmpty {
            out.append(Section(id: "status", title: "Requests by status (error rate \(ReportNumber.percent(requests.errorRate)))",
                               table: MarkdownTable(header: ["Status", "Requests", "Share"], rows: requests.byStatus
                    .sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }
                    .map { [$0.key, "\($0.value)", ReportNumber.percent(Double($0.value) / Double(measured))] })))
        }
        if !requests.byErrorClass.isEmpty {
            out.append(Section(id: "errors", title: "Failed requests by error class", table: MarkdownTable(
                header: ["Error class", "Requests", "Share of measured"], rows: requests.byErrorClass
                    .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    .map { [$0.key, "\($0.value)", ReportNumber.percent(Double($0.value) / Double(measured))] })))
        }
        return out
    }

    static func sessionSections(_ sessions: LogAnalysis.SessionFigures) -> [Section] {
        var out: [Section] = []
        var rows = [["sessions", "\(sessions.sessions)"],
                    ["duration mean / p50 / p99 (s)",
                     "\(n(sessions.durationMs.mean / 1_000)) / \(n(sessions.durationMs.p50 / 1_000)) / \(n(sessions.durationMs.p99 / 1_000))"],
                    ["turns mean / p50 / max", "\(n(sessions.turnsDone.mean)) / \(sessions.turnsDone.p50) / \(sessions.turnsDone.max)"],
                    ["tokens in / out / cached", "\(sessions.promptTokens) / \(sessions.completionTokens) / \(sessions.cachedTokens)"],
                    ["cost (USD)", ReportNumber.fixed(sessions.costUSD, decimals: 4)], ["errors", "\(sessions.errors)"]]
        if let think = sessions.thinkPerGapMs { rows.append(["think time per gap mean (ms)", n(think.mean)]) }
        if let goodput = sessions.goodput { rows.append(["session goodput (SLO met)", ReportNumber.percent(goodput)]) }
        out.append(Section(id: "sessions", title: "Sessions", table: MarkdownTable(header: ["Figure", "Value"], rows: rows)))
        out.append(Section(id: "outcomes", title: "Sessions by outcome", table: MarkdownTable(
            header: ["Outcome", "Sessions", "Share"], rows: sessions.byOutcome.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { [$0.key, "\($0.value)", ReportNumber.percent(Double($0.value) / Double(max(sessions.sessions, 1)))] })))
        out.append(Section(id: "session-durations", title: "Session length (duration)", table: MarkdownTable(
            header: ["Duration", "Sessions"], rows: sessions.durationHistogram.map { bin in
                [bin.upperS.map { "\(n(bin.lowerS)) s – < \(n($0)) s" } ?? "≥ \(n(bin.lowerS)) s", "\(bin.sessions)"]
            })))
        out.append(Section(id: "turns", title: "Turns per session", table: MarkdownTable(
            header: ["Turns done", "Sessions"], rows: sessions.turnsHistogram.map { pair in
                [pair[0] > SessionTally.exactTurns ? "> \(SessionTally.exactTurns)" : "\(pair[0])", "\(pair[1])"]
            })))
        return out
    }
}
