import TierbenchCore
import TierbenchCurl

/// The state of one in-flight request in a load slot. Its buffers are reused from request to request, so after the
/// first few responses a non-streaming slot allocates nothing.
struct SlotState {
    private var index = 0
    /// Which prepared request (body) this request sends.
    private(set) var bodyIndex = 0
    /// Attempts made so far (1 during the first attempt).
    private(set) var attempts = 0
    /// Time spent waiting between attempts (ns), measured from each failed attempt's end to the next one's start.
    private(set) var backoffNanos: UInt64 = 0
    /// End of the last failed attempt (ns since the run's start), while a retry waits.
    private var failedAt: UInt64 = 0
    /// The failure class of each retried attempt, in order (empty without retries; small, reused).
    private(set) var retryCauses: [ErrorClass] = []
    /// The API error `code` of the last failed attempt (e.g. `insufficient_quota`), when the body had one.
    private(set) var lastErrorCode: String?
    private var firstActualStart: UInt64 = 0
    private var prompts = 0
    private var estimatedPromptTokens = 0
    private var intendedStart: UInt64 = 0
    private var actualStart: UInt64 = 0
    private var bytesSent = 0
    private(set) var warmup = false
    /// The first `limit` bytes of the response body, for usage and error inspection.
    private var body: [UInt8]
    /// All body bytes received, including those beyond the inspection limit.
    private var bodyBytes = 0
    /// Streaming: the SSE parser has read an event, so the body is a stream and never the JSON error object the
    /// kept bytes are for (a JSON text has no `data:` line): the rest of it is not kept.
    private var bodyIsEventStream = false
    /// Streaming: the incremental SSE parser and the content-chunk times (ns since the run's start).
    private var sse: SSEParser?
    private var firstTokenAt: UInt64?
    private var lastTokenAt: UInt64?
    /// Most body bytes kept for a stream (usage and errors come from the SSE parser; this is for non-SSE errors).
    private static let streamBodyLimit = 64 * 1024

    init(bodyCapacity: Int) {
        body = []
        body.reserveCapacity(bodyCapacity)
    }

    /// Marks the start of a request. Times are ns since the run's start; `intended` is when the schedule wanted it
    /// sent (equal to `actual` in a closed loop).
    /// The request waited for this slot to free up after its intended time (open loop, `max_in_flight` full).
    var heldForSlot = false

    mutating func begin(
        index: Int, bodyIndex: Int, prompts: Int, estimatedPromptTokens: Int, intended: UInt64, actual: UInt64,
        bytesSent: Int, warmup: Bool, stream: Bool
    ) {
        self.index = index
        self.bodyIndex = bodyIndex
        self.attempts = 1
        self.backoffNanos = 0
        self.retryCauses.removeAll(keepingCapacity: true)
        self.lastErrorCode = nil
        self.firstActualStart = actual
        self.prompts = prompts
        self.estimatedPromptTokens = estimatedPromptTokens
        self.intendedStart = intended
        self.actualStart = actual
        self.bytesSent = bytesSent
        self.warmup = warmup
        if stream { sse = SSEParser() }
    }

    /// Notes that the attempt that ended at `end` (ns since the run's start) failed with `cause` and will be retried.
    mutating func noteRetry(cause: ErrorClass, end: UInt64) {
        retryCauses.append(cause)
        failedAt = end
        clearResponse()
    }

    /// Starts the next attempt of the same request at `actual` (ns since the run's start); the time since the failed
    /// attempt ended counts as backoff.
    mutating func beginRetry(actual: UInt64) {
        attempts += 1
        backoffNanos &+= actual &- min(failedAt, actual)
        actualStart = actual
        if sse != nil { sse = SSEParser() }
    }

    /// Takes body bytes as they arrive. For streams, each new content chunk is timestamped and the gap to the
    /// previous one recorded as an inter-token latency (chunks arriving in one read share a timestamp).
    /// - Parameters:
    ///   - now: Monotonic ns since the run's start.
    /// - Returns: whether the response is complete (a stream's `data: [DONE]` arrived): the transfer can end here
    ///   even if the server keeps the body open.
    @discardableResult
    mutating func receive(_ data: UnsafeRawBufferPointer, now: UInt64, limit: Int, recorder: inout MetricsRecorder)
        -> Bool
    {
        bodyBytes &+= data.count
        if sse != nil {
            if !bodyIsEventStream {
                let room = Self.streamBodyLimit - body.count
                if room > 0 { body.append(contentsOf: data.prefix(room)) }
            }
            let chunks = sse?.feed(data) ?? 0
            let done = sse?.done ?? false
            if !bodyIsEventStream, done || chunks > 0 || (sse?.dataEvents ?? 0) > 0 { bodyIsEventStream = true }
            guard chunks > 0 else { return done }
            for _ in 0..<chunks {
                if let last = lastTokenAt {
                    if !warmup { recorder.recordInterTokenGap(now &- last) }
                } else {
                    firstTokenAt = now
                }
                lastTokenAt = now
            }
            return done
        }
        let room = limit - body.count
        if room > 0 { body.append(contentsOf: data.prefix(room)) }
        return false
    }

    /// The finished attempt as an outcome; `end` is ns since the run's start. Also notes the API error code.
    mutating func outcome(result: TransferResult, end: UInt64) -> RequestOutcome {
        lastErrorCode = nil
        var errorClass = result.errorClass
        var message = result.errorMessage
        var usage: TokenUsage?
        var chunks = 0
        if var parser = sse, result.status == 200 {
            parser.finish()
            chunks = parser.contentChunks
            if errorClass == nil {
                if let error = parser.error {
                    errorClass = .badResponse
                    message = "error event in the stream: \(error.message)"
                } else if !parser.done {
                    errorClass = .badResponse
                    message = "the stream ended without data: [DONE] (truncated)"
                } else if parser.malformedEvents > 0 {
                    errorClass = .badResponse
                    message = "\(parser.malformedEvents) stream event(s) are not a JSON object"
                } else if let problem = parser.invalidUsage {
                    errorClass = .invalidUsage
                    message = problem
                }
            }
            usage = parser.invalidUsage == nil ? parser.usage : nil
            if usage == nil, chunks > 0, parser.invalidUsage == nil {
                // Counted fallback: one token per content chunk when the server sent no usage chunk.
                usage = TokenUsage(prompt: estimatedPromptTokens, completion: chunks, total: estimatedPromptTokens + chunks)
            }
        } else {
            body.withUnsafeBytes { bytes in
                if errorClass == nil {
                    switch UsageScanner.read(bytes) {
                    case .valid(let found):
                        usage = found
                    case .invalid(let problem):
                        errorClass = .invalidUsage
                        message = problem
                    case .absent:
                        errorClass = .badResponse
                        message = "the response has no usage object (malformed or truncated JSON)"
                    }
                } else if result.status > 0, let info = ErrorBodyParser.parse(bytes) {
                    message = info.message
                    lastErrorCode = info.code
                }
            }
        }
        return RequestOutcome(
            index: index,
            intendedStart: intendedStart,
            actualStart: actualStart,
            end: end,
            status: result.status,
            errorClass: errorClass,
            errorMessage: message,
            prompts: prompts,
            usage: usage,
            bytesSent: bytesSent,
            bytesReceived: bodyBytes,
            timings: result.timings,
            firstTokenAt: firstTokenAt,
            lastTokenAt: lastTokenAt,
            outputChunks: chunks,
            attempts: attempts,
            warmup: warmup,
            firstStart: firstActualStart,
            retryCauses: retryCauses,
            backoff: backoffNanos)
    }

    /// Clears the per-request state, keeping buffer capacity.
    mutating func reset() {
        clearResponse()
        sse = nil
    }

    /// Forgets the response of the last attempt.
    private mutating func clearResponse() {
        body.removeAll(keepingCapacity: true)
        bodyBytes = 0
        bodyIsEventStream = false
        firstTokenAt = nil
        lastTokenAt = nil
    }
}
