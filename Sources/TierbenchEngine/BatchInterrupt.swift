import Synchronization

/// A flag that stops a batch run between steps (from a signal handler or a test).
public final class BatchInterrupt: Sendable {
    private let flag = Mutex(false)
    public init() {}
    /// Asks the run to stop after the step under way; the state file is kept.
    public func interrupt() { flag.withLock { $0 = true } }
    /// Whether `interrupt()` was called.
    public var isInterrupted: Bool { flag.withLock { $0 } }
}
