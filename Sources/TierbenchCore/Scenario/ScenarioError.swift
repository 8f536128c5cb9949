/// One problem found in a scenario file, located by file, line, column and key path, with the fix.
///
/// Rendered one per line as `quickstart.yaml:12:5: load.max_worker: unknown key; did you mean 'max_workers'?`.
public struct ScenarioError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The scenario file's name as given to the loader (e.g. `scenarios/quickstart.yaml`).
    public var file: String
    /// Line of the offending node, counted from 1 (0 when the problem has no position).
    public var line: Int
    /// Column of the offending node, counted from 1 in Unicode scalars (0 when unknown).
    public var column: Int
    /// Dotted key path, e.g. `load.max_workers` or `prompts.inline[2]`; empty for the whole file.
    public var keyPath: String
    /// What is wrong, e.g. `expected an integer ≥ 1, got 'ten'`.
    public var message: String
    /// How to fix it, e.g. `did you mean 'max_workers'?`; empty when the message says it all.
    public var hint: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String, hint: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: key.path: message; hint`.
    public var description: String {
        var text = file
        if line > 0 {
            text += ":\(line):\(column)"
        }
        text += ": "
        if !keyPath.isEmpty {
            text += keyPath + ": "
        }
        text += message
        if !hint.isEmpty {
            text += "; " + hint
        }
        return text
    }
}

/// Every problem found in one scenario file, in file order. Thrown by `ScenarioLoader.parse`.
public struct ScenarioErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, sorted by line and column; never empty when thrown.
    public var errors: [ScenarioError]

    public init(_ errors: [ScenarioError]) {
        self.errors = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// One problem per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
