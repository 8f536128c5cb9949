import Foundation
import TierbenchCore

/// Writes a run's result files into one directory, each atomically: a reader never sees half a file.
///
/// `summary.json` is written to a temporary name and renamed; `requests.jsonl` is streamed to
/// `requests.jsonl.partial` during the run and renamed when the run ends (an interrupted run still gets it).
struct ResultWriter {
    let directory: String

    var summaryPath: String { directory + "/summary.json" }
    var requestLogPath: String { directory + "/requests.jsonl" }
    var partialRequestLogPath: String { directory + "/requests.jsonl.partial" }
    /// `sessions.jsonl` of a sessions run (docs/sessions.md), streamed like the request log.
    var sessionLogPath: String { directory + "/sessions.jsonl" }
    var partialSessionLogPath: String { directory + "/sessions.jsonl.partial" }

    /// Creates `directory` (and its parents) if needed.
    init(directory: String) throws(EngineError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }

    /// `root/<scenario name>/<UTC timestamp>`, e.g. `results/quickstart/20261122T215830Z`.
    static func defaultDirectory(root: String, scenarioName: String, startedAt: Date) -> String {
        let safeName = String(scenarioName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return "\(root)/\(safeName.isEmpty ? "run" : safeName)/\(compactTimestamp(startedAt))"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func compactTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Encodes and writes summary.json; returns the JSON text.
    @discardableResult
    func writeSummary(_ summary: RunSummary) throws(EngineError) -> String {
        let data: Data
        do {
            data = try summary.jsonData()
        } catch {
            throw EngineError.cannotWrite(path: summaryPath, reason: "cannot encode the summary: \(error)")
        }
        try Self.writeAtomically(data, to: summaryPath)
        return String(decoding: data, as: UTF8.self)
    }

    /// Renames the streamed request log to its final name.
    func commitRequestLog() throws(EngineError) {
        if rename(partialRequestLogPath, requestLogPath) != 0 {
            throw EngineError.cannotWrite(path: requestLogPath, reason: String(cString: strerror(errno)))
        }
    }

    /// Renames the streamed session log to its final name.
    func commitSessionLog() throws(EngineError) {
        if rename(partialSessionLogPath, sessionLogPath) != 0 {
            throw EngineError.cannotWrite(path: sessionLogPath, reason: String(cString: strerror(errno)))
        }
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    static func writeAtomically(_ data: Data, to path: String) throws(EngineError) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
