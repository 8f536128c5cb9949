import Foundation
import TierbenchCore

/// How `BatchWorkflow.run` runs a batch job (`tierbench batch run` flags).
public struct BatchRunOptions: Sendable {
    /// A step after which the workflow stops as if killed (tests of resuming): the state file is as the step left it.
    public enum Step: String, Sendable {
        /// Input files written and the state file saved; nothing sent.
        case prepared
        /// The first input file uploaded and recorded.
        case uploaded
        /// The first create request answered, its id NOT recorded (a kill between the request and the state write).
        case createSent
        /// The first batch created and its id recorded.
        case created
        /// The batches polled once.
        case polled
    }

    /// Where results go; nil = `<resultsRoot>/<scenario name>-batch/<UTC time>/`.
    public var outputDirectory: String?
    public var resultsRoot = "results"
    /// Resume the run whose result folder this is (its `batch-state.json`); the scenario must be the same.
    public var resumeDirectory: String?
    /// Lines (requests) of the job; nil = `load.requests`, else one per distinct prompt body.
    public var lines: Int?
    /// Rounds of resubmitting retryable failed lines (expired, HTTP 429/5xx, an enqueued-token-limit failure) as a
    /// new batch with `metadata.parent_batch`. Default 0: nothing is resubmitted unless asked (it costs money).
    public var maxRounds = 0
    /// Enqueued-token budget per batch; nil = the mock tier's `batch_queue` for `target: mock`, none for a real target.
    public var queueLimit: Int?
    /// A price table replacing the built-in one.
    public var priceFile: String?
    /// Waits between polls; nil = 5 s growing ×1.5 to 60 s for a real target, 50 ms to 1 s for the mock.
    public var poll: BatchBackoff?
    /// Waits between retries of one API call; nil = 1 s doubling to 30 s (mock: 20 ms to 0.5 s).
    public var retry: BatchBackoff?
    /// Longest the run waits for its batches (wall clock, seconds); then it stops with the state kept.
    /// nil = 25 hours for a real target (the 24 h window and a margin), 10 minutes for the mock.
    public var timeout: Double?
    /// For `target: mock`: use this already running mock (`http://127.0.0.1:PORT/v1`) instead of starting one in
    /// this process (a run resumed after a kill needs the same mock).
    public var mockBaseURL: String?
    /// Stop after this step as if killed (tests).
    public var stopAfter: Step?
    /// Where the API key is read from; nil = the process environment.
    public var environment: [String: String]?
    /// Stops the run between steps (SIGINT): the state is kept for `--resume`.
    public var interrupt = BatchInterrupt()

    public init() {}

    func pollBackoff(mock: Bool) -> BatchBackoff {
        poll ?? (mock ? BatchBackoff(initial: 0.05, multiplier: 1.5, cap: 1, jitter: 0.3)
            : BatchBackoff(initial: 5, multiplier: 1.5, cap: 60, jitter: 0.3))
    }

    func retryBackoff(mock: Bool) -> BatchBackoff {
        retry ?? (mock ? BatchBackoff(initial: 0.02, cap: 0.5) : BatchBackoff(initial: 1, cap: 30))
    }

    func timeoutSeconds(mock: Bool) -> Double {
        BatchLimits.clampedWait(timeout ?? (mock ? 600 : 25 * 3600))
    }
}
