import Synchronization
import TierbenchCore

/// One-off HTTP requests from async code (validation, tests, polling), on a private ``CurlLoop`` thread.
///
/// `send` never blocks a Swift concurrency thread: it queues the request in a Mutex-protected inbox, wakes the
/// loop and suspends until the loop thread resumes it. Up to `concurrency` transfers run at once; more wait in
/// line. Not for load generation: it allocates per request (headers and body are collected into arrays).
public final class CurlClient: Sendable {
    /// A finished request: the transfer result, the response header lines (CRLF removed) and the body.
    public typealias Response = (TransferResult, headers: [String], body: [UInt8])

    private let inbox: CurlClientInbox

    /// Starts the client's loop thread.
    /// - Parameters:
    ///   - options: protocol, timeouts and connection limit for every request.
    ///   - concurrency: most requests in flight at once (≥ 1).
    public init(options: CurlLoopOptions = CurlLoopOptions(), concurrency: Int = 8) {
        let inbox = CurlClientInbox()
        self.inbox = inbox
        let slots = max(1, concurrency)
        do {
            try CurlThread.detach {
                do throws(CurlError) {
                    let loop = try CurlLoop(options: options, slots: slots)
                    let driver = CurlClientDriver(inbox: inbox, slots: slots)
                    inbox.attach(loop.waker)
                    loop.run(driver: driver)
                    if let failure = loop.failure { inbox.fail(CurlError(code: -1, message: failure)) }
                } catch {
                    inbox.fail(error)
                }
                inbox.detach()
            }
        } catch {
            inbox.fail(error)
        }
    }

    deinit { inbox.shutdown() }

    /// Sends `request` and waits, without blocking a thread, for the whole response.
    ///
    /// Never throws: a failure comes back as a ``TransferResult`` with an error class (after ``shutdown()``:
    /// `.other`, "client shut down").
    public func send(_ request: PreparedRequest) async -> Response {
        await withCheckedContinuation { (continuation: CheckedContinuation<Response, Never>) in
            inbox.submit(request, continuation)
        }
    }

    /// Sends `request` and writes the response body to the open file `fileDescriptor` as it arrives instead of
    /// collecting it (large downloads: the body is never held in memory). The returned body is empty; when a write
    /// fails the transfer ends with error class `.other` and a message naming the write.
    public func send(_ request: PreparedRequest, bodyTo fileDescriptor: Int32) async -> Response {
        await withCheckedContinuation { (continuation: CheckedContinuation<Response, Never>) in
            inbox.submit(request, continuation, sink: fileDescriptor)
        }
    }

    /// Stops the loop thread: in-flight requests complete as aborted, later ones fail at once. Idempotent.
    public func shutdown() { inbox.shutdown() }
}

/// A queued request and the task waiting for it.
struct CurlClientJob: Sendable {
    let request: PreparedRequest
    let continuation: CheckedContinuation<CurlClient.Response, Never>
    /// A file descriptor the body is written to instead of being collected; nil = collect.
    var sink: Int32?
}

/// The hand-over point between `send` callers (any thread) and the client's loop thread.
final class CurlClientInbox: Sendable {
    private struct State {
        var queue: [CurlClientJob] = []
        var waker: CurlWaker?
        var isShutDown = false
        var failure: CurlError?
    }

    private let state = Mutex(State())

    /// Queues a job and wakes the loop, or fails the job at once if the client is shut down or broken.
    func submit(
        _ request: PreparedRequest, _ continuation: CheckedContinuation<CurlClient.Response, Never>, sink: Int32? = nil
    ) {
        let job = CurlClientJob(request: request, continuation: continuation, sink: sink)
        let outcome: (accepted: Bool, waker: CurlWaker?, failure: CurlError?) = state.withLock { state in
            guard !state.isShutDown, state.failure == nil else { return (false, nil, state.failure) }
            state.queue.append(job)
            return (true, state.waker, nil)
        }
        if outcome.accepted {
            outcome.waker?.wake()
        } else {
            continuation.resume(returning: Self.failed(outcome.failure?.description ?? "client shut down"))
        }
    }

    /// Takes every queued job (loop thread) and whether the client is shutting down.
    func take() -> (jobs: [CurlClientJob], isShutDown: Bool) {
        state.withLock { state in
            let jobs = state.queue
            state.queue.removeAll()
            return (jobs, state.isShutDown)
        }
    }

    /// Publishes the loop's waker once the loop exists.
    func attach(_ waker: CurlWaker) {
        state.withLock { $0.waker = waker }
    }

    /// Forgets the waker when the loop thread ends, and fails anything still queued.
    func detach() {
        let jobs = state.withLock { state in
            state.waker = nil
            state.isShutDown = true
            let jobs = state.queue
            state.queue.removeAll()
            return jobs
        }
        for job in jobs { job.continuation.resume(returning: Self.failed("client shut down")) }
    }

    /// Marks the client broken (its loop could not start) and fails everything queued.
    func fail(_ error: CurlError) {
        let jobs = state.withLock { state in
            state.failure = error
            let jobs = state.queue
            state.queue.removeAll()
            return jobs
        }
        for job in jobs { job.continuation.resume(returning: Self.failed(error.description)) }
    }

    func shutdown() {
        let waker = state.withLock { state in
            state.isShutDown = true
            return state.waker
        }
        waker?.wake()
    }

    static func failed(_ message: String) -> CurlClient.Response {
        let result = TransferResult(
            status: 0, curlCode: CurlCode.abortedByCallback, errorClass: .other, errorMessage: message,
            timings: PhaseTimings(), bytesSent: 0, bytesReceived: 0)
        return (result, [], [])
    }
}
