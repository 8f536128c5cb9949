/// `load.trace`: replay a recorded trace of (timestamp, prompt or prompt_tokens, max_tokens) rows.
public struct TraceSettings: Sendable, Equatable, Codable {
    /// The trace file's format.
    public enum Format: String, Sendable, Equatable, Codable, CaseIterable {
        case jsonl
        case csv
    }

    /// Path of the trace file, resolved against the scenario file's directory.
    public var file: String
    /// The file's format; default from its extension (`.csv` → csv, otherwise jsonl).
    public var format: Format
    /// Replay speed factor > 0: 2 sends twice as fast as recorded; default 1.
    public var speed: Double

    public init(file: String, format: Format, speed: Double = 1) {
        self.file = file
        self.format = format
        self.speed = speed
    }
}
