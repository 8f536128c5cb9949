/// One chat message of a conversation.
public struct SessionMessage: Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func user(_ content: String) -> SessionMessage { .init(role: "user", content: content) }
    public static func assistant(_ content: String) -> SessionMessage { .init(role: "assistant", content: content) }

    var json: JSONValue { .object([.init("role", .string(role)), .init("content", .string(content))]) }
}
