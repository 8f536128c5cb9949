import TierbenchCore

/// Why a command could not do its job, with the process exit code the CLI uses for it.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The scenario (or a file it names) is invalid; the text lists every problem with file, line and fix.
    case invalidScenario(String)
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// A result file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A real target needs an API key in an environment variable that is not set.
    case missingAPIKey(variable: String, scenario: String)
    /// The built-in mock could not start.
    case mockFailed(String)
    /// libcurl could not be set up.
    case transport(String)
    /// `--metrics-port` could not be served.
    case metricsServer(String)
    /// Two results cannot be compared (a run and a sweep, different scenarios, nothing in common).
    case incomparable(base: String, new: String, reason: String)
    /// A run could not finish its job (the text says what happened and what was kept).
    case runFailed(String)

    public var description: String {
        switch self {
        case .invalidScenario(let text):
            return text
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check that the directory exists and is writable, or pass --output DIR."
        case .missingAPIKey(let variable, let scenario):
            return "\(scenario): target.api_key_env names \(variable), which is not set. "
                + "Export it (export \(variable)=sk-...) or use target: mock to run against the built-in mock."
        case .mockFailed(let reason):
            return "the built-in mock could not start: \(reason)"
        case .transport(let reason):
            return "libcurl could not be set up: \(reason)"
        case .metricsServer(let reason):
            return "the metrics endpoint could not start: \(reason)"
        case .incomparable(let base, let new, let reason):
            return "cannot compare \(new) with the baseline \(base): \(reason)"
        case .runFailed(let reason):
            return reason
        }
    }

    /// The documented process exit code (see README "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .invalidScenario, .missingAPIKey: return ExitCodes.scenarioError
        case .cannotRead: return ExitCodes.scenarioError
        case .incomparable: return ExitCodes.usage
        case .cannotWrite, .mockFailed, .transport, .metricsServer, .runFailed: return ExitCodes.runFailed
        }
    }
}

/// The exit codes of every command, documented in the README.
public enum ExitCodes {
    /// Everything ran and every gate passed.
    public static let success: Int32 = 0
    /// The run could not be carried out or produced no successful request.
    public static let runFailed: Int32 = 1
    /// A threshold failed.
    public static let thresholdFailed: Int32 = 2
    /// `compare` (or `--baseline`) found a regression.
    public static let regression: Int32 = 3
    /// The load generator itself was the bottleneck and the scenario asked to fail on that.
    public static let generatorBottleneck: Int32 = 4
    /// Bad command-line usage (unknown flag, bad value): argument-parser's code.
    public static let usage: Int32 = 64
    /// The scenario or a file it names is invalid.
    public static let scenarioError: Int32 = 65
    /// The run was interrupted (SIGINT); what it measured was still written.
    public static let interrupted: Int32 = 130
}
