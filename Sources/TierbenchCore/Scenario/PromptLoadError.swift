/// A prompt source that could not be read: the file, the line when known, and the fix.
public struct PromptLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scenario key naming the source, e.g. `prompts.jsonl`.
    public var keyPath: String
    /// The prompt file's resolved path.
    public var file: String
    /// Line in the prompt file, counted from 1; nil for problems with the whole file.
    public var line: Int?
    /// What is wrong.
    public var message: String
    /// How to fix it; may be empty.
    public var hint: String

    public init(keyPath: String, file: String, line: Int? = nil, message: String, hint: String = "") {
        self.keyPath = keyPath
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
    }

    /// `data.jsonl:3: prompts.jsonl: not valid JSON (…); hint`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": \(keyPath): \(message)"
        if !hint.isEmpty { text += "; \(hint)" }
        return text
    }
}
