import Foundation
import Testing
import TierbenchCore
@testable import TierbenchCurl

#if canImport(Glibc)
import Glibc
#endif

/// What one pass of the loop does: a closed-loop worker's next request goes out in the pass that completed the last
/// one, completions end at the read time of their last bytes, and a socket the epoll set refuses fails its transfer.
@Suite("CurlLoop passes", .timeLimit(.minutes(1)))
struct CurlLoopPassTests {
    @Test(
        "a request started from a completion is sent in the same pass: its response is read in the very next one",
        arguments: CurlLoopMode.tested)
    func nextRequestGoesOutInTheCompletingPass(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", body: CurlLoopTests.chatBody)
            let gaps = try await runLoop(
                mode: mode, slots: 1, driver: { PassCountDriver(request: request, total: 30) }
            ) {
                $0.gaps
            }
            // Ground truth: a request started in pass P and sent at once has its response read in P + 1 at the
            // earliest (the loop next waits in epoll_wait for it). Sent only after another epoll_wait (the zero timer
            // left for the next pass), the first response bytes are read in P + 2 or later.
            #expect(gaps.count == 29)
            let immediate = gaps.filter { $0 == 1 }.count
            #expect(immediate * 2 >= gaps.count, "passes from start to response per request: \(gaps)")
        }
    }

    @Test(
        "a completion ends at the read time of its last bytes, not when the loop got round to reporting it",
        arguments: CurlLoopMode.tested)
    func completionEndsAtTheReadTime(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            // Four responses arrive together; every body callback burns 20 ms, so the loop reports the completions
            // of a pass well after epoll_wait returned.
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/100", method: "GET")
            let burn: UInt64 = 20_000_000
            let ends = try await runLoop(mode: mode,
                slots: 4, driver: { EndTimeDriver(requests: Array(repeating: request, count: 4), burnNanos: burn) }
            ) { $0.ends }
            #expect(ends.count == 4)
            var late = 0
            for end in ends {
                // The response ("slept 100 ms", one read) was stamped with the pass's read time: the end is that stamp.
                #expect(end.endTime == end.lastStamp)
                #expect(end.reportedAt >= end.endTime)
                if end.reportedAt - end.endTime >= burn { late += 1 }
            }
            #expect(late >= 1, "every completion was reported less than one burn after its read: \(ends)")
        }
    }

    @Test("the epoll pass is the default; the poll pass runs only when asked for, at any slot count")
    func epollIsTheDefaultMode() throws {
        var options = CurlLoopOptions()
        #expect(try CurlLoop(options: options, slots: 1).usesEpoll)
        options.mode = .poll
        #expect(try !CurlLoop(options: options, slots: 1_000).usesEpoll)
    }

    @Test("a socket the epoll set refuses is remembered as failed, not marked watched")
    func refusedSocketIsRememberedAsFailed() throws {
        let source = try CurlEventSource(capacity: 4)
        // epoll refuses regular files with EPERM.
        try withTemporaryFile("tierbench-epoll") { fd in
            source.watch(fd, 1)  // CURL_POLL_IN
            #expect(source.failedSockets == [fd])
            source.watch(fd, 1)
            #expect(source.failedSockets == [fd], "a socket is listed once")
        }
    }

    @Test("libcurl's own connection socket keeps its epoll entry from one transfer to the next; another socket does not")
    func keptAliveConnectionSocketIsNotReRegistered() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        var other: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &other) == 0)
        defer { (pair + other).forEach { close($0) } }
        let source = try CurlEventSource(capacity: 4)
        source.opened(pair[0])
        for fd in [pair[0], other[0]] {
            source.watch(fd, 1)  // CURL_POLL_IN: the first transfer
            source.watch(fd, 4)  // CURL_POLL_REMOVE: it ended, the connection is kept
        }
        // With the epoll descriptor unusable, any epoll_ctl fails and lists its socket as failed.
        let failed = try withUnusableEpoll(source) {
            source.watch(pair[0], 1)  // the next transfer on the kept connection: no system call
            source.watch(other[0], 1)  // a socket libcurl did not open through the callback: asks the kernel
            return source.failedSockets
        }
        #expect(failed == [other[0]])
    }
}

/// A closed loop on one slot that notes, per request, the pass that started it and the pass that read its first
/// response header.
final class PassCountDriver: CurlDriver {
    private let request: PreparedRequest
    private let total: Int
    private var sent = 0
    private var done = 0
    private var startPass: UInt64 = 0
    private var headerSeen = false
    private var fromCompletion = false
    private unowned(unsafe) var loop: CurlLoop?
    /// Per request started from a completion: header pass − start pass.
    private(set) var gaps: [UInt64] = []

    init(request: PreparedRequest, total: Int) {
        self.request = request
        self.total = total
    }

    var isFinished: Bool { done == total }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        self.loop = loop
        if sent == 0 { begin(loop, fromCompletion: false) }
        return nil
    }

    private func begin(_ loop: CurlLoop, fromCompletion: Bool) {
        startPass = loop.passes
        headerSeen = false
        self.fromCompletion = fromCompletion
        loop.start(slot: 0, request: request)
        sent += 1
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {
        guard !headerSeen, let loop else { return }
        headerSeen = true
        if fromCompletion { gaps.append(loop.passes - startPass) }
    }

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {}

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        done += 1
        if sent < total, let loop { begin(loop, fromCompletion: true) }
    }
}

/// One completion: its end time, the stamp of its last body bytes and when the driver heard of it.
struct EndRecord: Sendable {
    var endTime: UInt64
    var lastStamp: UInt64
    var reportedAt: UInt64
}

/// Starts one request per slot, burns `burnNanos` in every body callback and records each completion's end.
final class EndTimeDriver: CurlDriver {
    private let requests: [PreparedRequest]
    private let burnNanos: UInt64
    private var started = false
    private var lastStamp: [UInt64]
    private(set) var ends: [EndRecord] = []

    init(requests: [PreparedRequest], burnNanos: UInt64) {
        self.requests = requests
        self.burnNanos = burnNanos
        lastStamp = Array(repeating: 0, count: requests.count)
    }

    var isFinished: Bool { started && ends.count == requests.count }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if !started {
            started = true
            for (slot, request) in requests.enumerated() { loop.start(slot: slot, request: request) }
        }
        return nil
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {}

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        lastStamp[slot] = now
        let begin = MonotonicClock.now()
        while MonotonicClock.now() - begin < burnNanos {}
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        ends.append(EndRecord(endTime: result.endTime, lastStamp: lastStamp[slot], reportedAt: now))
    }
}

/// `epoll_wait` failures other than a signal are reported, not treated as a timeout (which would spin).
@Suite("CurlEventSource wait failures")
struct CurlEventSourceWaitTests {
    @Test("an unusable epoll descriptor makes wait return nil with the reason")
    func unusableEpollDescriptorIsReported() throws {
        let source = try CurlEventSource(capacity: 4)
        #expect(source.wait(timeoutMs: 0) == 0)
        // epoll_wait on a regular file answers EINVAL, as for a broken set.
        let (count, failure) = try withUnusableEpoll(source) { (source.wait(timeoutMs: 0), source.waitFailure) }
        #expect(count == nil)
        #expect(failure?.hasPrefix("epoll_wait failed: Invalid argument") == true)
    }
}

/// Runs `body` with a regular file where `source`'s epoll descriptor was, so every epoll call fails, then puts the
/// descriptor back (so the source closes its own).
func withUnusableEpoll<T>(_ source: CurlEventSource, _ body: () throws -> T) throws -> T {
    try withTemporaryFile("tierbench-epfd") { file in
        let saved = dup(source.epollFD)
        try #require(saved >= 0)
        try #require(dup2(file, source.epollFD) == source.epollFD)
        defer {
            _ = dup2(saved, source.epollFD)
            close(saved)
        }
        return try body()
    }
}

/// Runs `body` with the descriptor of a new regular file (`name`-PID in the temporary directory), then closes and
/// removes it.
func withTemporaryFile<T>(_ name: String, _ body: (Int32) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())").path
    let file = open(path, O_CREAT | O_RDWR, 0o600)
    try #require(file >= 0)
    defer {
        close(file)
        unlink(path)
    }
    return try body(file)
}
