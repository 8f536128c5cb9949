import Foundation
import Testing
import TierbenchCore
@testable import TierbenchCurl

@Suite("CurlLoop against a local server", .timeLimit(.minutes(2)))
struct CurlLoopTests {
    static let chatBody = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#.utf8)

    @Test(arguments: CurlLoopMode.tested)
    func statusHeadersAndBodyArriveIntact(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", headers: [("Authorization", "Bearer x")],
                body: Self.chatBody)
            let recording = try await runLoop(mode: mode, slots: 1, driver: { RecordingDriver(requests: [request]) }) {
                $0.recording
            }
            let result = try #require(recording.results[0])
            #expect(result.status == 200)
            #expect(result.errorClass == nil && result.errorMessage == nil && result.curlCode == 0)
            #expect(String(decoding: recording.bodies[0], as: UTF8.self) == TestServer.chatJSON)
            #expect(result.bytesReceived == TestServer.chatJSON.utf8.count)
            #expect(result.bytesSent == Self.chatBody.count)
            let headers = recording.headers[0]
            #expect(headers.first?.hasPrefix("HTTP/1.1 200") == true)
            #expect(headers.allSatisfy { $0.hasSuffix("\r\n") })
            #expect(headers.contains { $0.lowercased() == "x-body-bytes: \(Self.chatBody.count)\r\n" })
            #expect(headers.contains { $0.lowercased().hasPrefix("content-type: application/json") })
        }
    }

    @Test("a driver that wants no headers is never called with one; status and body are unchanged",
          arguments: CurlLoopMode.tested)
    func headersAreSkippedForADriverThatWantsNone(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Self.chatBody)
            let recording = try await runLoop(mode: mode, slots: 1, driver: {
                RecordingDriver(requests: [request], wantsHeaders: false)
            }) { $0.recording }
            let result = try #require(recording.results[0])
            #expect(result.status == 200 && result.errorClass == nil)
            #expect(String(decoding: recording.bodies[0], as: UTF8.self) == TestServer.chatJSON)
            #expect(recording.headers[0].isEmpty)
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func endTransferCompletesAHeldBodyAsASuccess(mode: CurlLoopMode) async throws {
        let port = try RawSockets.holdingServer(holdSeconds: 5)
        let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Self.chatBody)
        var options = CurlLoopOptions()
        options.requestTimeout = .seconds(3)
        let recording = try await runLoop(mode: mode, options: options, slots: 1, driver: {
            RecordingDriver(requests: [request], endAfterBytes: 10)
        }) { $0.recording }
        let result = try #require(recording.results[0])
        #expect(result.status == 200)
        #expect(result.curlCode == 0 && result.errorClass == nil && result.errorMessage == nil)
        #expect(recording.bodies[0] == Array("0123456789".utf8))
        // Ended at once, not by the 3 s request timeout nor the server's 5 s hold.
        #expect(recording.elapsedNanoseconds < 2_000_000_000)
    }

    @Test(arguments: CurlLoopMode.tested)
    func timingsAreMonotoneAndMatchTheServerDelay(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/200", method: "GET")
            let recording = try await runLoop(mode: mode, slots: 1, driver: { RecordingDriver(requests: [request]) }) {
                $0.recording
            }
            let result = try #require(recording.results[0])
            #expect(result.status == 200)
            let t = result.timings
            #expect(t.dns <= t.connect && t.connect <= t.tls && t.tls <= t.firstByte && t.firstByte <= t.total)
            #expect(t.connect > 0, "a first request opens a connection")
            #expect(result.connectionsOpened == 1)
            #expect(t.total >= 200_000 && t.total < 400_000, "total \(t.total) µs for a 200 ms route")
            #expect(t.firstByte >= 200_000)
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func closedLoopCompletesExactlyTheRequestedCountOnReusedConnections(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Self.chatBody)
            let counts = try await runLoop(mode: mode,
                slots: 8, driver: { ClosedLoopDriver(request: request, total: 500) }, extract: { $0.counts })
            #expect(counts.completed == 500)
            #expect(counts.succeeded == 500)
            #expect(counts.bodyBytes == 500 * TestServer.chatJSON.utf8.count)
            #expect(counts.maxConcurrent == 8)
            #expect(counts.connectionsOpened >= 1 && counts.connectionsOpened <= 8, "\(counts.connectionsOpened)")
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func refusedConnectionIsClassified(mode: CurlLoopMode) async throws {
        let port = try RawSockets.closedPort()
        let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Self.chatBody)
        let recording = try await runLoop(mode: mode, slots: 1, driver: { RecordingDriver(requests: [request]) }) {
            $0.recording
        }
        let result = try #require(recording.results[0])
        #expect(result.errorClass == .connectionRefused)
        #expect(result.status == 0)
        #expect(result.curlCode == CurlCode.couldntConnect)
        #expect(result.errorMessage?.isEmpty == false)
    }

    @Test(arguments: CurlLoopMode.tested)
    func slowResponseTimesOut(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            var options = CurlLoopOptions()
            options.requestTimeout = .milliseconds(300)
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/1500", method: "GET")
            let recording = try await runLoop(mode: mode,
                options: options, slots: 1, driver: { RecordingDriver(requests: [request]) }, extract: { $0.recording })
            let result = try #require(recording.results[0])
            #expect(result.errorClass == .timeout)
            #expect(result.curlCode == CurlCode.operationTimedOut)
            #expect(recording.elapsedNanoseconds < 1_000_000_000)
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func truncatedBodyIsAConnectionReset(mode: CurlLoopMode) async throws {
        let port = try RawSockets.truncatingServer(connections: 1)
        let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/", method: "GET")
        let recording = try await runLoop(mode: mode, slots: 1, driver: { RecordingDriver(requests: [request]) }) {
            $0.recording
        }
        let result = try #require(recording.results[0])
        #expect(result.errorClass == .connectionReset)
        #expect(result.status == 200)
        #expect(result.bytesReceived == 10)
        #expect(recording.headers[0].contains("X-Test: truncated\r\n"))
    }

    @Test(arguments: [(404, ErrorClass.http4xx), (429, .rateLimited), (500, .http5xx), (503, .http5xx)])
    func httpErrorsAreClassified(status: Int, expected: ErrorClass) async throws {
        // Classification does not depend on the loop's mode: alternate them.
        let mode: CurlLoopMode = status % 2 == 0 ? .poll : .epoll
        try await TestServer.with { port in
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/status/\(status)", method: "GET")
            let recording = try await runLoop(mode: mode, slots: 1, driver: { RecordingDriver(requests: [request]) }) {
                $0.recording
            }
            let result = try #require(recording.results[0])
            #expect(result.status == status)
            #expect(result.curlCode == 0)
            #expect(result.errorClass == expected)
            #expect(result.errorMessage == "HTTP \(status)")
            #expect(String(decoding: recording.bodies[0], as: UTF8.self).contains("status \(status)"))
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func abortAllCompletesEveryActiveTransfer(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/1000", method: "GET")
            let recording = try await runLoop(mode: mode,
                slots: 3, driver: { RecordingDriver(requests: [request, request, request], abortAfter: 100_000_000) },
                extract: { $0.recording })
            #expect(recording.results.count == 3)
            for result in recording.results {
                #expect(result?.errorClass == .other)
                #expect(result?.errorMessage == "aborted")
            }
            #expect(recording.elapsedNanoseconds < 600_000_000, "abort took \(recording.elapsedNanoseconds) ns")
        }
    }

    @Test(arguments: CurlLoopMode.tested)
    func wakerInterruptsAnIdlePoll(mode: CurlLoopMode) async throws {
        let flag = SharedFlag()
        let (wakers, wakerSink) = AsyncStream.makeStream(of: CurlWaker.self)
        async let outcome = runLoop(mode: mode,
            slots: 1, driver: { IdleDriver(flag: flag) },
            publishWaker: { wakerSink.yield($0); wakerSink.finish() },
            extract: { (MonotonicClock.now() - $0.createdAt, $0.ticks) })
        var iterator = wakers.makeAsyncIterator()
        let waker = try #require(await iterator.next())
        try await Task.sleep(for: .milliseconds(100))
        flag.set()
        let wokenAt = MonotonicClock.now()
        waker.wake()
        let (_, ticks) = try await outcome
        let latency = MonotonicClock.now() - wokenAt
        #expect(latency < 500_000_000, "the loop noticed the wake-up after \(latency) ns (idle poll lasts 1 s)")
        #expect(ticks >= 1)
    }
}
