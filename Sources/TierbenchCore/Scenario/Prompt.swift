/// One prompt: text to put where the template says `{prompt}`, or a whole request body from a JSONL file.
public enum Prompt: Sendable, Equatable, Hashable {
    /// Prompt text, substituted for `{prompt}` (or carried in the `prompt`/`input` array).
    case text(String)
    /// A whole request body (a JSON object with `messages`, `prompt` or `input`), sent one per request over the
    /// scenario's template; `model` and streaming still come from the scenario.
    case body(JSONValue)
}

extension Prompt {
    /// Whether this is a whole request body (which cannot be batched with others).
    public var isBody: Bool {
        if case .body = self { return true }
        return false
    }
}
