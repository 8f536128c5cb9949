import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import TierbenchCore

@testable import TierbenchMock

/// The arrival stamp that the mock's latency and TTFT count from: a request's first read, never a read that belongs
/// to the previous request (its body, even when the mock answered before reading it).
struct ArrivalStampTests {
    /// A channel laid out as the mock's: arrival stamp → HTTP/1 decoder → request boundaries.
    static func channel() throws -> (EmbeddedChannel, ArrivalStamp) {
        let stamp = ArrivalStamp()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ArrivalStampHandler(stamp: stamp), ByteToMessageHandler(HTTPRequestDecoder()),
            RequestBoundaryHandler(stamp: stamp),
        ])
        return (channel, stamp)
    }

    static func post(body: Int) -> String {
        "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: \(body)\r\n\r\n"
    }

    @Test func theStateMachine() {
        let stamp = ArrivalStamp()
        #expect(stamp.take() == nil)
        stamp.read(at: 5)
        stamp.read(at: 7)
        stamp.headDecoded(at: 8)
        #expect(stamp.take() == 5, "the request's first read, not a later one")
        #expect(stamp.take() == nil, "taken once")
        stamp.read(at: 9)  // more of the same request (its body): not a new arrival
        stamp.requestEnded()
        stamp.headDecoded(at: 12)  // a head with no read of its own (it came with the previous request's end)
        #expect(stamp.take() == 12)
        stamp.requestEnded()
        stamp.read(at: 13)
        stamp.headDecoded(at: 14)
        #expect(stamp.take() == 13)
    }

    @Test func aRequestIsStampedAtItsFirstRead() throws {
        let (channel, stamp) = try Self.channel()
        let before = MonotonicClock.now()
        try channel.writeInbound(ByteBuffer(string: Self.post(body: 4)))
        let afterHead = MonotonicClock.now()
        try channel.writeInbound(ByteBuffer(string: "{}{}"))
        let arrival = try #require(stamp.take())
        #expect(arrival >= before && arrival <= afterHead)
        _ = try? channel.finish()
    }

    @Test func theRestOfABodyAnsweredEarlyIsNotTheNextRequestsArrival() throws {
        // The mock answers a 401 or 413 from the head; the body's rest arrives afterwards, with no write after it.
        let (channel, stamp) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: Self.post(body: 6) + "{}"))
        #expect(stamp.take() != nil)
        // What Hummingbird writes past the request boundaries: response parts (encoded further on, at the head).
        let head = HTTPResponseHead(version: .http1_1, status: .unauthorized, headers: ["content-length": "0"])
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        try channel.writeInbound(ByteBuffer(string: "{}{}"))  // the rest of the first request's body
        let beforeNext = MonotonicClock.now()
        try channel.writeInbound(ByteBuffer(string: Self.post(body: 2) + "{}"))
        let next = try #require(stamp.take())
        #expect(next >= beforeNext, "stamped at its own read, not at the previous body's")
        _ = try? channel.finish()
    }

    @Test func aPipelinedRequestIsStampedNoEarlierThanItsRead() throws {
        let (channel, stamp) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: Self.post(body: 2)))
        #expect(stamp.take() != nil)
        let beforeBoth = MonotonicClock.now()
        // The first request's body and the whole second request in one read.
        try channel.writeInbound(ByteBuffer(string: "{}" + Self.post(body: 2) + "{}"))
        let second = try #require(stamp.take())
        #expect(second >= beforeBoth)
        _ = try? channel.finish()
    }
}
