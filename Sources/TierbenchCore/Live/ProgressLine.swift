/// Renders a `LiveSample` as one line of progress: a bar for terminals, a plain line for logs (CI).
///
/// Terminal: `▕██████░░░░░░▏ 42%  12.6s ETA 17s │ 312 req/s │ p95 41.2 ms │ err 0.3% │ 429 12 │ in flight 64`
/// Plain:    `progress 42% elapsed 12.6s eta 17s req/s 312 p95_ms 41.2 errors 0.3% 429s 12 in_flight 64`
public enum ProgressLine {
    /// Width of the bar in cells.
    public static let barWidth = 20

    /// The terminal form (no cursor control; the caller rewrites the line).
    public static func terminal(_ sample: LiveSample) -> String {
        var parts: [String] = []
        if let progress = sample.progress {
            let filled = Int((progress * Double(barWidth)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
            parts.append("▕\(bar)▏ \(percent(progress))  \(seconds(sample.elapsedSeconds))\(eta(sample))")
        } else {
            parts.append("\(seconds(sample.elapsedSeconds))")
        }
        if sample.warmingUp { parts.append("warmup") }
        parts.append("\(rate(sample.requestsPerSecond)) req/s")
        parts.append("p95 \(sample.latencyP95Ms.map(milliseconds) ?? "–")")
        parts.append("err \(sample.errorRate.map(percent) ?? "–")")
        parts.append("429 \(sample.rateLimited)")
        parts.append("in flight \(sample.inFlight)")
        return parts.joined(separator: " │ ")
    }

    /// The plain form: `key value` pairs that a log reader or grep can follow.
    public static func plain(_ sample: LiveSample) -> String {
        var parts = ["progress"]
        if let progress = sample.progress { parts.append(percent(progress)) }
        parts.append("elapsed \(seconds(sample.elapsedSeconds))")
        if let eta = sample.etaSeconds { parts.append("eta \(seconds(eta))") }
        if sample.warmingUp { parts.append("warmup") }
        parts.append("req/s \(rate(sample.requestsPerSecond))")
        parts.append("p95_ms \(sample.latencyP95Ms.map { ReportNumber.fixed($0, decimals: 1) } ?? "-")")
        parts.append("errors \(sample.errorRate.map(percent) ?? "-")")
        parts.append("429s \(sample.rateLimited)")
        parts.append("in_flight \(sample.inFlight)")
        parts.append("done \(sample.completed)")
        return parts.joined(separator: " ")
    }

    private static func eta(_ sample: LiveSample) -> String {
        sample.etaSeconds.map { " ETA \(seconds($0))" } ?? ""
    }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value >= 10 || value == 0 ? "\(Int(value.rounded(.down)))%" : "\(ReportNumber.fixed(value, decimals: 1))%"
    }

    static func seconds(_ value: Double) -> String {
        if value < 60 { return "\(ReportNumber.fixed(value, decimals: 1))s" }
        let total = Int(value.rounded())
        return total < 3600 ? "\(total / 60)m\(pad(total % 60))s" : "\(total / 3600)h\(pad(total / 60 % 60))m"
    }

    static func milliseconds(_ value: Double) -> String { "\(ReportNumber.fixed(value, decimals: 1)) ms" }

    static func rate(_ value: Double) -> String {
        value >= 100 ? "\(Int(value.rounded()))" : ReportNumber.fixed(value, decimals: 1)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
