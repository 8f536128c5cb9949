import Foundation
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The fast path's timed writes on each event loop's `StreamTicker`: streams, delayed replies, capacity
    /// queueing and the schedule lag, measured by raw-socket clients (`StreamProbe`).
    @Suite struct StreamTickerTests {
        static func settings(ttft: Double, itl: Double, tokens: Int) -> MockSettings {
            var settings = MockSettings()
            settings.latency.ttft = .constant(.milliseconds(ttft))
            settings.latency.itl = .constant(.milliseconds(itl))
            settings.outputTokens = tokens
            return settings
        }

        static func withServer(
            _ settings: MockSettings, loops: Int? = nil, _ body: (Int, MockServer) async throws -> Void
        ) async throws {
            let server = MockServer(settings: settings, eventLoopThreads: loops)
            let port = try await server.start()
            do {
                try await body(port, server)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        /// The server's stats once `ready` holds (or after 2 s): a tick records its writes' lag just after its flush,
        /// so a client can see its last bytes a moment before they are counted.
        static func stats(_ server: MockServer, until ready: (MockStats) -> Bool) async throws -> MockStats {
            for _ in 0..<100 where !ready(server.stats()) { try await Task.sleep(for: .milliseconds(20)) }
            return server.stats()
        }

        /// The text a non-streamed request with the same prompt gets (the generator is deterministic per prompt).
        static func expectedText(port: Int, content: String = "hi") throws -> String {
            let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(content)"}]}"#
            let socket = try WireSocket(port: port)
            try socket.send(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let text = try socket.receive(responses: 1)
            let json = try #require(text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) })
            let object = try MockTestSupport.object(ByteBuffer(string: json))
            let choices = try #require(object["choices"] as? [[String: Any]])
            let message = try #require(choices.first?["message"] as? [String: Any])
            return try #require(message["content"] as? String)
        }

        /// The content delta of a chunk, nil for chunks without one.
        static func content(_ event: String) -> String? {
            guard let data = event.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let choices = object["choices"] as? [[String: Any]], let delta = choices.first?["delta"] as? [String: Any],
                let text = delta["content"] as? String, !text.isEmpty
            else { return nil }
            return text
        }

        @Test func streamsDeliverEveryTokenInOrderWithTheConfiguredGaps() async throws {
            try await Self.withServer(Self.settings(ttft: 50, itl: 20, tokens: 8)) { port, server in
                let expected = try Self.expectedText(port: port)
                let request = StreamProbe.chatRequest(extra: #","stream_options":{"include_usage":true}"#)
                let result = try await MockTestSupport.timed {
                    let streams = try StreamProbe.run(port: port, requests: Array(repeating: request, count: 5))
                    var problems: [String] = []
                    for stream in streams {
                        let events = stream.events
                        // role, 8 tokens, finish, usage, [DONE]
                        guard events.count == 12 else {
                            problems.append("\(events.count) events: \(stream.contents)")
                            continue
                        }
                        #expect(events[0].data.contains(#""role":"assistant""#))
                        let tokens = events[1...8].compactMap { Self.content($0.data) }
                        #expect(tokens.count == 8 && tokens.joined() == expected, "\(tokens) vs \(expected)")
                        #expect(events[9].data.contains(#""finish_reason":"length""#) || events[9].data.contains(#""finish_reason":"stop""#))
                        #expect(events[10].data.contains(#""choices":[],"usage":{"prompt_tokens""#), "\(events[10].data)")
                        #expect(events[11].data == "[DONE]")
                        let ttft = Double(events[1].at - stream.sentAt) / 1e6
                        if ttft > 120 { problems.append("TTFT \(ttft) ms") }
                        // Never early beyond the tick's 0.2 ms tolerance: token k is due 50 + (k − 1) × 20 ms after
                        // the request's arrival, which is after it was sent (a late chunk may shorten the next gap,
                        // so the lower bound is on the schedule, not on gaps).
                        for step in 1...8 {
                            let since = Double(events[step].at - stream.sentAt) / 1e6
                            let due = 50 + Double(step - 1) * 20
                            if since < due - 0.2 { problems.append("token \(step) at \(since) ms, due at \(due) ms") }
                        }
                        for step in 2...8 {
                            let gap = Double(events[step].at - events[step - 1].at) / 1e6
                            if gap > 45 { problems.append("gap \(gap) ms") }
                        }
                    }
                    return (problems.isEmpty, problems.joined(separator: "; "))
                }
                #expect(result.ok, "\(result.description)")
                let stats = server.stats()
                #expect(stats.streams >= 5 && stats.succeeded == stats.requests)
            }
        }

        @Test func manyStreamsDueTogetherOnOneLoopAllGetEveryChunk() async throws {
            try await Self.withServer(Self.settings(ttft: 100, itl: 10, tokens: 5), loops: 1) { port, server in
                let expected = try Self.expectedText(port: port)
                server.resetStats()
                let streams = try StreamProbe.run(
                    port: port, requests: Array(repeating: StreamProbe.chatRequest(), count: 200), timeout: 30)
                for (index, stream) in streams.enumerated() {
                    let tokens = stream.events.compactMap { Self.content($0.data) }
                    #expect(tokens.joined() == expected && tokens.count == 5, "stream \(index): \(tokens)")
                    #expect(stream.events.last?.data == "[DONE]", "stream \(index)")
                }
                let stats = try await Self.stats(server) { $0.scheduleLag?.count == 1_000 }
                #expect(stats.streams == 200 && stats.succeeded == 200, "\(stats)")
                // Five tokens are five scheduled writes per stream (the last one carries finish, usage and [DONE]).
                #expect(stats.scheduleLag?.count == 1_000, "\(String(describing: stats.scheduleLag?.count))")
            }
        }

        @Test func nonStreamingLatencyIsWrittenAtItsDueTime() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(150))
            try await Self.withServer(settings) { port, server in
                let first = try WireSocket(port: port)
                let second = try WireSocket(port: port)
                let third = try WireSocket(port: port)
                let sent = MonotonicClock.now()
                try first.send(FastPathWireTests.post())
                try second.send(FastPathWireTests.post())
                try third.send(FastPathWireTests.post())
                for text in [try first.receive(responses: 1), try second.receive(responses: 1), try third.receive(responses: 1)] {
                    #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n") && text.contains(#""object":"chat.completion""#))
                }
                let elapsed = Double(MonotonicClock.now() - sent) / 1e6
                #expect(elapsed >= 149 && elapsed < 5_000, "\(elapsed) ms")
                let stats = try await Self.stats(server) { $0.scheduleLag?.count == 3 }
                #expect(stats.scheduleLag?.count == 3 && stats.succeeded == 3, "\(stats)")
            }
        }

        @Test func capacityQueuesStreamsFIFOWithTTFTFromTheGrant() async throws {
            var settings = Self.settings(ttft: 80, itl: 10, tokens: 3)
            settings.capacity = 1
            try await Self.withServer(settings) { port, server in
                let streams = try StreamProbe.run(
                    port: port, requests: Array(repeating: StreamProbe.chatRequest(), count: 3), spacing: 10_000_000)
                // Each stream holds the slot for TTFT + 2 ITL (3 tokens) = 100 ms, and the next one's TTFT counts from
                // its grant, so stream k's first token comes at least k × 100 + 80 ms after the first request was
                // sent (a late read by this client can only make it later), in arrival order.
                let sent = streams[0].sentAt
                var previous: UInt64 = 0
                for (index, stream) in streams.enumerated() {
                    let first = try #require(stream.events.first?.at)
                    let elapsed = Double(first - sent) / 1e6
                    #expect(elapsed >= Double(index) * 100 + 79, "stream \(index): first token after \(elapsed) ms")
                    #expect(first > previous, "stream \(index) started before the one ahead of it")
                    #expect(stream.events.last?.data == "[DONE]")
                    previous = first
                }
                #expect(server.stats().maxInFlight >= 3)
            }
        }

        @Test func capacityQueuesDelayedRepliesFIFO() async throws {
            var settings = MockSettings()
            settings.latency.base = .constant(.milliseconds(60))
            settings.capacity = 1
            try await Self.withServer(settings) { port, server in
                let first = try WireSocket(port: port)
                let second = try WireSocket(port: port)
                let third = try WireSocket(port: port)
                let sent = MonotonicClock.now()
                try first.send(FastPathWireTests.post())
                usleep(5_000)
                try second.send(FastPathWireTests.post())
                usleep(5_000)
                try third.send(FastPathWireTests.post())
                var done: [Double] = []
                _ = try first.receive(responses: 1)
                done.append(Double(MonotonicClock.now() - sent) / 1e6)
                _ = try second.receive(responses: 1)
                done.append(Double(MonotonicClock.now() - sent) / 1e6)
                _ = try third.receive(responses: 1)
                done.append(Double(MonotonicClock.now() - sent) / 1e6)
                // One at a time, in arrival order: the k-th ends at least k × 60 ms after the first was sent.
                for (index, elapsed) in done.enumerated() {
                    #expect(elapsed >= Double(index + 1) * 60 - 1, "reply \(index): \(elapsed) ms")
                }
                #expect(server.stats().succeeded == 3)
            }
        }

        @Test func aRequestPipelinedBehindAStreamIsAnsweredAfterIt() async throws {
            try await Self.withServer(Self.settings(ttft: 20, itl: 5, tokens: 3)) { port, server in
                let socket = try WireSocket(port: port)
                try socket.send(StreamProbe.chatRequest() + FastPathWireTests.post("Connection: close\r\n"))
                let text = try socket.receiveUntilClosed()
                let done = try #require(text.range(of: "data: [DONE]\n\n\r\n0\r\n\r\n"))
                let second = try #require(text.range(of: "HTTP/1.1 200 OK", options: .backwards))
                #expect(done.upperBound <= second.lowerBound, "\(text)")
                #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n") && text.contains("text/event-stream"))
                #expect(try await Self.stats(server) { $0.scheduleLag?.count == 3 }.succeeded == 2)
                // The stream's three writes are counted on /metrics too.
                let metrics = try WireSocket(port: port)
                try metrics.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
                let exposition = try metrics.receive(responses: 1)
                #expect(exposition.contains("tierbench_mock_scheduled_writes_total 3"), "\(exposition)")
                #expect(exposition.contains("tierbench_mock_late_writes_total"))
            }
        }

        @Test func cpuBurnMakesTheMockLateAndTheLagShowsIt() async throws {
            var settings = Self.settings(ttft: 20, itl: 10, tokens: 5)
            settings.cpuBurnPerEvent = .milliseconds(3)
            try await Self.withServer(settings, loops: 1) { port, server in
                // 20 streams × 3 ms of CPU per chunk is 60 ms of work per 10 ms step: the loop falls behind.
                let streams = try StreamProbe.run(
                    port: port, requests: Array(repeating: StreamProbe.chatRequest(), count: 20), timeout: 30)
                #expect(streams.allSatisfy { $0.events.last?.data == "[DONE]" })
                // Overloaded, the loop still sends each stream's chunks as it goes, a tick (at most one chunk per
                // stream, at most ~1 ms of work) at a time with a flush after each — not a whole stream in one burst.
                // The client stamps each chunk with the read that brought it: a stream's 5 writes (role + token,
                // 3 tokens, last token + finish + usage + [DONE]) arrive in more than one read.
                for (index, stream) in streams.enumerated() {
                    let reads = Set(stream.events.map(\.at)).count
                    #expect(reads >= 2, "stream \(index): all \(stream.events.count) events in one read")
                }
                let stats = try await Self.stats(server) { $0.scheduleLag?.count == 100 }
                #expect(stats.scheduleLag?.count == 100)
                #expect(stats.lateWrites > 0, "\(stats)")
                #expect((stats.scheduleLag?.max ?? 0) > 1_000)
            }
        }

        @Test func hummingbirdPathStreamsRecordTheirLagToo() async throws {
            var settings = Self.settings(ttft: 20, itl: 10, tokens: 3)
            // A fault window far in the future: the server injects faults, so streams take Hummingbird's path.
            settings.faults.schedule = [MockFaultWindow(start: .seconds(3_600), duration: .seconds(1), action: .status(503))]
            try await Self.withServer(settings) { port, server in
                let streams = try StreamProbe.run(port: port, requests: [StreamProbe.chatRequest()])
                #expect(streams[0].events.last?.data == "[DONE]")
                #expect((server.stats().scheduleLag?.count ?? 0) >= 1)
            }
        }

        /// The same stream from the fast path and from Hummingbird's path (a server with a fault window far in the
        /// future) is the same sequence of events: n > 1 interleaved, usage, completions with a prompt array.
        @Test(arguments: [
            ("/v1/chat/completions",
             #"{"model":"gpt-4o-mini","stream":true,"n":2,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#),
            ("/v1/completions",
             #"{"model":"gpt-3.5-turbo-instruct","stream":true,"n":2,"prompt":["a","b"],"max_tokens":4}"#),
        ])
        func fastPathStreamsMatchHummingbirdsEventForEvent(path: String, body: String) async throws {
            var settings = Self.settings(ttft: 5, itl: 2, tokens: 4)
            var events: [[String]] = []
            for faults in [false, true] {
                if faults {
                    settings.faults.schedule = [
                        MockFaultWindow(start: .seconds(3_600), duration: .seconds(1), action: .status(503))
                    ]
                }
                try await Self.withServer(settings) { port, _ in
                    let streams = try StreamProbe.run(port: port, requests: [StreamProbe.request(path: path, body: body)])
                    // `created` is the wall-clock second, and the id's random bits come after the fault draw that
                    // only a server with faults makes: the fields that may differ between the two runs.
                    events.append(streams[0].contents.map {
                        $0.replacingOccurrences(of: #""created":[0-9]+"#, with: "", options: .regularExpression)
                            .replacingOccurrences(of: #""id":"[a-z]+-[A-Za-z0-9]+""#, with: "", options: .regularExpression)
                    })
                }
            }
            #expect(events[0].count > 6 && events[0].last == "[DONE]", "\(events[0])")
            let mismatch = zip(events[0], events[1]).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(events[0].count == events[1].count && mismatch == nil,
                    "\(events[0].count) vs \(events[1].count) events; first difference: \(String(describing: mismatch))")
        }

        @Test func dueHeapPopsByDueTimeThenInsertionOrder() {
            final class Probe: TickTask {
                let name: String
                init(_ name: String) { self.name = name }
                func fire(due: UInt64, ticker: StreamTicker) -> UInt64? { nil }
                func connectionClosed() {}
            }
            var heap = DueHeap()
            for (name, due) in [("c", 30), ("a1", 10), ("b", 20), ("a2", 10), ("d", 40)] {
                heap.push(Probe(name), due: UInt64(due))
            }
            #expect(heap.earliest == 10)
            var popped: [String] = []
            while let (task, _) = heap.pop(dueBy: 30) { popped.append((task as? Probe)?.name ?? "?") }
            #expect(popped == ["a1", "a2", "b", "c"])
            #expect(heap.count == 1 && heap.earliest == 40)
        }

        @Test func cpuBurnSettingIsReadAndRangeChecked() throws {
            let scenario = "version: 1\nload: { requests: 10 }\n"
            let parsed = try ScenarioLoader.parse(text: scenario + "mock: { cpu_burn_per_event: 200us }", fileName: "t.yaml")
            #expect(parsed.mock.cpuBurnPerEvent == .microseconds(200))
            #expect(try ScenarioLoader.parse(text: parsed.canonicalJSON.jsonText, fileName: "c.json") == parsed)
            do {
                _ = try ScenarioLoader.parse(text: scenario + "mock: { cpu_burn_per_event: 20ms }", fileName: "t.yaml")
                Issue.record("20ms per event was accepted")
            } catch {
                #expect(error.errors.map(\.keyPath) == ["mock.cpu_burn_per_event"])
                #expect(error.errors.first?.message.contains("between 1ns and 10ms") == true, "\(error)")
            }
            var settings = MockSettings()
            settings.cpuBurnPerEvent = .zero
            #expect(settings.problems().map(\.flagDescription) == ["--cpu-burn-per-event must be between 1ns and 10ms, got 0s"])
        }
    }
}
