import NIOCore
import TierbenchCore

/// A complete (non-streamed) response on the fast path whose latency has not passed yet: written whole by the
/// connection's `StreamTicker` at its due time (headers then, so `openai-processing-ms` is the time it took).
final class DelayedReply: TickTask {
    private let reply: MockReply
    private let env: RequestEnvironment
    private let runtime: MockRuntime
    private let connection: MockFastPathHandler
    private let close: Bool
    /// Called once at the end: written, or the connection went away first.
    private var end: TickTaskEnd

    init(
        _ reply: MockReply, env: RequestEnvironment, runtime: MockRuntime, connection: MockFastPathHandler,
        close: Bool, onEnd: @escaping (Bool) -> Void
    ) {
        self.reply = reply
        self.env = env
        self.runtime = runtime
        self.connection = connection
        self.close = close
        self.end = TickTaskEnd(onEnd)
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
        var bytes = connection.allocator.buffer(capacity: reply.body.readableBytes + 640)
        reply.write(into: &bytes, env: env, runtime: runtime, close: close)
        ticker.write(bytes, on: connection, due: due)
        end(written: true)
        return nil
    }
}
