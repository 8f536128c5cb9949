import Foundation
import NIOCore
import TierbenchCore

/// One batch inside `BatchStore`'s discrete-event simulation: its drawn time plan, its validated lines and the
/// output it has produced so far. Times are virtual unix seconds (`BatchClock`).
struct SimulatedBatch: Sendable {
    /// The durations drawn at creation from the batch's seeded stream.
    struct Plan: Sendable {
        var validate: Double
        var queue: Double
        var finalize: Double
        var cancel: Double
        /// Seed of the per-line streams.
        var lineSeed: UInt64
    }

    /// A validated line waiting to be executed.
    struct Line: Sendable {
        /// Byte range of the line within the input content.
        var range: Range<Int>
        /// 1-based line number in the input file.
        var number: Int
        /// When the line starts (virtual seconds).
        var dispatch: Double
    }

    /// An executed line whose latency has not elapsed yet.
    struct Pending: Sendable {
        var number: Int
        var range: Range<Int>
        var finish: Double
        /// Dispatch order (ties in `finish` finish in this order).
        var order: Int
        var ok: Bool
        var bytes: ByteBuffer
        /// The line's tokens (input, of them cached by the prefix cache, and output), counted into the batch's
        /// `usage` when it finishes OK (not when it starts).
        var usage = BatchObject.Usage()
        /// The line's spend at the batch price (counted in `BatchCounters.spendUSD` when it finishes OK).
        var spendUSD = 0.0
    }

    var object: BatchObject
    let created: Double
    let expires: Double
    let plan: Plan
    /// The endpoint's route (`/v1/chat/completions` → `.chat`); nil for endpoints the mock does not serve.
    let route: MockRoute?
    /// The input file's bytes when the batch was created (nil when the file did not exist); freed when terminal.
    var input: BatchFileContent?
    /// Validation result, decided at creation and revealed when validating ends.
    var errors: [BatchError] = []
    var model: String?
    var inputTokens = 0
    /// Output expiry (`output_expires_after.seconds`), else 30 days.
    var outputExpiresAfter: Int?

    /// The good lines' byte ranges and numbers, from validation until the lines are scheduled.
    var pendingRanges: [(Range<Int>, Int)] = []
    var lines: [Line] = []
    var nextLine = 0
    var pending = PendingLines()
    /// When the first line may start; nil until in progress (and for batches that never run lines).
    var processingStart: Double?
    /// When cancelling ends.
    var cancelEnd: Double?
    /// When the current status began (exact virtual seconds; the `*_at` stamps are these rounded down).
    var phaseStart: Double = 0
    /// When the last line finished.
    var lastFinish: Double = 0
    var output = BatchFileContent()
    var errorOutput = BatchFileContent()

    /// Creation order (0, 1, 2…).
    var sequence = 0
    /// Whether the batch passed validation (its tokens count against the queue limit while it holds them).
    var passedValidation = false
    /// Whether the verdict is in (validation runs outside the store's lock, after the batch is created).
    var validated = false

    /// Draws the plan for a batch created at `created` with an input of `inputBytes` bytes.
    static func drawPlan(_ settings: MockBatchSettings, inputBytes: Int, random: inout MockRandom) -> Plan {
        func uniform(_ low: TimeSpan, _ high: TimeSpan) -> Double {
            low.seconds + (high.seconds - low.seconds) * random.unit()
        }
        let validate = uniform(settings.validateMin, settings.validateMax)
            + settings.validatePerMB.seconds * Double(inputBytes) / 1_048_576
        var queue = settings.queueDelayMedian.seconds
        let normal = random.gaussian()
        if settings.queueDelaySigma > 0 { queue *= exp(settings.queueDelaySigma * normal) }
        if random.unit() < settings.stallProbability { queue += settings.stallDuration.seconds }
        let finalize = uniform(settings.finalizeMin, settings.finalizeMax)
        let cancel = uniform(settings.cancelMin, settings.cancelMax)
        return Plan(validate: validate, queue: queue, finalize: finalize, cancel: cancel, lineSeed: random.next())
    }

    /// Plans the lines once validated: each starts at a uniform point of the processing window
    /// `[start, start + rate.seconds(lines, tokens)]`, so they complete in random order at the model's rate.
    mutating func scheduleLines(start: Double, rate: MockBatchRate, ranges: [(Range<Int>, Int)]) {
        processingStart = start
        let window = rate.seconds(lines: ranges.count, tokens: inputTokens)
        var random = MockRandom(seed: plan.lineSeed ^ 0xD15A_7C4E)
        lines = ranges.map { Line(range: $0.0, number: $0.1, dispatch: start + window * random.unit()) }
        lines.sort { $0.dispatch < $1.dispatch || ($0.dispatch == $1.dispatch && $0.number < $1.number) }
        lastFinish = start
    }

    /// Whether every line has finished.
    var linesDone: Bool { nextLine == lines.count && pending.isEmpty }

    /// Runs line events (starts and finishes) in time order up to `time`, executing each started line through the
    /// responder's pipeline.
    /// At most `budget` lines start (it is decreased); with 0 left it stops, possibly before `time`.
    mutating func runLines(upTo time: Double, responder: MockResponder, counters: inout BatchCounters, budget: inout Int) {
        guard processingStart != nil, let input else { return }
        while budget > 0 {
            let dispatch = nextLine < lines.count ? lines[nextLine].dispatch : .infinity
            let finish = pending.first?.finish ?? .infinity
            if finish <= dispatch && finish <= time, let done = pending.popFirst() {
                lastFinish = max(lastFinish, done.finish)
                if done.ok {
                    var usage = object.usage ?? BatchObject.Usage()
                    usage.inputTokens &+= done.usage.inputTokens
                    usage.cachedTokens &+= done.usage.cachedTokens
                    usage.outputTokens &+= done.usage.outputTokens
                    object.usage = usage
                    counters.spendUSD += done.spendUSD
                    output.append(done.bytes)
                    object.requestCounts.completed += 1
                    counters.linesSucceeded += 1
                } else {
                    errorOutput.append(done.bytes)
                    object.requestCounts.failed += 1
                    counters.linesFailed += 1
                }
            } else if dispatch < finish && dispatch <= time {
                let line = lines[nextLine]
                nextLine += 1
                budget -= 1
                let executed = execute(line, input: input, responder: responder)
                let item = Pending(
                    number: line.number, range: line.range, finish: line.dispatch + executed.latency, order: nextLine,
                    ok: executed.ok,
                    bytes: executed.bytes, usage: executed.usage, spendUSD: executed.spendUSD)
                pending.insert(item)
            } else {
                break
            }
        }
    }

    /// The line's random stream and its `batch_req_…` id.
    func lineIdentity(_ number: Int) -> (random: MockRandom, id: String) {
        var random = MockRandom(seed: plan.lineSeed, sequence: UInt64(number))
        let id = "batch_req_" + random.hex32()
        return (random, id)
    }

    /// Executes one line: the same pipeline as a synchronous request, batch pool.
    private mutating func execute(
        _ line: Line, input: BatchFileContent, responder: MockResponder
    ) -> (ok: Bool, bytes: ByteBuffer, latency: Double, usage: BatchObject.Usage, spendUSD: Double) {
        let (random, id) = lineIdentity(line.number)
        let bytes = input.read(line.range)
        let located = bytes.withUnsafeReadableBytes { BatchLineFields.fields($0) }
        var out = ByteBuffer()
        guard let (customID, bodyRange) = located,
            let body = bytes.getSlice(at: bytes.readerIndex + bodyRange.lowerBound, length: bodyRange.count)
        else {
            // Validation accepted the line, so this does not happen; answer as a server error rather than trap.
            let error = MockAPIError.serverFault(status: 500)
            BatchLineFields.writeResponse(
                into: &out, id: id, customID: "", status: 500, requestID: "req_" + String(id.suffix(32)),
                body: error.body())
            return (false, out, 0, BatchObject.Usage(), 0)
        }
        let route = self.route ?? .unknown
        var env = RequestEnvironment(runtime: responder.runtime, random: random, route: route)
        env.created = Int(line.dispatch.rounded(.down))
        env.batchPricing = true
        let (reply, latency, delay): (MockReply, Double, Double)
        if self.route == nil {
            (reply, latency, delay) = (env.errorReply(.invalidURL(method: "POST", path: object.endpoint)), 0, 0)
        } else {
            (reply, latency, delay) = responder.batchLineReply(route: route, body: body, env: &env)
        }
        let ok = (200..<300).contains(reply.status)
        out.reserveCapacity(reply.body.readableBytes + 160 + customID.utf8.count)
        BatchLineFields.writeResponse(
            into: &out, id: id, customID: customID, status: reply.status, requestID: env.requestID, body: reply.body)
        let useLatency = responder.runtime.settings.batch.lineLatency
        let usage = ok
            ? BatchObject.Usage(
                inputTokens: env.record.promptTokens, cachedTokens: env.record.cachedTokens,
                outputTokens: env.record.completionTokens)
            : BatchObject.Usage()
        return (ok, out, (useLatency ? latency : 0) + delay, usage, ok ? env.record.spendUSD : 0)
    }

    /// Writes a `batch_expired` error line for every line that did not finish (started ones first, earliest
    /// finish first, then the unstarted ones in order) and counts them as failed: at most `budget` lines (it is
    /// decreased); true once every unfinished line is written.
    mutating func expireUnfinished(counters: inout BatchCounters, budget: inout Int) -> Bool {
        guard let input else { return true }
        var expired = 0
        func write(_ number: Int, _ range: Range<Int>) {
            let customID = input.read(range).withUnsafeReadableBytes { BatchLineFields.fields($0)?.customID } ?? ""
            var out = ByteBuffer()
            BatchLineFields.writeError(
                into: &out, id: lineIdentity(number).id, customID: customID, code: "batch_expired",
                message: "This request could not be executed before the completion window expired.")
            errorOutput.append(out)
            expired += 1
            budget -= 1
        }
        while budget > 0, let item = pending.popFirst() { write(item.number, item.range) }
        while budget > 0, pending.isEmpty, nextLine < lines.count {
            write(lines[nextLine].number, lines[nextLine].range)
            nextLine += 1
        }
        object.requestCounts.failed += expired
        counters.linesExpired += expired
        return pending.isEmpty && nextLine == lines.count
    }
}
