import Synchronization
import TierbenchCore
import TierbenchCurl

/// Everything a ``RecordingDriver`` saw, copied out of the loop thread.
struct Recording: Sendable {
    var headers: [[String]]
    var bodies: [[UInt8]]
    var results: [TransferResult?]
    var elapsedNanoseconds: UInt64
}

/// Starts one request per slot at the first tick and records headers, body bytes and results per slot.
/// With `abortAfter`, calls `abortAll()` that many nanoseconds after the start.
final class RecordingDriver: CurlDriver {
    private let requests: [PreparedRequest]
    private var abortAfter: UInt64?
    private var startedAt: UInt64 = 0
    private var started = false
    private var completedCount = 0
    private var headers: [[String]]
    private var bodies: [[UInt8]]
    private var results: [TransferResult?]
    private var finishedAt: UInt64 = 0
    /// With `endAfterBytes`, a slot's transfer is ended (`endTransfer`, from the body callback) once that many body
    /// bytes arrived.
    private let endAfterBytes: Int?
    private weak var loop: CurlLoop?
    let wantsHeaders: Bool

    init(requests: [PreparedRequest], abortAfter: UInt64? = nil, endAfterBytes: Int? = nil, wantsHeaders: Bool = true) {
        self.requests = requests
        self.wantsHeaders = wantsHeaders
        self.abortAfter = abortAfter
        self.endAfterBytes = endAfterBytes
        headers = Array(repeating: [], count: requests.count)
        bodies = Array(repeating: [], count: requests.count)
        results = Array(repeating: nil, count: requests.count)
    }

    var isFinished: Bool { started && completedCount == requests.count }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if !started {
            started = true
            startedAt = now
            self.loop = loop
            for (slot, request) in requests.enumerated() { loop.start(slot: slot, request: request) }
        }
        guard let abortAfter else { return nil }
        if now >= startedAt + abortAfter {
            self.abortAfter = nil
            loop.abortAll()
            return nil
        }
        return startedAt + abortAfter
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {
        headers[slot].append(String(decoding: line, as: UTF8.self))
    }

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        bodies[slot].append(contentsOf: data)
        if let endAfterBytes, bodies[slot].count >= endAfterBytes { loop?.endTransfer(slot: slot) }
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        results[slot] = result
        completedCount += 1
        finishedAt = now
    }

    var recording: Recording {
        Recording(headers: headers, bodies: bodies, results: results, elapsedNanoseconds: finishedAt - startedAt)
    }
}

/// What a ``ClosedLoopDriver`` counted.
struct ClosedLoopCounts: Sendable {
    var completed = 0
    var succeeded = 0
    var connectionsOpened = 0
    var bodyBytes = 0
    var maxConcurrent = 0
}

/// A closed loop: every slot re-issues the same request from its completion callback until `total` were sent.
final class ClosedLoopDriver: CurlDriver {
    private let request: PreparedRequest
    private let total: Int
    private var sent = 0
    private unowned(unsafe) var loop: CurlLoop?
    private(set) var counts = ClosedLoopCounts()

    init(request: PreparedRequest, total: Int) {
        self.request = request
        self.total = total
    }

    var isFinished: Bool { counts.completed == total }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        self.loop = loop
        for slot in 0..<loop.slotCount where sent < total && !loop.isBusy(slot: slot) {
            loop.start(slot: slot, request: request)
            sent += 1
        }
        counts.maxConcurrent = max(counts.maxConcurrent, loop.activeCount)
        return nil
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {}

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {}

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        counts.completed += 1
        if result.succeeded { counts.succeeded += 1 }
        counts.connectionsOpened += result.connectionsOpened
        counts.bodyBytes += result.bytesReceived
        if sent < total, let loop {
            loop.start(slot: slot, request: request)
            sent += 1
        }
    }
}

/// Runs a loop on its own thread (never on a Swift concurrency thread) and returns what `extract` reads from the
/// driver after `run` returned. `publishWaker` receives the loop's waker before `run` starts.
func runLoop<Driver: CurlDriver & SendableMetatype, Output: Sendable>(
    mode: CurlLoopMode,
    options: CurlLoopOptions = CurlLoopOptions(),
    slots: Int,
    driver makeDriver: @escaping @Sendable () -> Driver,
    publishWaker: @escaping @Sendable (CurlWaker) -> Void = { _ in },
    extract: @escaping @Sendable (Driver) -> Output
) async throws -> Output {
    try await runLoop(
        mode: mode, options: options, slots: slots, driver: makeDriver, publishWaker: publishWaker,
        extractWithLoop: { driver, _ in extract(driver) })
}

/// `runLoop` whose `extractWithLoop` also reads the loop (its lag, its passes) once `run` returned.
func runLoop<Driver: CurlDriver & SendableMetatype, Output: Sendable>(
    mode: CurlLoopMode,
    options: CurlLoopOptions = CurlLoopOptions(),
    slots: Int,
    driver makeDriver: @escaping @Sendable () -> Driver,
    publishWaker: @escaping @Sendable (CurlWaker) -> Void = { _ in },
    extractWithLoop: @escaping @Sendable (Driver, CurlLoop) -> Output
) async throws -> Output {
    let outcome: Result<Output, CurlError> = await withCheckedContinuation { continuation in
        do throws(CurlError) {
            try CurlThread.detach {
                do throws(CurlError) {
                    var options = options
                    options.mode = mode
                    let loop = try CurlLoop(options: options, slots: slots)
                    let driver = makeDriver()
                    publishWaker(loop.waker)
                    loop.run(driver: driver)
                    continuation.resume(returning: .success(extractWithLoop(driver, loop)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        } catch {
            continuation.resume(returning: .failure(error))
        }
    }
    return try outcome.get()
}

/// A flag set on one thread and read on another.
final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// A driver that starts nothing and finishes once `flag` is set; measures how long `run` took.
final class IdleDriver: CurlDriver {
    let flag: SharedFlag
    let createdAt = MonotonicClock.now()
    private(set) var ticks = 0

    init(flag: SharedFlag) { self.flag = flag }

    var isFinished: Bool { flag.isSet }
    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        ticks += 1
        return nil
    }
    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {}
    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {}
    func completed(slot: Int, result: TransferResult, now: UInt64) {}
}

extension CurlLoopMode {
    /// The modes every loop test runs in: the default, and the one `http.loop: poll` asks for.
    static let tested: [CurlLoopMode] = [.poll, .epoll]
}
