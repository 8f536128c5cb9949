/// One line of `requests.jsonl`, the API request log: a JSON object per finished request, written by hand
/// into a reused byte buffer (no encoder, no intermediate strings on the success path).
///
/// Keys, in this order (docs/metrics.md, "Request log"):
/// `i`, `sent_at`, `t_ms`, `latency_ms`, `response_time_ms` (only when it differs from `latency_ms`), `status`,
/// `prompts`, `prompt_tokens` / `completion_tokens` / `total_tokens` (only with usage), `ttft_ms` (streaming
/// only), `attempts` (only when > 1), `warmup` (only when true), `error` and `message` (only on failure).
/// Durations are milliseconds with microsecond precision (3 decimals).
public enum RequestLogLine {
    /// Appends the log line of `outcome`, ending in `\n`, to `buffer`.
    /// - Parameter runStartUnixNanos: wall-clock time (Unix ns) of the run's monotonic origin, to label `sent_at`.
    public static func append(_ outcome: RequestOutcome, runStartUnixNanos: Int64, to buffer: inout [UInt8]) {
        append("{\"i\":", to: &buffer)
        appendInteger(outcome.index, to: &buffer)
        append(",\"sent_at\":\"", to: &buffer)
        let sentAt = runStartUnixNanos &+ Int64(clamping: outcome.actualStart)
        UTCTimestamp.append(unixNanos: sentAt, fractionDigits: 3, to: &buffer)
        append("\",\"t_ms\":", to: &buffer)
        appendMillis(outcome.actualStart, to: &buffer)
        append(",\"latency_ms\":", to: &buffer)
        appendMillis(outcome.serviceTime, to: &buffer)
        if outcome.intendedStart != outcome.actualStart {
            append(",\"response_time_ms\":", to: &buffer)
            appendMillis(outcome.responseTime, to: &buffer)
        }
        append(",\"status\":", to: &buffer)
        appendInteger(outcome.status, to: &buffer)
        append(",\"prompts\":", to: &buffer)
        appendInteger(outcome.prompts, to: &buffer)
        if let usage = outcome.usage {
            append(",\"prompt_tokens\":", to: &buffer)
            appendInteger(usage.prompt, to: &buffer)
            append(",\"completion_tokens\":", to: &buffer)
            appendInteger(usage.completion, to: &buffer)
            append(",\"total_tokens\":", to: &buffer)
            appendInteger(usage.total, to: &buffer)
        }
        if let ttft = outcome.timeToFirstToken {
            append(",\"ttft_ms\":", to: &buffer)
            appendMillis(ttft, to: &buffer)
        }
        if outcome.attempts > 1 {
            append(",\"attempts\":", to: &buffer)
            appendInteger(outcome.attempts, to: &buffer)
        }
        if outcome.warmup { append(",\"warmup\":true", to: &buffer) }
        if let errorClass = outcome.errorClass {
            append(",\"error\":\"", to: &buffer)
            buffer.append(contentsOf: errorClass.rawValue.utf8)
            append("\"", to: &buffer)
            if let message = outcome.errorMessage {
                append(",\"message\":", to: &buffer)
                appendEscaped(message, to: &buffer)
            }
        }
        append("}\n", to: &buffer)
    }

    /// The log line of `outcome` as text (tests and small tools; the engine appends to a buffer).
    public static func line(_ outcome: RequestOutcome, runStartUnixNanos: Int64) -> String {
        var buffer: [UInt8] = []
        append(outcome, runStartUnixNanos: runStartUnixNanos, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @inline(__always)
    private static func append(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a decimal integer (negative allowed).
    static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            UTCTimestamp.appendDigits(Int(value.magnitude), width: 1, to: &buffer)
        } else {
            UTCTimestamp.appendDigits(value, width: 1, to: &buffer)
        }
    }

    /// Appends `nanoseconds` as milliseconds rounded to 3 decimals, e.g. `20.125`, `0.004`.
    static func appendMillis(_ nanoseconds: UInt64, to buffer: inout [UInt8]) {
        let micros = (nanoseconds &+ 500) / 1_000
        UTCTimestamp.appendDigits(Int(clamping: micros / 1_000), width: 1, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        UTCTimestamp.appendDigits(Int(micros % 1_000), width: 3, to: &buffer)
    }

    /// Appends `text` as a JSON string with the escapes RFC 8259 requires (UTF-8 passes through).
    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(JSONBytes.quote)
        let hex: StaticString = "0123456789abcdef"
        for byte in text.utf8 {
            switch byte {
            case JSONBytes.quote: append("\\\"", to: &buffer)
            case JSONBytes.backslash: append("\\\\", to: &buffer)
            case 0x0A: append("\\n", to: &buffer)
            case 0x0D: append("\\r", to: &buffer)
            case 0x09: append("\\t", to: &buffer)
            case 0..<0x20:
                append("\\u00", to: &buffer)
                buffer.append(hex.utf8Start[Int(byte >> 4)])
                buffer.append(hex.utf8Start[Int(byte & 0x0F)])
            default: buffer.append(byte)
            }
        }
        buffer.append(JSONBytes.quote)
    }
}
