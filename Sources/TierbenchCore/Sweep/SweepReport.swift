import Foundation

/// Renders a sweep for people and spreadsheets: the tier comparison as an aligned console table, and every point
/// as a row of `sweep.csv`.
public enum SweepReport {
    /// The tier comparison as an aligned table with a Batch API line per model, the time-scale note, and each
    /// tier's reason underneath.
    /// - Parameters:
    ///   - comparison: The comparison to show.
    ///   - timeScale: The mock's time scale k the points ran under (1 = real time).
    ///   - note: The time-scale sentence to print; nil = the one `timeScale` alone gives (`SweepResult.note`).
    /// - Returns: Text ending in a newline.
    public static func renderTable(_ comparison: TierComparison, timeScale: Double = 1, note: String? = nil) -> String {
        let n = comparison.promptsToProcess
        let header = [
            "tier", "model", "req/min", "tokens/min", "workers", "batch", "p95 ms", "errors", "$/hour",
            "time for \(n)", "cost for \(n)",
        ]
        var rows: [[String]] = comparison.rows.map { row in
            let bound = row.plateauReached ? "" : "≥"
            return [
                row.tier, row.model,
                row.maxRequestsPerMinute.map { bound + SweepFormat.number($0) } ?? "-",
                row.maxTokensPerMinute.map { bound + SweepFormat.number($0) } ?? "-",
                row.maxWorkers.map(String.init) ?? "-",
                row.batchSize.map(String.init) ?? "-",
                row.p95Ms.map { SweepFormat.number($0) } ?? "-",
                row.errorRatePerAttempt.map(SweepFormat.percent) ?? "-",
                row.costPerHourUSD.map(SweepFormat.dollars) ?? "-",
                row.wallSecondsForPrompts.map(SweepFormat.duration) ?? "-",
                row.costForPromptsUSD.map(SweepFormat.dollars) ?? "-",
            ]
        }
        for line in comparison.batchAPI {
            rows.append([
                "Batch API", line.model, "no sync limit", "-", "-", "-", "-", "-", "-",
                "≤ \(SweepFormat.number(line.completionWindowHours)) h",
                line.costForPromptsUSD.map { SweepFormat.dollars($0) + " (50%)" } ?? "50% of sync",
            ])
        }
        var out = alignedTable(header: header, rows: rows, rightAligned: Set(2..<header.count))
        out += "Rates in real units; " + (note ?? SweepResult.note(timeScale: timeScale)) + ".\n"
        for row in comparison.rows {
            out += "\(row.tier) (\(row.model)): \(row.reason)\n"
            if let note = row.dailyLimitNote { out += "  time for \(n) paced by the day limit: \(note)\n" }
        }
        return out
    }

    /// The header line of sweep.csv (no trailing newline).
    public static var csvHeader: String {
        var columns = ["tier", "model", "batch_size", "rate", "max_workers", "repetitions"]
        columns += SweepFigures.namedFigures.map(\.name)
        columns.append("cost_usd")
        for name in spreadColumns { columns += ["\(name)_min", "\(name)_max", "\(name)_iqr"] }
        return columns.joined(separator: ",")
    }

    /// One sweep.csv line (no trailing newline): settings, every median figure, and the spread of the key figures.
    public static func csvRow(_ result: SweepPointResult) -> String {
        let settings = result.settings
        var fields = [
            SweepFormat.csvField(settings.tier.label), SweepFormat.csvField(settings.model),
            String(settings.batchSize), SweepFormat.csvNumber(settings.rate), String(settings.maxWorkers),
            String(result.runs.count),
        ]
        fields += SweepFigures.namedFigures.map { SweepFormat.csvNumber(result.figures[keyPath: $0.keyPath]) }
        fields.append(SweepFormat.csvNumber(result.figures.costUSD))
        for name in spreadColumns {
            let spread = result.spread[name]
            fields += [
                SweepFormat.csvNumber(spread?.min), SweepFormat.csvNumber(spread?.max),
                SweepFormat.csvNumber(spread?.iqr),
            ]
        }
        return fields.joined(separator: ",")
    }

    /// The whole sweep.csv: header plus one line per point, each ending in a newline.
    public static func csv(_ points: [SweepPoint]) -> String {
        ([csvHeader] + points.map { csvRow($0.result) }).map { $0 + "\n" }.joined()
    }

    /// Figures whose spread over repetitions gets min/max/IQR columns.
    static let spreadColumns = ["goodput_requests_per_s", "goodput_tokens_per_s", "p95_ms", "error_rate_per_attempt"]

    /// Pads every column to its widest cell, two spaces apart, with a dashed rule under the header.
    static func alignedTable(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell -> String in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }
            return padded.joined(separator: "  ").replacingOccurrences(
                of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) }
        return out
    }
}
