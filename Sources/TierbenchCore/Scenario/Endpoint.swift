/// The OpenAI-compatible endpoint a scenario exercises.
public enum Endpoint: String, Sendable, Hashable, Codable, CaseIterable {
    /// `POST /v1/chat/completions`: one prompt per request (batch_size must be 1).
    case chat
    /// `POST /v1/completions`: `prompt` may be an array, so batch_size prompts go in one request.
    case completions
    /// `POST /v1/embeddings`: `input` may be an array, so batch_size prompts go in one request.
    case embeddings

    /// The path below the base URL, e.g. `/chat/completions` (the base URL ends in `/v1`).
    public var path: String {
        switch self {
        case .chat: return "/chat/completions"
        case .completions: return "/completions"
        case .embeddings: return "/embeddings"
        }
    }

    /// Whether one request can carry several prompts (an array `prompt` or `input`).
    public var acceptsPromptArrays: Bool { self != .chat }
}
