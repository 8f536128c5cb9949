/// What an `analyze` input file holds, told apart by its first non-blank line.
public enum AnalyzeInputKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// tierbench's request log (`requests.jsonl`, docs/metrics.md "Request log").
    case requests
    /// tierbench's session log (`sessions.jsonl`, one line per session).
    case sessions
    /// tierbench's replay trace (JSONL, docs/traces.md), as `tierbench trace import` writes it.
    case trace

    /// The kind of a file whose first non-blank line is `line`: an object with `outcome` and `turns_done` is a
    /// session row; with `latency_ms`, `status` and `t_ms` a request row; with `timestamp` a trace row, unless it is
    /// a raw Mooncake/Bailian row (`rawTraceRow`). nil when it is none of these (CSV traces included: import or
    /// convert them to JSONL first).
    public static func detect(_ line: UnsafeRawBufferPointer) -> AnalyzeInputKind? {
        var scanner = FlatJSONScanner()
        guard scanner.scan(line) == nil else { return nil }
        func has(_ key: StaticString) -> Bool { scanner.member(line, key) != nil }
        if has("outcome") && has("turns_done") { return .sessions }
        if has("latency_ms") && has("status") && has("t_ms") { return .requests }
        if has("timestamp") && !rawTraceRow(line, scanner) { return .trace }
        return nil
    }

    /// A row of a published trace that `tierbench trace import` converts (Mooncake, Bailian: `input_length` or
    /// `hash_ids`, their `timestamp` in ms) and that carries none of the tierbench trace keys `prompt_tokens`,
    /// `prompt`, `max_tokens`: read as a trace, its timestamps would be taken as seconds.
    static func rawTraceRow(_ line: UnsafeRawBufferPointer, _ scanner: FlatJSONScanner) -> Bool {
        func has(_ key: StaticString) -> Bool { scanner.member(line, key) != nil }
        return (has("input_length") || has("hash_ids")) && !has("prompt_tokens") && !has("prompt") && !has("max_tokens")
    }

    /// Why `line` (of no known kind) cannot be read, and the fix.
    public static func refusal(_ line: UnsafeRawBufferPointer) -> String {
        var scanner = FlatJSONScanner()
        if scanner.scan(line) == nil, rawTraceRow(line, scanner) {
            return "a raw Mooncake/Bailian trace row (input_length/hash_ids, timestamp in ms), not a tierbench trace; "
                + "convert it first: tierbench trace import --format mooncake IN OUT, then analyze OUT"
        }
        return "not a requests.jsonl, sessions.jsonl or JSONL trace row; pass --input-format requests|sessions|trace, "
            + "or import the trace first (tierbench trace import)"
    }

    /// `detect` over text (tests and small inputs).
    public static func detect(_ line: String) -> AnalyzeInputKind? {
        var copy = line
        return copy.withUTF8 { detect(UnsafeRawBufferPointer($0)) }
    }
}

/// A row `analyze` could not use: which file, which line (from 1) and why.
public struct AnalyzeProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// What `analyze` is told besides the files: the model to price request rows with and the price table.
public struct AnalyzeOptions: Sendable {
    /// The model of rows that name none (`--model`, or the `model` of a summary.json beside the log).
    public var defaultModel: String?
    /// The one price source (`PriceCatalog`, or `--price-file`).
    public var prices: PriceTable
    /// Bad rows listed one by one (all are counted).
    public var listedProblems: Int

    public init(defaultModel: String? = nil, prices: PriceTable, listedProblems: Int = 20) {
        self.defaultModel = defaultModel
        self.prices = prices
        self.listedProblems = listedProblems
    }
}
