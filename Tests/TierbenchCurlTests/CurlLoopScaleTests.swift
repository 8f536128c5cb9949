import Foundation
import Testing
import TierbenchCore
@testable import TierbenchCurl

#if canImport(Glibc)
import Glibc
#endif

/// The epoll loop at scale: many transfers at once, chunk timestamps taken at readiness, loop lag, abort from inside
/// a body callback, wake-ups from other threads.
@Suite("CurlLoop at scale (poll and epoll passes)", .timeLimit(.minutes(2)))
struct CurlLoopScaleTests {
    /// 500 client + 500 server descriptors in this process: raises the soft limit as the engine does, and says
    /// whether it is then high enough (a machine whose hard limit is lower skips the test instead of failing it).
    static var descriptorLimitAllowsFiveHundred: Bool {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur >= 1_200
    }

    @Test(
        "500 concurrent transfers on one loop all complete, twice each",
        .enabled(if: descriptorLimitAllowsFiveHundred, "needs an open-file limit of at least 1,200"),
        arguments: CurlLoopMode.tested)
    func fiveHundredConcurrentTransfersAllComplete(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", body: CurlLoopTests.chatBody)
            let counts = try await runLoop(
                mode: mode, slots: 500, driver: { ClosedLoopDriver(request: request, total: 1_000) }
            ) {
                $0.counts
            }
            #expect(counts.completed == 1_000)
            #expect(counts.succeeded == 1_000)
            #expect(counts.maxConcurrent == 500)
            #expect(counts.bodyBytes == 1_000 * TestServer.chatJSON.utf8.count)
            // Keep-alive: the second round reuses the first round's connections (a few may be re-opened).
            #expect(counts.connectionsOpened >= 500 && counts.connectionsOpened < 1_000)
        }
    }

    @Test(
        "body bytes are stamped when the wait returned, not when the callback ran; the loop lag shows the wait",
        arguments: CurlLoopMode.tested)
    func chunkTimestampsAreTakenAtReadiness(mode: CurlLoopMode) async throws {
        try await TestServer.with { port in
            // Four responses arrive together (each after 150 ms); the driver burns 50 ms in every body callback, so
            // a socket handled after another one in the same pass is handled ≥ 50 ms after the loop learned of it.
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/150", method: "GET")
            let burn: UInt64 = 50_000_000
            let outcome = try await runLoopWithLag(mode: mode,
                slots: 4, driver: { StampDriver(requests: Array(repeating: request, count: 4), burnNanos: burn) },
                extract: { $0.calls })
            try Self.checkStamps(outcome.0, lag: outcome.1, burn: burn)
        }
    }

    /// Ground truth for `chunkTimestampsAreTakenAtReadiness`.
    static func checkStamps(_ calls: [StampCall], lag: DurationHistogram, burn: UInt64) throws {
        try #require(calls.count >= 4)
        var startedAt = UInt64.max
        for call in calls { startedAt = min(startedAt, call.startedAt) }
        for call in calls {
            #expect(call.stamp >= startedAt && call.stamp <= call.enteredAt)
        }
        // Calls sharing a stamp were read in one pass; each after the first waited for the burns before it, so its
        // callback ran ≥ burn × (its position in the pass) after its stamp.
        var passes: [UInt64: [StampCall]] = [:]
        for call in calls { passes[call.stamp, default: []].append(call) }
        var shared = false
        for (_, pass) in passes {
            if pass.count >= 2 { shared = true }
            let ordered = pass.sorted { $0.enteredAt < $1.enteredAt }
            for position in ordered.indices {
                #expect(ordered[position].enteredAt - ordered[position].stamp >= UInt64(position) * burn)
            }
        }
        #expect(shared, "every socket was handled in its own pass: \(calls)")
        // The pass that handled several sockets took ≥ 2 burns after epoll_wait returned: its lag shows it.
        #expect(lag.count >= 1)
        #expect(lag.maxMicros >= 2 * burn / 1_000)
    }

    @Test(
        "a wake-up with nothing due records no loop lag; many wake-ups from several threads are not lost",
        arguments: CurlLoopMode.tested)
    func wakeupsFromOtherThreadsRecordNoLag(mode: CurlLoopMode) async throws {
        let flag = SharedFlag()
        let (wakers, wakerSink) = AsyncStream.makeStream(of: CurlWaker.self)
        async let outcome = runLoopWithLag(mode: mode,
            slots: 1, driver: { IdleDriver(flag: flag) },
            publishWaker: { wakerSink.yield($0); wakerSink.finish() },
            extract: { $0.ticks })
        var iterator = wakers.makeAsyncIterator()
        let waker = try #require(await iterator.next())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<50 { waker.wake() } }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        flag.set()
        waker.wake()
        let result = try await outcome
        #expect(result.0 >= 2)
        #expect(result.1.count == 0)
    }

    @Test(
        "abortAll from inside a body callback completes every transfer as aborted once libcurl returns",
        arguments: CurlLoopMode.tested)
    func abortAllInsideABodyCallback(mode: CurlLoopMode) async throws {
        let port = try RawSockets.holdingServer(holdSeconds: 5)
        let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", body: CurlLoopTests.chatBody)
        var options = CurlLoopOptions()
        options.requestTimeout = .seconds(3)
        let (results, elapsed) = try await runLoop(mode: mode, options: options, slots: 1, driver: { AbortOnBodyDriver(request: request) }) {
            ($0.results, $0.elapsed)
        }
        #expect(results.count == 1)
        #expect(results.first?.errorClass == .other && results.first?.errorMessage == "aborted")
        #expect(elapsed < 2_000_000_000, "aborted after \(elapsed) ns, not at once")
    }
}

/// One body callback: when its transfer started, the stamp the loop passed, and when the callback began.
struct StampCall: Sendable {
    var slot: Int
    var startedAt: UInt64
    var stamp: UInt64
    var enteredAt: UInt64
}

/// Starts one request per slot and burns `burnNanos` of CPU in every body callback.
final class StampDriver: CurlDriver {
    private let requests: [PreparedRequest]
    private let burnNanos: UInt64
    private var started = false
    private var startedAt: UInt64 = 0
    private var completedCount = 0
    private(set) var calls: [StampCall] = []

    init(requests: [PreparedRequest], burnNanos: UInt64) {
        self.requests = requests
        self.burnNanos = burnNanos
    }

    var isFinished: Bool { started && completedCount == requests.count }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if !started {
            started = true
            startedAt = MonotonicClock.now()
            for (slot, request) in requests.enumerated() { loop.start(slot: slot, request: request) }
        }
        return nil
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {}

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        calls.append(StampCall(slot: slot, startedAt: startedAt, stamp: now, enteredAt: MonotonicClock.now()))
        let begin = MonotonicClock.now()
        while MonotonicClock.now() - begin < burnNanos {}
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) { completedCount += 1 }
}

/// Starts one request and calls `abortAll` from its first body callback (inside libcurl).
final class AbortOnBodyDriver: CurlDriver {
    private let request: PreparedRequest
    private var startedAt: UInt64 = 0
    private weak var loop: CurlLoop?
    private(set) var results: [TransferResult] = []
    private(set) var elapsed: UInt64 = 0

    init(request: PreparedRequest) { self.request = request }

    var isFinished: Bool { startedAt > 0 && results.count == 1 }
    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if startedAt == 0 {
            startedAt = now
            self.loop = loop
            loop.start(slot: 0, request: request)
        }
        return nil
    }
    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {}
    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) { loop?.abortAll() }
    func completed(slot: Int, result: TransferResult, now: UInt64) {
        results.append(result)
        elapsed = now - startedAt
    }
}

/// `runLoop`, also returning the loop's lag histogram once `run` returned.
func runLoopWithLag<Driver: CurlDriver & SendableMetatype, Output: Sendable>(
    mode: CurlLoopMode,
    options: CurlLoopOptions = CurlLoopOptions(),
    slots: Int,
    driver makeDriver: @escaping @Sendable () -> Driver,
    publishWaker: @escaping @Sendable (CurlWaker) -> Void = { _ in },
    extract: @escaping @Sendable (Driver) -> Output
) async throws -> (Output, DurationHistogram) {
    try await runLoop(
        mode: mode, options: options, slots: slots, driver: makeDriver, publishWaker: publishWaker,
        extractWithLoop: { driver, loop in (extract(driver), loop.loopLag) })
}
