/// One request as `analyze` reads it from a `requests.jsonl` row or a trace row, every number range-checked.
struct RequestRow {
    /// When the request was meant to start, in ms from the file's origin (see `read`).
    var arrivalMs = 0.0
    var warmup = false
    /// HTTP status, when the row has one.
    var status: Int?
    /// Error class when the request failed (`error`, or derived from the status).
    var errorClass: String?
    var latencyMs: Double?
    var responseTimeMs: Double?
    var ttftMs: Double?
    var promptTokens: Int?
    var completionTokens: Int?
    var cachedTokens: Int?
    var model: String?
    var turn: Int?

    var failed: Bool { errorClass != nil }

    /// Largest time or duration accepted (ms): 366 days.
    static let maxMillis = RateBuckets.maxSpanSeconds * 1_000
    /// Largest token count accepted.
    static let maxTokens = 1_000_000_000.0

    /// Why a row is bad.
    struct Bad: Error {
        var reason: String
    }

    /// Reads a `requests.jsonl` row. Arrival = the intended send time: `t_ms + latency_ms − response_time_ms`
    /// when the row has `response_time_ms`, else the first attempt's send `t_ms + latency_ms − request_latency_ms`
    /// when it has `request_latency_ms`, else `t_ms`.
    static func request(_ bytes: UnsafeRawBufferPointer, _ scanner: FlatJSONScanner) throws(Bad) -> RequestRow {
        var row = RequestRow()
        let fields = Fields(bytes: bytes, scanner: scanner)
        guard let sent = try fields.duration("t_ms") else { throw Bad(reason: "no t_ms") }
        guard let latency = try fields.duration("latency_ms") else { throw Bad(reason: "no latency_ms") }
        guard let status = try fields.whole("status", max: 999) else { throw Bad(reason: "no status") }
        row.status = status
        row.latencyMs = latency
        row.responseTimeMs = try fields.duration("response_time_ms")
        let end = sent + latency
        if let response = row.responseTimeMs {
            row.arrivalMs = max(end - response, 0)
        } else if let total = try fields.duration("request_latency_ms") {
            row.arrivalMs = max(end - total, 0)
        } else {
            row.arrivalMs = sent
        }
        row.ttftMs = try fields.duration("ttft_ms")
        row.promptTokens = try fields.whole("prompt_tokens", max: maxTokens)
        row.completionTokens = try fields.whole("completion_tokens", max: maxTokens)
        row.cachedTokens = try fields.whole("cached_tokens", max: maxTokens)
        row.warmup = try fields.bool("warmup") ?? false
        row.model = try fields.text("model")
        row.turn = try fields.whole("turn", max: 1_000_000)
        if let error = try fields.text("error") {
            row.errorClass = error
        } else if let derived = ErrorClass.forStatus(status) {
            row.errorClass = derived.rawValue
        }
        return row
    }

    /// Reads a trace row: `timestamp` (s; made relative by the caller), `prompt_tokens` (or `prompt`, estimated
    /// with `TokenEstimator`), `max_tokens` as the output size, and the optional `status` (an HTTP status number, or
    /// a text where `ok`/`success` mean success), `model`, `latency_ms`, `ttft_ms`, `turn`.
    static func trace(_ bytes: UnsafeRawBufferPointer, _ scanner: FlatJSONScanner) throws(Bad) -> (RequestRow, Double) {
        var row = RequestRow()
        let fields = Fields(bytes: bytes, scanner: scanner)
        guard let member = scanner.member(bytes, "timestamp") else { throw Bad(reason: "no timestamp") }
        guard let timestamp = FlatJSONScanner.number(bytes, member), timestamp.isFinite, abs(timestamp) <= 1e11 else {
            throw Bad(reason: "timestamp is not a number of seconds within ±1e11")
        }
        row.promptTokens = try fields.whole("prompt_tokens", max: maxTokens)
        if row.promptTokens == nil, let prompt = scanner.member(bytes, "prompt"), prompt.kind == .string {
            guard let count = FlatJSONScanner.textByteCount(bytes, prompt) else { throw Bad(reason: "prompt has a bad escape") }
            row.promptTokens = TokenEstimator.tokens(utf8Count: count)
        }
        row.completionTokens = try fields.whole("max_tokens", max: maxTokens)
        row.latencyMs = try fields.duration("latency_ms")
        row.ttftMs = try fields.duration("ttft_ms")
        row.model = try fields.text("model")
        row.turn = try fields.whole("turn", max: 1_000_000)
        if let status = scanner.member(bytes, "status") {
            switch status.kind {
            case .number:
                guard let code = try fields.whole("status", max: 999) else { break }
                row.status = code
                row.errorClass = ErrorClass.forStatus(code)?.rawValue
            case .string:
                let text = FlatJSONScanner.text(bytes, status) ?? ""
                let lowered = text.lowercased()
                if !["", "ok", "success", "succeeded", "completed"].contains(lowered) { row.errorClass = text }
            case .null: break
            default: throw Bad(reason: "status is neither a number nor a text")
            }
        }
        return (row, timestamp)
    }

    /// Typed, range-checked access to a scanned row's members.
    struct Fields {
        let bytes: UnsafeRawBufferPointer
        let scanner: FlatJSONScanner

        /// A non-negative number of milliseconds up to 366 days; nil when absent or null.
        func duration(_ key: StaticString) throws(Bad) -> Double? {
            guard let member = scanner.member(bytes, key), member.kind != .null else { return nil }
            guard let value = FlatJSONScanner.number(bytes, member) else { throw Bad(reason: "\(key) is not a number") }
            guard value >= 0, value <= RequestRow.maxMillis else {
                throw Bad(reason: "\(key) \(value) is outside 0…\(Int(RequestRow.maxMillis)) ms")
            }
            return value
        }

        /// A whole number 0…`max`; nil when absent or null.
        func whole(_ key: StaticString, max: Double) throws(Bad) -> Int? {
            guard let member = scanner.member(bytes, key), member.kind != .null else { return nil }
            guard let value = FlatJSONScanner.number(bytes, member) else { throw Bad(reason: "\(key) is not a number") }
            guard value >= 0, value <= max, value == value.rounded() else {
                throw Bad(reason: "\(key) \(value) is not a whole number 0…\(Int(max))")
            }
            return Int(value)
        }

        func bool(_ key: StaticString) throws(Bad) -> Bool? {
            guard let member = scanner.member(bytes, key), member.kind != .null else { return nil }
            guard member.kind == .bool else { throw Bad(reason: "\(key) is not true or false") }
            return bytes[member.value.lowerBound] == UInt8(ascii: "t")
        }

        func text(_ key: StaticString) throws(Bad) -> String? {
            guard let member = scanner.member(bytes, key), member.kind != .null else { return nil }
            guard let text = FlatJSONScanner.text(bytes, member) else { throw Bad(reason: "\(key) is not a text") }
            return text
        }
    }
}
