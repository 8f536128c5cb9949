import Hummingbird
import NIOCore
import TierbenchCore

/// A streamed chat or completions response: `data: {chunk}\n\n` events, TTFT (with its prefill term,
/// `MockLatencyModel.firstTokenSeconds`) before the first token, ITL between
/// tokens, a final chunk per choice, the usage chunk when asked for, then `data: [DONE]`.
///
/// Choices stream interleaved, one token per choice per step. Chunks due at the same moment go out in one write.
struct SSEStream: Sendable {
    enum Kind: Sendable { case chat, completion }

    var kind: Kind
    /// `data: {"id":…,"choices":[` — everything before a chunk's choice.
    var prefix: [UInt8]
    var choices: [Generated]
    var promptTokens: Int
    /// Prompt tokens the prefix cache held: TTFT's prefill term counts the rest. nil = not reported (completions
    /// without a prefix cache), 0 for the prefill term.
    var cachedTokens: Int?
    var includeUsage: Bool
    var latency: MockLatencyModel
    var timeScale: Double
    var random: MockRandom
    /// When the request arrived (monotonic ns): TTFT counts from here, so parsing time is part of it. nil = from
    /// the start of the body. With a capacity gate TTFT counts from when the slot is granted instead, so the time
    /// queued for a slot adds to TTFT, as on a loaded server.
    var arrival: UInt64? = nil
    /// Cut the stream half-way and reset the connection.
    var truncate: Bool
    /// Send a corrupt chunk instead of the first token.
    var malformed: Bool

    /// Writes the whole stream, holding a capacity slot (if any) for its duration (Hummingbird's path, taken when
    /// the server injects faults; the fast path runs `TickStream`). Each write's lateness goes to `lag`; `burn`
    /// nanoseconds of CPU are spent per SSE event (`MockSettings.cpuBurnPerEvent`).
    func write(
        to writer: inout any ResponseBodyWriter, gate: CapacityGate?, channel: any Channel, lag: ScheduleLag,
        burn: UInt64
    ) async throws {
        if let gate {
            guard await gate.acquire() else { throw CancellationError() }
            var queued = self
            queued.arrival = nil
            do {
                try await queued.writeEvents(to: &writer, channel: channel, lag: lag, burn: burn)
            } catch {
                gate.release()
                throw error
            }
            gate.release()
        } else {
            try await writeEvents(to: &writer, channel: channel, lag: lag, burn: burn)
        }
        try await writer.finish(nil)
    }

    /// Each step's chunks are built before its due time and written as soon as it comes, so the time spent
    /// encoding does not add to TTFT or ITL.
    private func writeEvents(
        to writer: inout any ResponseBodyWriter, channel: any Channel, lag: ScheduleLag, burn: UInt64
    ) async throws {
        var random = self.random
        let clock = ContinuousClock()
        let firstToken = latency.firstTokenSeconds(
            promptTokens: promptTokens, cachedTokens: cachedTokens ?? 0, sample: { random.sample($0) })
        var deadline = clock.now + Self.duration(firstToken / timeScale)
        if let arrival { deadline = deadline - .nanoseconds(Int64(MonotonicClock.now() &- arrival)) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1024)
        if malformed {
            buffer.writeBytes(prefix)
            buffer.writeStaticString("{\"index\":0,\"delta\":{\"content\":\n\n")
        }
        if kind == .chat {
            for index in choices.indices { writeRoleChunk(index: index, into: &buffer) }
        }
        let steps = choices.map { Self.chunkCount($0.bytes.count) }.max() ?? 0
        // Steps in `buffer` not written yet (their deadlines, for one lateness each) and their events (for the burn,
        // spent after the sleep, just before the write, as `TickStream` does).
        var owed: [ContinuousClock.Instant] = []
        var events = 0
        for step in 0..<steps {
            if step > 0 { deadline += Self.duration(random.sample(latency.itl) / timeScale) }
            for (index, choice) in choices.enumerated() where step < Self.chunkCount(choice.bytes.count) {
                writeContentChunk(index: index, text: Self.chunk(step, of: choice.bytes), into: &buffer)
                events += 1
            }
            owed.append(deadline)
            if truncate && step >= steps / 2 {
                try await clock.sleep(until: deadline, tolerance: .zero)
                Self.spend(burn, events: &events)
                Self.recordLag(deadlines: &owed, clock: clock, into: lag)
                try await writer.write(buffer)
                try? await channel.close()
                throw CancellationError()
            }
            // Chunks due at the same moment (zero ITL, or a deadline already past) go out in one write.
            if deadline > clock.now {
                try await clock.sleep(until: deadline, tolerance: .zero)
                Self.spend(burn, events: &events)
                Self.recordLag(deadlines: &owed, clock: clock, into: lag)
                try await writer.write(buffer)
                buffer.clear()
            }
        }
        if steps == 0 {
            try await clock.sleep(until: deadline, tolerance: .zero)
            owed.append(deadline)
        }
        Self.spend(burn, events: &events)
        Self.recordLag(deadlines: &owed, clock: clock, into: lag)
        for (index, choice) in choices.enumerated() { writeFinishChunk(index: index, reason: choice.finish, into: &buffer) }
        writeUsageChunk(into: &buffer)
        buffer.writeStaticString("data: [DONE]\n\n")
        try await writer.write(buffer)
    }

    /// The usage chunk (`choices: []`), when the request asked for it.
    func writeUsageChunk(into buffer: inout ByteBuffer) {
        guard includeUsage else { return }
        buffer.writeBytes(prefix)
        buffer.writeStaticString("],")
        let completion = choices.reduce(0) { $0 + $1.tokens }
        buffer.writeUsage(
            promptTokens: promptTokens, completionTokens: completion, cachedTokens: cachedTokens,
            details: kind == .chat)
        buffer.writeStaticString("}\n\n")
    }

    func writeRoleChunk(index: Int, into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        buffer.writeStaticString("{\"index\":")
        buffer.writeDecimal(index)
        buffer.writeStaticString(",\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]")
        writeChunkEnd(into: &buffer)
    }

    func writeContentChunk(index: Int, text: ArraySlice<UInt8>, into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        switch kind {
        case .chat:
            buffer.writeStaticString("{\"index\":")
            buffer.writeDecimal(index)
            buffer.writeStaticString(",\"delta\":{\"content\":\"")
            buffer.writeBytes(text)
            buffer.writeStaticString("\"},\"logprobs\":null,\"finish_reason\":null}]")
        case .completion:
            buffer.writeStaticString("{\"text\":\"")
            buffer.writeBytes(text)
            buffer.writeStaticString("\",\"index\":")
            buffer.writeDecimal(index)
            buffer.writeStaticString(",\"logprobs\":null,\"finish_reason\":null}]")
        }
        writeChunkEnd(into: &buffer)
    }

    func writeFinishChunk(index: Int, reason: FinishReason, into buffer: inout ByteBuffer) {
        buffer.writeBytes(prefix)
        switch kind {
        case .chat:
            buffer.writeStaticString("{\"index\":")
            buffer.writeDecimal(index)
            buffer.writeStaticString(",\"delta\":{},\"logprobs\":null,\"finish_reason\":\"")
        case .completion:
            buffer.writeStaticString("{\"text\":\"\",\"index\":")
            buffer.writeDecimal(index)
            buffer.writeStaticString(",\"logprobs\":null,\"finish_reason\":\"")
        }
        buffer.writeString(reason.rawValue)
        buffer.writeStaticString("\"}]")
        writeChunkEnd(into: &buffer)
    }

    func writeChunkEnd(into buffer: inout ByteBuffer) {
        if includeUsage { buffer.writeStaticString(",\"usage\":null") }
        buffer.writeStaticString("}\n\n")
    }

    /// Token chunks in a text of `byteCount` bytes: the first token is 3 bytes (capitalized, no leading space),
    /// the rest 4.
    static func chunkCount(_ byteCount: Int) -> Int {
        byteCount == 0 ? 0 : (byteCount + 1 + TextGenerator.tokenBytes - 1) / TextGenerator.tokenBytes
    }

    /// The bytes of token `index`.
    static func chunk(_ index: Int, of bytes: [UInt8]) -> ArraySlice<UInt8> {
        let start = max(0, index * TextGenerator.tokenBytes - 1)
        let end = min(bytes.count, (index + 1) * TextGenerator.tokenBytes - 1)
        return bytes[start..<end]
    }

    /// Notes how late a write meant for `deadline` is.
    /// Records one lateness per step about to be written (now − its deadline) and forgets the steps.
    private static func recordLag(deadlines: inout [ContinuousClock.Instant], clock: ContinuousClock, into lag: ScheduleLag) {
        let now = clock.now
        for deadline in deadlines {
            let (seconds, attoseconds) = (now - deadline).components
            let nanoseconds = seconds < 0 ? 0 : seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
            lag.record(lateness: UInt64(max(nanoseconds, 0)))
        }
        deadlines.removeAll(keepingCapacity: true)
    }

    /// Burns the CPU-burn setting's time for `events` SSE events and resets the count.
    private static func spend(_ burn: UInt64, events: inout Int) {
        StreamTicker.spin(nanoseconds: burn &* UInt64(max(events, 0)))
        events = 0
    }

    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(max(0, min(seconds, 9e9)) * 1e9))
    }
}
