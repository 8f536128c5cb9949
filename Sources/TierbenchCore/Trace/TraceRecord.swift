/// One row of a `load.trace` file: when to send, what to send, the completion limit, and the recorded outcome.
public struct TraceRecord: Sendable, Equatable {
    /// The row's timestamp in seconds as written (absolute or relative; only differences matter).
    public var timestamp: Double
    /// The prompt text; nil when the row gives `prompt_tokens` instead.
    public var prompt: String?
    /// Prompt length in tokens (`TokenEstimator`); a synthetic prompt of this size is sent. nil when `prompt` is given.
    public var promptTokens: Int?
    /// `max_tokens` for this request, overriding the template's; nil = the template's.
    public var maxTokens: Int?
    /// The request's recorded failure status in the source (e.g. `failed`, `failure`, `ERROR: …`, `500`), as
    /// `normalizedStatus` keeps it; nil when it succeeded or the source records no outcome. Replay ignores it (the row is sent like any other); it is kept
    /// for `analyze`.
    public var status: String?

    /// The longest status kept, in characters (longer text keeps its first 199 and ends in `…`).
    public static let maxStatusLength = 200

    /// A recorded status as the trace keeps it (docs/traces.md, "The `status` field"): trimmed; empty, `success`,
    /// `ok` (any case) or a whole number 200–299 mean success (nil); anything else is the failure status, cut to
    /// `maxStatusLength` characters.
    public static func normalizedStatus(_ raw: String) -> String? {
        var trimmed = Substring(raw)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        let text = String(trimmed)
        switch text.lowercased() {
        case "", "success", "ok": return nil
        default: break
        }
        if text.utf8.count <= 3, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let code = Int(text),
            (200...299).contains(code)
        {
            return nil
        }
        guard text.count > maxStatusLength else { return text }
        return String(text.prefix(maxStatusLength - 1)) + "…"
    }

    public init(
        timestamp: Double, prompt: String? = nil, promptTokens: Int? = nil, maxTokens: Int? = nil, status: String? = nil
    ) {
        self.timestamp = timestamp
        self.prompt = prompt
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.status = status
    }
}

/// A parsed trace: its rows in file order and when each is sent.
public struct Trace: Sendable, Equatable {
    public var records: [TraceRecord]

    public init(records: [TraceRecord]) {
        self.records = records
    }

    /// Intended send time of each row in ns from the run's start: `(timestamp − first timestamp) / speed`.
    /// An offset past UInt64's range (a long trace at a tiny speed, or timestamps whose difference overflows) is
    /// held at 1.8e19 ns (570 years) rather than trapping.
    public func sendOffsets(speed: Double) -> [UInt64] {
        guard let first = records.first?.timestamp, speed > 0 else { return [] }
        return records.map { record in
            let nanos = ((record.timestamp - first) / speed * 1e9).rounded()
            guard nanos > 0 else { return 0 }  // also NaN
            return UInt64(min(nanos, 1.8e19))
        }
    }

    /// The most rows intended within any one second at `speed` (sizes the in-flight cap like an open loop's rate).
    public func peakPerSecond(speed: Double) -> Int {
        let offsets = sendOffsets(speed: speed)
        var peak = 0
        var start = 0
        for end in offsets.indices {
            while offsets[end] - offsets[start] >= 1_000_000_000 { start += 1 }
            peak = max(peak, end - start + 1)
        }
        return peak
    }
}
