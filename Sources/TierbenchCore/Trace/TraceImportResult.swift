/// The trace formats `tierbench trace import` reads.
public enum TraceImportFormat: String, Sendable, CaseIterable {
    /// Azure LLM inference trace 2023/2024: CSV `TIMESTAMP,ContextTokens,GeneratedTokens`.
    case azure
    /// BurstGPT: CSV `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`.
    case burstgpt
    /// Mooncake (FAST'25): JSONL `{"timestamp": ms, "input_length", "output_length", "hash_ids"}`.
    case mooncake
    /// LiteLLM proxy `LiteLLM_SpendLogs` exported as CSV.
    case litellm
    /// Langfuse observations exported as CSV.
    case langfuse
}

/// One imported request: the canonical trace row (with its recorded outcome, `status`) and the input line it came from.
public struct TraceImportRow: Sendable, Equatable {
    public var record: TraceRecord
    public var line: Int
    /// The recorded failure status (e.g. `failure`, `ERROR`), `record.status`; nil when the request succeeded or the
    /// format has no status.
    public var failure: String? { record.status }

    /// - Parameter failure: when given, sets `record.status`.
    public init(record: TraceRecord, line: Int, failure: String? = nil) {
        self.record = record
        self.line = line
        if let failure { self.record.status = failure }
    }
}

/// A row that was skipped, with the input line and the reason.
public struct TraceImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// A whole-file import failure (unreadable header, no usable row, too long a span): the file, the line and the fix.
public struct TraceImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var hint: String

    public init(file: String, line: Int? = nil, message: String, hint: String) {
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" + (hint.isEmpty ? "" : " (\(hint))")
    }
}

/// What an importer produced: rows sorted by time with timestamps relative to the first, and the skipped rows.
public struct TraceImportResult: Sendable, Equatable {
    public var rows: [TraceImportRow]
    public var problems: [TraceImportProblem]

    public init(rows: [TraceImportRow], problems: [TraceImportProblem]) {
        self.rows = rows
        self.problems = problems
    }

    /// The rows as the trace `load.trace` replays.
    public var trace: Trace { Trace(records: rows.map(\.record)) }

    /// How many kept rows recorded a failed request.
    public var failedCount: Int { rows.count { $0.failure != nil } }

    /// The rows in tierbench's trace format (JSON Lines: `timestamp`, `prompt_tokens`, optional `max_tokens` and
    /// `status`).
    public var jsonl: String {
        var out = ""
        for row in rows {
            out += #"{"timestamp": "# + Self.number(row.record.timestamp)
            if let tokens = row.record.promptTokens { out += #", "prompt_tokens": \#(tokens)"# }
            if let tokens = row.record.maxTokens { out += #", "max_tokens": \#(tokens)"# }
            if let status = row.record.status {
                out += #", "status": "#
                JSONValue.writeEscaped(status, to: &out)
            }
            out += "}\n"
        }
        return out
    }

    /// Seconds with at most 6 decimals, never in exponent notation.
    static func number(_ seconds: Double) -> String {
        let micros = Int64((seconds * 1e6).rounded())
        let whole = micros / 1_000_000
        let fraction = micros % 1_000_000
        guard fraction != 0 else { return "\(whole).0" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
