import NIOCore
import TierbenchCore

/// A streamed response on the fast path: `SSEStream`'s timing (TTFT with its prefill term, then ITL per step,
/// choices interleaved) run as a state machine on the connection's event loop by its `StreamTicker` — no task, no
/// sleep, no flush per token. Each step is one HTTP/1.1 chunk made of prebuilt bytes (`SSEChunkTemplate`) and the
/// step's token texts; the last step carries the finish chunks, usage and `[DONE]` and the terminating chunk.
final class TickStream: TickTask {
    private let stream: SSEStream
    private let template: SSEChunkTemplate
    private let connection: MockFastPathHandler
    private let steps: Int
    private var step = 0
    private var random: MockRandom
    /// Called once at the end: written, or the connection went away first.
    private var end: TickTaskEnd

    /// - Parameter start: when TTFT counts from (monotonic ns): the request's arrival, or the capacity slot's grant.
    init(_ stream: SSEStream, connection: MockFastPathHandler, onEnd: @escaping (Bool) -> Void) {
        self.stream = stream
        self.template = SSEChunkTemplate(stream)
        self.connection = connection
        self.steps = stream.choices.map { SSEStream.chunkCount($0.bytes.count) }.max() ?? 0
        self.random = stream.random
        self.end = TickTaskEnd(onEnd)
    }

    /// When the first token is due, counted from `start` (monotonic ns).
    func firstDue(from start: UInt64) -> UInt64 {
        let seconds = stream.latency.firstTokenSeconds(
            promptTokens: stream.promptTokens, cachedTokens: stream.cachedTokens ?? 0, sample: { random.sample($0) })
        return start &+ Self.nanoseconds(seconds / stream.timeScale)
    }

    func connectionClosed() {
        end(written: false)
    }

    func fire(due: UInt64, ticker: StreamTicker) -> UInt64? {
        guard !end.done else { return nil }
        guard connection.isOpen else {
            end(written: false)
            return nil
        }
        let last = step + 1 >= steps
        var events = 0
        var length = step == 0 ? template.opening.count : 0
        for (index, choice) in stream.choices.enumerated() where step < SSEStream.chunkCount(choice.bytes.count) {
            length += template.heads[index].count + SSEStream.chunk(step, of: choice.bytes).count
                + template.tails[index].count
            events += 1
        }
        if last { length += template.closing.count }
        ticker.burn(events: events)
        var buffer = connection.allocator.buffer(capacity: length + 16)
        ChunkedEncoding.writeChunkHead(length, into: &buffer)
        if step == 0 { buffer.writeBytes(template.opening) }
        for (index, choice) in stream.choices.enumerated() where step < SSEStream.chunkCount(choice.bytes.count) {
            buffer.writeBytes(template.heads[index])
            buffer.writeBytes(SSEStream.chunk(step, of: choice.bytes))
            buffer.writeBytes(template.tails[index])
        }
        if last { buffer.writeBytes(template.closing) }
        buffer.writeStaticString("\r\n")
        if last { buffer.writeStaticString("0\r\n\r\n") }
        ticker.write(buffer, on: connection, due: due)
        guard !last else {
            end(written: true)
            return nil
        }
        step += 1
        return due &+ Self.nanoseconds(random.sample(stream.latency.itl) / stream.timeScale)
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, min(seconds, 9e9)) * 1e9)
    }
}
