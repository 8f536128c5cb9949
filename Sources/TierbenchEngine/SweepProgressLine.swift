import Foundation
import TierbenchCore

/// One console line per finished sweep point, and the point's directory name.
enum SweepProgressLine {
    static func line(for result: SweepPointResult, done: Int) -> String {
        let f = result.figures
        return "point \(done): \(result.settings) → \(number(f.successfulRequestsPerSecond)) ok req/s, "
            + "p95 \(number(f.p95Ms)) ms, errors \(number(f.errorRateFinal * 100)) %"
    }

    /// A file-system-safe name for a point, e.g. `tier1-gpt-4o-mini-b5-w16`.
    static func slug(_ settings: SweepPoint.Settings) -> String {
        var name = "\(settings.tier.label)-\(settings.model)-b\(settings.batchSize)-w\(settings.maxWorkers)"
        if let rate = settings.rate { name += "-r\(number(rate))" }
        return String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    }

    /// Up to two decimals, trailing zeros dropped.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
