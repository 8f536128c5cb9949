#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import Synchronization
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// A connection whose fast-path response is scheduled (a stream, a delayed reply) while the client does more:
    /// pipelines requests behind it, half-closes. The response must come out whole, and what follows after it.
    @Suite struct ScheduledConnectionTests {
        /// A stream of 8 tokens, 40 ms apart: about 300 ms, three times the header timeout.
        static func settings() -> MockSettings {
            var settings = StreamTickerTests.settings(ttft: 20, itl: 40, tokens: 8)
            settings.headerTimeout = .milliseconds(100)
            settings.idleTimeout = .seconds(5)
            settings.bodyTimeout = .seconds(5)
            settings.maxHeaderBytes = 4_096
            return settings
        }

        /// Closes `fd` abortively (RST, `SO_LINGER` 0): the mock sees the connection go away at once. (A plain close
        /// with nothing unread sends only a FIN, which the mock cannot tell from a half-close: it keeps writing the
        /// response until a write fails.)
        static func abort(_ fd: Int32) {
            var option = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
            close(fd)
        }

        /// Splits `text` into the stream's head, its `data:` events (every chunk checked to end in CRLF) and what
        /// follows the terminating chunk; throws when the chunked framing is broken or the stream does not end.
        static func dechunk(_ text: String) throws -> (head: String, events: [String], rest: String) {
            let bytes = Array(text.utf8)
            let crlf: [UInt8] = [13, 10]
            func find(_ needle: [UInt8], from start: Int) -> Int? {
                guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
                return (start...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
            }
            let headEnd = try #require(find([13, 10, 13, 10], from: 0), "no head in \(text.prefix(300))")
            var offset = headEnd + 4
            var events: [String] = []
            while true {
                let lineEnd = try #require(find(crlf, from: offset), "stream cut at byte \(offset): \(text)")
                let sizeText = String(decoding: bytes[offset..<lineEnd], as: UTF8.self)
                let size = try #require(Int(sizeText, radix: 16), "bad chunk size \(sizeText.prefix(80)) in \(text)")
                let end = lineEnd + 2 + size
                try #require(bytes.count >= end + 2, "stream cut inside a chunk: \(text)")
                try #require(Array(bytes[end..<(end + 2)]) == crlf, "chunk not followed by CRLF: \(text)")
                offset = end + 2
                if size == 0 { break }
                let payload = String(decoding: bytes[(lineEnd + 2)..<end], as: UTF8.self)
                events += payload.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
            }
            return (String(decoding: bytes[..<headEnd], as: UTF8.self), events, String(decoding: bytes[offset...], as: UTF8.self))
        }

        @Test func aRequestPipelinedBehindAStreamLongerThanTheHeaderTimeoutIsAnsweredAfterIt() async throws {
            try await StreamTickerTests.withServer(Self.settings()) { port, server in
                let socket = try WireSocket(port: port)
                try socket.send(StreamProbe.chatRequest())
                usleep(40_000)  // the next request comes in its own read, while the stream is being written
                try socket.send(FastPathWireTests.post("Connection: close\r\n"))
                let text = try socket.receiveUntilClosed()
                let stream = try Self.dechunk(text)
                #expect(stream.head.hasPrefix("HTTP/1.1 200 OK") && stream.events.last == "[DONE]", "\(text)")
                #expect(stream.events.compactMap(StreamTickerTests.content).count == 8, "\(stream.events)")
                #expect(stream.rest.hasPrefix("HTTP/1.1 200 OK\r\n") && stream.rest.contains(#""object":"chat.completion""#),
                        "\(stream.rest)")
                #expect(server.stats().connectionsClosed["header_timeout"] == nil, "\(server.stats())")
            }
        }

        @Test func anOversizedHeadPipelinedBehindAStreamGets431OnlyAfterIt() async throws {
            try await StreamTickerTests.withServer(Self.settings()) { port, server in
                let fd = try AttackConnections.dial(port: port)
                defer { close(fd) }
                var head = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\n"
                while head.utf8.count < 20_000 { head += "X-Filler: \(String(repeating: "a", count: 490))\r\n" }
                #expect(AttackConnections.sendAll(fd, Array(StreamProbe.chatRequest().utf8)))
                // The head comes in reads of its own while the stream is being written, over the limit by the second.
                let bytes = Array(head.utf8)
                usleep(40_000)
                #expect(AttackConnections.sendAll(fd, Array(bytes[..<3_000])))
                usleep(20_000)
                #expect(AttackConnections.sendAll(fd, Array(bytes[3_000...])))
                // The mock closes without reading the rest of the head: the client may see a reset after the 431.
                let (text, ended) = AttackConnections.receiveUntilClosed(fd, seconds: 5)
                #expect(ended, "the connection stayed open after the 431")
                let stream = try Self.dechunk(text)
                #expect(stream.events.last == "[DONE]" && stream.events.compactMap(StreamTickerTests.content).count == 8,
                        "\(stream.events)")
                #expect(stream.rest.hasPrefix("HTTP/1.1 431"), "\(stream.rest.prefix(300))")
                let closed = server.stats().connectionsClosed
                #expect(closed["header_timeout"] == nil && closed["header_too_large"] == 1, "\(closed)")
            }
        }

        @Test func aClientThatHalfClosesStillGetsTheWholeStream() async throws {
            try await StreamTickerTests.withServer(StreamTickerTests.settings(ttft: 20, itl: 10, tokens: 6)) { port, server in
                let socket = try WireSocket(port: port)
                try socket.send(StreamProbe.chatRequest())
                socket.shutdownWrite()
                let text = try socket.receiveUntilClosed()
                let stream = try Self.dechunk(text)
                #expect(stream.events.last == "[DONE]" && stream.events.compactMap(StreamTickerTests.content).count == 6,
                        "\(text)")
                #expect(stream.rest.isEmpty, "\(stream.rest)")
            }
        }

        @Test func aClientThatHalfClosesStillGetsADelayedReply() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(60))
            try await StreamTickerTests.withServer(settings) { port, _ in
                let socket = try WireSocket(port: port)
                try socket.send(FastPathWireTests.post())
                socket.shutdownWrite()
                let text = try socket.receiveUntilClosed()
                #expect(text.hasPrefix("HTTP/1.1 200 OK") && WireSocket.completeResponses(in: text) == 1, "\(text)")
            }
        }

        @Test func aClientThatGoesAwayFreesItsSlotAndItsQueuePlaceAtOnce() async throws {
            // One slot; a stream whose next token is 2 s away holds it, a second waits in the queue.
            var settings = StreamTickerTests.settings(ttft: 20, itl: 2_000, tokens: 2)
            settings.capacity = 1
            try await StreamTickerTests.withServer(settings) { port, server in
                let holder = try StreamProbe.openSocket(port: port)
                let waiter = try StreamProbe.openSocket(port: port)
                #expect(AttackConnections.sendAll(holder, Array(StreamProbe.chatRequest().utf8)))
                usleep(100_000)  // its first token has gone out; the next is 1.9 s away
                #expect(AttackConnections.sendAll(waiter, Array(StreamProbe.chatRequest().utf8)))
                let both = try await StreamTickerTests.stats(server) { $0.inFlight == 2 && $0.queued == 1 }
                #expect(both.inFlight == 2 && both.queued == 1, "\(both)")
                Self.abort(waiter)
                Self.abort(holder)
                // Well before the stream's next due time, 1.8 s away (and with no grant to wait for), nothing is held.
                for _ in 0..<40 where server.stats().inFlight > 0 || server.stats().queued > 0 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let freed = server.stats()
                #expect(freed.inFlight == 0 && freed.queued == 0, "\(freed)")
                // The slot is free for the next stream, at once.
                let sent = MonotonicClock.now()
                let streams = try StreamProbe.run(port: port, requests: [StreamProbe.chatRequest()])
                let first = try #require(streams[0].events.first?.at)
                #expect(first - sent < 1_500_000_000, "the slot was still held: first event after \(first - sent) ns")
            }
        }

        @Test func latencyCountsFromTheRequestsFirstRead() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(300))
            try await StreamTickerTests.withServer(settings) { port, _ in
                let socket = try WireSocket(port: port)
                let request = Array(FastPathWireTests.post().utf8)
                let sent = MonotonicClock.now()
                try socket.send(request[..<40])
                usleep(600_000)
                try socket.send(request[40...])
                _ = try socket.receive(responses: 1)
                // Due 300 ms after the first read, which is past when the rest arrives: answered then, not 300 ms later.
                let elapsed = Double(MonotonicClock.now() - sent) / 1e6
                #expect(elapsed >= 600 && elapsed < 850, "\(elapsed) ms")
            }
        }

        @Test func hummingbirdPathRecordsOneLagPerStepEvenWhenStepsShareAWrite() async throws {
            // Zero ITL: the five steps are due together and go out in one write, each still counted.
            var settings = StreamTickerTests.settings(ttft: 20, itl: 0, tokens: 5)
            settings.faults.schedule = [MockFaultWindow(start: .seconds(3_600), duration: .seconds(1), action: .status(503))]
            try await StreamTickerTests.withServer(settings) { port, server in
                let streams = try StreamProbe.run(port: port, requests: [StreamProbe.chatRequest()])
                #expect(streams[0].contents.compactMap(StreamTickerTests.content).count == 5)
                let stats = try await StreamTickerTests.stats(server) { $0.scheduleLag?.count == 5 }
                #expect(stats.scheduleLag?.count == 5, "\(String(describing: stats.scheduleLag))")
            }
        }

        @Test(arguments: [(0, "0"), (15, "f"), (16, "10"), (255, "ff"), (4_096, "1000"), (65_535, "ffff")])
        func chunkHeadsAreTheLengthInLowercaseHex(length: Int, hex: String) {
            var buffer = ByteBuffer()
            ChunkedEncoding.writeChunkHead(length, into: &buffer)
            #expect(buffer.readString(length: buffer.readableBytes) == hex + "\r\n")
        }

        /// A stream's head carries the same header fields on both paths (values that vary per request aside).
        @Test func streamHeadsHaveTheSameFieldsOnBothPaths() async throws {
            var settings = StreamTickerTests.settings(ttft: 5, itl: 2, tokens: 2)
            settings.tier = "tier1"
            var fields: [Set<String>] = []
            for faults in [false, true] {
                if faults {
                    settings.faults.schedule = [
                        MockFaultWindow(start: .seconds(3_600), duration: .seconds(1), action: .status(503))
                    ]
                }
                try await StreamTickerTests.withServer(settings) { port, _ in
                    let streams = try StreamProbe.run(port: port, requests: [StreamProbe.chatRequest()])
                    let lines = streams[0].head.components(separatedBy: "\r\n").dropFirst()
                    fields.append(Set(lines.compactMap { $0.split(separator: ":").first.map { $0.lowercased() } }))
                }
            }
            for name in ["content-type", "cache-control", "x-request-id", "openai-processing-ms", "x-ratelimit-limit-requests",
                         "transfer-encoding"] {
                #expect(fields[0].contains(name), "fast path head lacks \(name): \(fields[0].sorted())")
            }
            let apiFields = fields.map { $0.filter { ["content-type", "cache-control", "x-request-id"].contains($0)
                || $0.hasPrefix("openai-") || $0.hasPrefix("x-ratelimit-") } }
            #expect(apiFields[0] == apiFields[1], "fast path \(apiFields[0].sorted()) vs Hummingbird \(apiFields[1].sorted())")
        }

        @Test func aCancelledCallbackWaiterLeavesTheQueueAndIsNeverGranted() {
            let gate = CapacityGate(capacity: 1)
            let granted = Mutex<[Int]>([])
            #expect(gate.acquire(onGrant: { granted.withLock { $0.append(0) } }) == nil)  // takes the slot now
            let first = gate.acquire(onGrant: { granted.withLock { $0.append(1) } })
            let second = gate.acquire(onGrant: { granted.withLock { $0.append(2) } })
            #expect(first != nil && second != nil && gate.queued == 2)
            #expect(first.map(gate.cancel) == true && gate.queued == 1)
            gate.release()  // handed to the second waiter, not the cancelled first
            #expect(granted.withLock { $0 } == [2] && gate.queued == 0)
            #expect(second.map(gate.cancel) == false)  // already granted: its holder releases as usual
            gate.release()
            #expect(gate.acquire(onGrant: {}) == nil)  // the slot is free again
        }

        @Test func aClientThatGoesAwayDuringADelayedReplyIsNotInFlightAnyMore() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.seconds(3))
            try await StreamTickerTests.withServer(settings) { port, server in
                let fd = try AttackConnections.dial(port: port)
                #expect(AttackConnections.sendAll(fd, Array(FastPathWireTests.post().utf8)))
                let waiting = try await StreamTickerTests.stats(server) { $0.inFlight == 1 }
                #expect(waiting.inFlight == 1, "\(waiting)")
                Self.abort(fd)
                // Long before the reply's due time (3 s), the request is over.
                for _ in 0..<40 where server.stats().inFlight > 0 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(server.stats().inFlight == 0, "\(server.stats())")
            }
        }
    }
}
