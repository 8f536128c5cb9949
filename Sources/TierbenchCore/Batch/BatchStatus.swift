/// A batch's lifecycle status, spelled as OpenAI's API spells it.
///
/// `validating → in_progress → finalizing → completed`; `validating → failed`; `in_progress → expired` at the end
/// of the completion window; `validating | in_progress | finalizing → cancelling → cancelled`.
public enum BatchStatus: String, Sendable, Codable, CaseIterable {
    case validating
    case failed
    case inProgress = "in_progress"
    case finalizing
    case completed
    case expired
    case cancelling
    case cancelled

    /// Whether the batch can change no more.
    public var isTerminal: Bool {
        switch self {
        case .failed, .completed, .expired, .cancelled: return true
        case .validating, .inProgress, .finalizing, .cancelling: return false
        }
    }

    /// Whether the batch's input tokens count against its model's enqueued-token limit ("tokens from pending batch
    /// jobs are counted against your queue limit").
    public var holdsQueuedTokens: Bool {
        switch self {
        case .validating, .inProgress, .finalizing: return true
        default: return false
        }
    }
}
