/// Reads a `load.trace` file: JSON Lines or CSV rows of (timestamp, prompt or prompt_tokens, max_tokens, status).
///
/// - JSONL: one object per line, `{"timestamp": 0.25, "prompt": "…", "max_tokens": 50}` or with
///   `"prompt_tokens": 800` instead of `prompt`. Blank lines are skipped.
/// - CSV (RFC 4180): a header row naming the columns `timestamp`, `prompt`, `prompt_tokens`, `max_tokens` (any order;
///   `timestamp` and one of `prompt`/`prompt_tokens` are required), fields optionally in double quotes (`""` escapes
///   a quote; quoted fields may span lines). An empty field means "not given".
///
/// `timestamp` is in seconds (a number; absolute or relative) and must not decrease from row to row. `status`
/// (optional) is the request's recorded outcome, as `trace import` writes it: text, or a whole number such as an HTTP
/// status, normalised by `TraceRecord.normalizedStatus` (success → nil, long text cut to 200 characters); replay
/// ignores it (the row is still sent), `analyze` reads it.
public enum TraceParser {
    /// The columns a trace row may have.
    public static let columns = ["timestamp", "prompt", "prompt_tokens", "max_tokens", "status"]
    /// The largest timestamp magnitude, in seconds (beyond the year 5000 since 1970).
    static let maxTimestamp = 1e11

    /// Parses `text` (the contents of `file`, used in error messages).
    /// - Throws: `PromptLoadError` with key path `load.trace.file`, the file, the line and the fix.
    public static func parse(_ text: String, format: TraceSettings.Format, file: String) throws(PromptLoadError) -> Trace {
        let rows: [(line: Int, fields: [String: RawField])]
        switch format {
        case .jsonl: rows = try jsonlRows(text, file: file)
        case .csv: rows = try csvRows(text, file: file)
        }
        var records: [TraceRecord] = []
        records.reserveCapacity(rows.count)
        for (line, fields) in rows {
            let record = try record(fields, line: line, file: file)
            if let previous = records.last, record.timestamp < previous.timestamp {
                throw error(file, line, "timestamp \(record.timestamp) is earlier than the previous row's \(previous.timestamp)",
                            hint: "sort the trace by timestamp")
            }
            records.append(record)
        }
        guard let first = records.first, let last = records.last else {
            throw error(file, nil, "the trace has no rows", hint: "write one row per request")
        }
        guard last.timestamp - first.timestamp <= ScenarioLimits.maxDuration.seconds else {
            throw error(file, nil, "the trace spans \(Int(last.timestamp - first.timestamp)) s; at most 30 days "
                        + "(\(Int(ScenarioLimits.maxDuration.seconds)) s) can be replayed",
                        hint: "split the trace")
        }
        return Trace(records: records)
    }

    /// A field as read: a number, or text.
    enum RawField {
        case number(Double)
        case text(String)
    }

    private static func record(_ fields: [String: RawField], line: Int, file: String) throws(PromptLoadError) -> TraceRecord {
        func number(_ key: String) throws(PromptLoadError) -> Double? {
            switch fields[key] {
            case nil: return nil
            case .number(let value)?: return value
            case .text(let text)?:
                guard let value = Double(text.trimmingWhitespace), value.isFinite else {
                    throw error(file, line, "\(key) '\(text)' is not a number", hint: "write \(key) as a number")
                }
                return value
            }
        }
        func count(_ key: String) throws(PromptLoadError) -> Int? {
            guard let value = try number(key) else { return nil }
            guard value >= 1, value <= Double(ScenarioLimits.maxTokensPerRequest), value == value.rounded() else {
                throw error(file, line, "\(key) \(value) is not a whole number between 1 and \(ScenarioLimits.maxTokensPerRequest)", hint: "write e.g. \(key): 100")
            }
            return Int(value)
        }
        guard let timestamp = try number("timestamp") else {
            throw error(file, line, "the row has no timestamp", hint: "add timestamp (seconds)")
        }
        guard timestamp.isFinite, abs(timestamp) <= maxTimestamp else {
            throw error(file, line, "timestamp \(timestamp) is out of range (at most ±\(Int(maxTimestamp)) s)",
                        hint: "write timestamps in seconds, relative or since 1970")
        }
        var prompt: String?
        switch fields["prompt"] {
        case .text(let text)?: prompt = text
        case .number?: throw error(file, line, "prompt is a number", hint: "write the prompt as text")
        case nil: prompt = nil
        }
        let promptTokens = try count("prompt_tokens")
        if prompt != nil && promptTokens != nil {
            throw error(file, line, "the row has both prompt and prompt_tokens", hint: "keep one")
        }
        if prompt == nil && promptTokens == nil {
            throw error(file, line, "the row has neither prompt nor prompt_tokens", hint: "add prompt or prompt_tokens")
        }
        var status: String?
        switch fields["status"] {
        case .text(let text)?: status = TraceRecord.normalizedStatus(text)
        case .number(let value)?:
            guard value == value.rounded() else {
                throw error(file, line, "status \(value) is not text or a whole number", hint: #"write e.g. "status": "failed" or "status": 500"#)
            }
            guard abs(value) < 1e15 else {
                throw error(file, line, "status \(value) is out of range (a number status is below 10^15, e.g. an HTTP status)",
                            hint: #"write e.g. "status": 500, or the status as text"#)
            }
            status = TraceRecord.normalizedStatus(String(Int64(value)))
        case nil: status = nil
        }
        return TraceRecord(
            timestamp: timestamp, prompt: prompt, promptTokens: promptTokens, maxTokens: try count("max_tokens"),
            status: status)
    }

    private static func jsonlRows(_ text: String, file: String) throws(PromptLoadError) -> [(line: Int, fields: [String: RawField])] {
        var rows: [(Int, [String: RawField])] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let body = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if body.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do {
                value = try JSONValueParser.parse(body)
            } catch {
                throw Self.error(file, line, "not valid JSON (\(error.message) at byte \(error.offset))",
                                 hint: #"write {"timestamp": 0.5, "prompt": "…", "max_tokens": 50}"#)
            }
            guard case .object(let members) = value else {
                throw error(file, line, "the line is not a JSON object", hint: #"write {"timestamp": 0.5, "prompt": "…"}"#)
            }
            var fields: [String: RawField] = [:]
            for member in members {
                guard columns.contains(member.key) else {
                    throw error(file, line, "unknown key '\(member.key)'",
                                hint: KeySuggestion.hint(for: member.key, among: columns))
                }
                switch member.value {
                case .int(let number): fields[member.key] = .number(Double(number))
                case .double(let number): fields[member.key] = .number(number)
                case .string(let text): fields[member.key] = .text(text)
                case .null: continue
                default:
                    throw error(file, line, "\(member.key) must be a number or a string", hint: "see docs/scenarios.md, load.trace")
                }
            }
            rows.append((line, fields))
        }
        return rows
    }

    private static func csvRows(_ text: String, file: String) throws(PromptLoadError) -> [(line: Int, fields: [String: RawField])] {
        let table = try CSVTable.parse(text, file: file)
        guard let header = table.first else { return [] }
        let names = header.fields.map { $0.trimmingWhitespace.lowercased() }
        for name in names where !columns.contains(name) {
            throw error(file, header.line, "unknown column '\(name)'", hint: KeySuggestion.hint(for: name, among: columns))
        }
        guard names.contains("timestamp") else {
            throw error(file, header.line, "the header has no timestamp column",
                        hint: "start the file with a header such as timestamp,prompt,max_tokens")
        }
        var rows: [(Int, [String: RawField])] = []
        for row in table.dropFirst() {
            guard row.fields.count == names.count else {
                throw error(file, row.line, "\(row.fields.count) fields, the header has \(names.count)",
                            hint: "quote fields that contain commas")
            }
            var fields: [String: RawField] = [:]
            for (name, value) in zip(names, row.fields) where !value.isEmpty {
                fields[name] = .text(value)
            }
            rows.append((row.line, fields))
        }
        return rows
    }

    static func error(_ file: String, _ line: Int?, _ message: String, hint: String) -> PromptLoadError {
        PromptLoadError(keyPath: "load.trace.file", file: file, line: line, message: message, hint: hint)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
