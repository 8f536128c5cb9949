/// A bad shard assignment (`--shard`, `--shards`, `--start-at` or an engine's index variable): the message names the
/// flag or variable, the value and the fix.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
