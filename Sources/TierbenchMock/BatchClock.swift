import Foundation
import Synchronization

/// The virtual clock the mock's Files and Batches APIs stamp and simulate in: unix seconds, possibly compressed.
///
/// `MockServer(settings:batchClock:)` takes one; the default is `ScaledBatchClock` with the batch time scale.
/// Tests inject a `ManualBatchClock` and walk a 24-hour lifecycle in milliseconds, exactly.
public protocol BatchClock: Sendable {
    /// Virtual unix seconds now.
    func now() -> Double
}

/// The real clock compressed by `scale`: `virtual_now = t0 + scale × (real_now − t0)`, t0 = construction time.
public struct ScaledBatchClock: BatchClock {
    public let scale: Double
    private let origin: Double
    private let start: ContinuousClock.Instant

    public init(scale: Double) {
        self.scale = scale
        self.origin = Date().timeIntervalSince1970
        self.start = ContinuousClock.now
    }

    public func now() -> Double {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return origin + scale * seconds
    }
}

/// A clock that moves only when told to (tests).
public final class ManualBatchClock: BatchClock {
    private let time: Mutex<Double>

    /// - Parameter start: the first reading, in unix seconds.
    public init(start: Double = 1_767_225_600) {
        self.time = Mutex(start)
    }

    public func now() -> Double { time.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(_ seconds: Double) { time.withLock { $0 += max(0, seconds) } }

    /// Sets the clock to `seconds` (never backwards).
    public func set(_ seconds: Double) { time.withLock { $0 = max($0, seconds) } }
}
