import NIOCore
import NIOEmbedded
import Testing

@testable import TierbenchMock

/// The arrival stamp that the mock's latency and TTFT count from: the first read of a request, never a read of the
/// previous request's body.
struct ArrivalStampTests {
    @Test func keepsTheFirstMarkUntilTakenOrCleared() {
        let stamp = ArrivalStamp()
        #expect(stamp.take() == nil)
        stamp.mark(5)
        stamp.mark(7)
        #expect(stamp.take() == 5, "a later read of the same request does not move the arrival")
        #expect(stamp.take() == nil, "taken once")
        stamp.mark(9)
        stamp.clear()
        #expect(stamp.take() == nil)
        stamp.mark(11)
        #expect(stamp.take() == 11)
    }

    @Test func theHandlerStampsReadsAndForgetsThemWhenTheResponseGoesOut() async throws {
        let handler = ArrivalStampHandler()
        let channel = EmbeddedChannel(handler: handler)
        let head = ByteBuffer(string: "POST /v1/chat/completions HTTP/1.1\r\ncontent-length: 2\r\n\r\n")

        try channel.writeInbound(head)
        let first = try #require(handler.stamp.take())
        try channel.writeInbound(ByteBuffer(string: "{}"))  // the body, read after Hummingbird took the head's stamp
        try channel.writeOutbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n"))
        #expect(await channel.requestArrival() == nil, "the body's read must not stand in for the next request")

        try channel.writeInbound(head)
        let second = try #require(await channel.requestArrival())
        #expect(second >= first)
        #expect(await channel.requestArrival() == nil)
        // Every event passes through untouched.
        #expect(try channel.readInbound(as: ByteBuffer.self) == head)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n"))
        _ = try channel.finish()
    }
}
