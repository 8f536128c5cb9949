import TierbenchCore

/// One line of progress for standard error.
public struct BatchProgress: Sendable {
    /// E.g. `batch_abc… in_progress 120/500 (3 failed)`.
    public var message: String
    /// The batch the message is about, as last polled.
    public var batch: BatchObject?
    public init(message: String, batch: BatchObject? = nil) {
        self.message = message
        self.batch = batch
    }
}
