/// One line of `requests.jsonl`, the API request log: a JSON object per finished request, written by hand
/// into a reused byte buffer (no encoder, no intermediate strings on the success path).
///
/// Keys, in this order (docs/metrics.md, "Request log"):
/// `i`, `sent_at`, `t_ms`, `latency_ms`, `response_time_ms` (only when it differs from `latency_ms`), `status`,
/// `prompts`, `prompt_tokens` / `completion_tokens` / `total_tokens` (only with usage), `cached_tokens` (only when
/// the usage reports cached prompt tokens), `ttft_ms` (streaming
/// only), `attempts`, `request_latency_ms` and `backoff_ms` (only when attempts > 1), `warmup` (only when true),
/// `session_id` and `turn` (only for a turn of a session),
/// `error` (only on failure), `retries` (the retried attempts' error classes, only when retried), `message` (only on
/// failure).
/// Durations are milliseconds with microsecond precision (3 decimals).
public enum RequestLogLine {
    /// Appends the log line of `outcome`, ending in `\n`, to `buffer`.
    /// - Parameter runStartUnixNanos: wall-clock time (Unix ns) of the run's monotonic origin, to label `sent_at`.
    public static func append(_ outcome: RequestOutcome, runStartUnixNanos: Int64, to buffer: inout [UInt8]) {
        // Everything but the message fits in 640 bytes: ~270 bytes of keys, 13 numbers of ≤ 21 bytes.
        ByteWriter.append(to: &buffer, capacity: 640) { writer in
            writer.write("{\"i\":")
            writer.writeInteger(outcome.index)
            writer.write(",\"sent_at\":\"")
            let sentAt = runStartUnixNanos &+ Int64(clamping: outcome.actualStart)
            UTCTimestamp.write(unixNanos: sentAt, fractionDigits: 3, to: &writer)
            writer.write("\",\"t_ms\":")
            writer.writeMillis(outcome.actualStart)
            writer.write(",\"latency_ms\":")
            writer.writeMillis(outcome.serviceTime)
            if outcome.intendedStart != outcome.actualStart {
                writer.write(",\"response_time_ms\":")
                writer.writeMillis(outcome.responseTime)
            }
            writer.write(",\"status\":")
            writer.writeInteger(outcome.status)
            writer.write(",\"prompts\":")
            writer.writeInteger(outcome.prompts)
            if let usage = outcome.usage {
                writer.write(",\"prompt_tokens\":")
                writer.writeInteger(usage.prompt)
                writer.write(",\"completion_tokens\":")
                writer.writeInteger(usage.completion)
                writer.write(",\"total_tokens\":")
                writer.writeInteger(usage.total)
                if usage.cachedPrompt > 0 {
                    writer.write(",\"cached_tokens\":")
                    writer.writeInteger(usage.cachedPrompt)
                }
            }
            if let ttft = outcome.timeToFirstToken {
                writer.write(",\"ttft_ms\":")
                writer.writeMillis(ttft)
            }
            if outcome.attempts > 1 {
                writer.write(",\"attempts\":")
                writer.writeInteger(outcome.attempts)
                writer.write(",\"request_latency_ms\":")
                writer.writeMillis(outcome.requestLatency)
                writer.write(",\"backoff_ms\":")
                writer.writeMillis(outcome.backoff)
            }
            if outcome.warmup { writer.write(",\"warmup\":true") }
            if outcome.session > 0 {
                writer.write(",\"session_id\":\"s-")
                writer.writeDigits(UInt64(outcome.session), width: 6)
                writer.write("\",\"turn\":")
                writer.writeInteger(outcome.turn)
            }
            if let errorClass = outcome.errorClass {
                writer.write(",\"error\":\"")
                writer.write(errorClass.label)
                writer.write(UInt8(ascii: "\""))
            }
        }
        if !outcome.retryCauses.isEmpty {
            buffer.append(contentsOf: ",\"retries\":[".utf8)
            for (position, cause) in outcome.retryCauses.enumerated() {
                if position > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(JSONBytes.quote)
                buffer.append(contentsOf: cause.rawValue.utf8)
                buffer.append(JSONBytes.quote)
            }
            buffer.append(UInt8(ascii: "]"))
        }
        if outcome.errorClass != nil, let message = outcome.errorMessage {
            buffer.append(contentsOf: ",\"message\":".utf8)
            ByteWriter.append(to: &buffer, capacity: ByteWriter.jsonStringBound(message)) {
                $0.writeJSONString(message)
            }
        }
        buffer.append(contentsOf: "}\n".utf8)
    }

    /// The log line of `outcome` as text (tests and small tools; the engine appends to a buffer).
    public static func line(_ outcome: RequestOutcome, runStartUnixNanos: Int64) -> String {
        var buffer: [UInt8] = []
        append(outcome, runStartUnixNanos: runStartUnixNanos, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
