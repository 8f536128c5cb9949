import TierbenchCore

/// Why a `tierbench batch` command could not do its job, with its exit code (the same codes as the other commands).
public enum BatchWorkflowError: Error, Sendable, CustomStringConvertible {
    /// A scenario, file or setting problem (exit 65 like `run`), e.g. a missing API key or a bad input line.
    case engine(EngineError)
    /// The batch input failed the local pre-flight check: every problem with its line and fix.
    case invalidInput(String)
    /// An API call failed.
    case api(BatchAPIError)
    /// The estimated cost passes `budget.max_usd`; nothing was submitted.
    case overBudget(estimateUSD: Double, maxUSD: Double)
    /// Bad usage of a command (exit 64), e.g. `--resume` on a folder without a state file.
    case usage(String)
    /// Something the run cannot go on from, with what to do.
    case failed(String)

    public var description: String {
        switch self {
        case .engine(let error): return error.description
        case .invalidInput(let text): return text
        case .api(let error): return error.description
        case .overBudget(let estimate, let maxUSD):
            return String(format: "the batch would cost about $%.4f at batch prices (input tokens and max_tokens), "
                + "more than budget.max_usd $%.4f; nothing was submitted. Raise the budget, lower --lines or max_tokens",
                estimate, maxUSD)
        case .usage(let text): return text
        case .failed(let text): return text
        }
    }

    /// The process exit code: 65 scenario/input problems, 64 usage, 1 anything else.
    public var exitCode: Int32 {
        switch self {
        case .engine(let error): return error.exitCode
        case .invalidInput: return ExitCodes.scenarioError
        case .usage: return ExitCodes.usage
        case .api, .overBudget, .failed: return ExitCodes.runFailed
        }
    }
}
