/// The load logic that runs *on* a ``CurlLoop``'s thread: it starts transfers and receives their bytes and results.
///
/// Every method is called on the loop thread only, from inside ``CurlLoop/run(driver:)``, so a driver needs no
/// locks and may keep plain mutable state. A closed-loop worker re-issues its next request directly from
/// `completed(slot:result:now:)`: no async hop, no allocation.
///
/// Times (`now`, the deadline returned by `tick`) are nanoseconds on ``TierbenchCore/MonotonicClock``.
public protocol CurlDriver: AnyObject {
    /// Starts whatever is due (via `loop.start`) and returns the monotonic time (ns) at which the driver wants to be
    /// ticked again even if nothing completes, or nil to wait for completions and wake-ups only.
    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64?

    /// One response header line of the transfer in `slot`: raw bytes including the CRLF, status line first.
    ///
    /// The buffer is libcurl's and valid only during the call. Called from inside libcurl: the driver may call
    /// `loop.start` and `loop.abortAll` here (they are deferred until libcurl returns), nothing else on the loop.
    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer)

    /// Response body bytes of the transfer in `slot` as they arrive; `now` = monotonic ns (streaming TTFT and
    /// inter-token latency). Same buffer and re-entrancy rules as `receivedHeader`.
    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64)

    /// The transfer in `slot` finished, successfully or not. The slot is already idle during this call, so the
    /// driver may start its next transfer in it right here.
    func completed(slot: Int, result: TransferResult, now: UInt64)

    /// When true the loop stops ticking the driver; `run` returns once no transfer is active.
    var isFinished: Bool { get }

    /// Whether the driver reads response headers at all: when false the loop never calls `receivedHeader` (read
    /// once, when `run` starts). True unless the driver says otherwise.
    var wantsHeaders: Bool { get }
}

extension CurlDriver {
    public var wantsHeaders: Bool { true }
}
