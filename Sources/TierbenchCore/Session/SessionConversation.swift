/// The messages of one session, turn by turn: what each turn's request carries in `messages`.
///
/// - `live` history: turn k sends the user messages of turns 1…k−1 each followed by the reply the server really gave,
///   then turn k's user message. A failed turn (skipped under `on_error: skip_turn`) leaves no trace in the history.
/// - `recorded` history: turn k sends the file's transcript up to and including its k-th user message (the recorded
///   assistant messages, not the live replies).
public struct SessionConversation: Sendable, Equatable {
    /// The history sent before the next user message (live), or the whole recorded transcript (recorded).
    public private(set) var history: [SessionMessage]
    private let recorded: Bool

    /// A live conversation starting empty (or with `system` messages first).
    public init(live system: [SessionMessage] = []) {
        history = system
        recorded = false
    }

    /// A conversation replaying `transcript` (system, user and assistant messages in order).
    public init(recorded transcript: [SessionMessage]) {
        history = transcript
        recorded = true
    }

    /// The messages of turn `turn` (from 1) whose user message is `user` (live; ignored when recorded).
    public func messages(turn: Int, user: String) -> [SessionMessage] {
        guard recorded else { return history + [.user(user)] }
        var userSeen = 0
        for (index, message) in history.enumerated() where message.role == "user" {
            userSeen &+= 1
            if userSeen == turn { return Array(history[...index]) }
        }
        return history
    }

    /// Notes the answered turn (live only): its user message and the reply join the history.
    public mutating func answered(user: String, reply: String) {
        guard !recorded else { return }
        history.append(.user(user))
        history.append(.assistant(reply))
    }

    /// The user messages of a recorded transcript, in order.
    public static func userTurns(of transcript: [SessionMessage]) -> [String] {
        transcript.filter { $0.role == "user" }.map(\.content)
    }

    /// `messages` as the JSON array of a chat request.
    public static func json(_ messages: [SessionMessage]) -> JSONValue { .array(messages.map(\.json)) }
}
