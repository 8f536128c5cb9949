/// Prompts and scenario that cannot make request bodies (e.g. whole-body prompts with batch_size > 1).
public struct RequestBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String

    public init(message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.isEmpty ? message : "\(message); \(hint)" }
}
