@testable import TierbenchCore

/// Helpers for the `analyze` tests: run lines through a `LogAnalyzer` like the engine does.
enum AnalyzeTestSupport {
    static let prices = PriceTable(date: "2026-10-04", source: "test", models: [
        "gpt-4o-mini": .init(input: 0.15, cachedInput: 0.075, output: 0.60),
    ])

    /// Analyses `files` (name, lines) in order.
    static func analyze(_ files: [(String, [String])], kind: AnalyzeInputKind? = nil, model: String? = nil,
                        listed: Int = 20) -> LogAnalysis {
        var analyzer = LogAnalyzer(options: AnalyzeOptions(defaultModel: model, prices: prices, listedProblems: listed))
        for (name, lines) in files {
            analyzer.beginFile(name, kind: kind)
            for line in lines { analyzer.feed(line) }
            analyzer.endFile()
        }
        return analyzer.finish()
    }

    /// A `requests.jsonl` line written by tierbench's own `RequestLogLine`.
    static func requestLine(index: Int, sendMs: Double, latencyMs: Double, status: Int = 200, usage: TokenUsage? = nil,
                            warmup: Bool = false, ttftMs: Double? = nil) -> String {
        let nanos = { (ms: Double) in UInt64((ms * 1e6).rounded()) }
        let outcome = RequestOutcome(
            index: index, intendedStart: nanos(sendMs), actualStart: nanos(sendMs), end: nanos(sendMs + latencyMs),
            status: status, errorClass: ErrorClass.forStatus(status), usage: usage,
            firstTokenAt: ttftMs.map { nanos(sendMs + $0) }, warmup: warmup)
        var line = RequestLogLine.line(outcome, runStartUnixNanos: 1_764_928_800_000_000_000)
        line.removeLast()  // the newline
        return line
    }
}
