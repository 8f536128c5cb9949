import Foundation
import TierbenchCore
import TierbenchMock

/// `tierbench batch run`: prepare → upload → create → poll → download → reconcile → summary, in one step, with
/// `batch-state.json` saved after every step so a killed run resumes (`--resume DIR`) without uploading or
/// creating anything twice (docs/batch.md).
public enum BatchWorkflow {
    /// Runs (or, with `options.resumeDirectory`, resumes) the batch job of the scenario at `scenario`.
    ///
    /// A real target's API key is checked before anything is written or sent. The built-in mock (`target: mock`) is
    /// started in this process unless `options.mockBaseURL` names a running one.
    /// - Parameter progress: called with one line per step and per status change (for standard error).
    /// - Returns: the summary (nil when the run stopped early; the state file is kept for `--resume`).
    public static func run(
        scenario: String, options: BatchRunOptions, progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }
    ) async throws(BatchWorkflowError) -> BatchRunResult {
        do { try initializeCurl() } catch { throw .engine(error) }
        let loaded: ScenarioFile
        let prices: PriceTable
        do {
            loaded = try ScenarioFile.load(path: scenario)
            prices = try PriceCatalog.load(path: options.priceFile)
        } catch {
            throw .engine(error)
        }
        let environment = options.environment ?? ProcessInfo.processInfo.environment
        try checkKey(loaded, environment: environment)
        let isMock = loaded.scenario.target.isMock

        let (directory, state, lock) = try openRun(loaded, options: options, prices: prices, progress: progress)
        defer { lock.release() }
        let store = BatchStateStore(directory: directory)
        if options.stopAfter == .prepared || options.interrupt.isInterrupted {
            var result = BatchRunResult(summary: nil, summaryJSON: nil, directory: directory)
            result.interrupted = true
            return result
        }
        if state.finished {
            progress(BatchProgress(message: "the run had finished; rewriting its results from the downloaded files"))
            let target = loaded.scenario.target.resolved(mockBaseURL: options.mockBaseURL ?? "")
            return try finish(state, loaded: loaded, directory: directory, prices: prices,
                              redactor: BatchAPIClient.redactor(target: target, environment: environment))
        }

        var mock: MockServer?
        let baseURL: String
        if isMock, options.mockBaseURL == nil {
            let server = MockServer(settings: loaded.scenario.mock)
            do {
                baseURL = "http://127.0.0.1:\(try await server.start())/v1"
            } catch {
                throw .engine(.mockFailed(String(describing: error)))
            }
            mock = server
        } else {
            baseURL = options.mockBaseURL ?? ""
        }
        let target = loaded.scenario.target.resolved(mockBaseURL: baseURL)
        var client: BatchAPIClient
        do {
            client = try BatchAPIClient(target: target, environment: environment, scenarioPath: loaded.path)
        } catch {
            await mock?.stop()
            throw .engine(error)
        }
        client.retry = options.retryBackoff(mock: isMock)
        var driver = BatchRunDriver(
            state: state, store: store, client: client, options: options, progress: progress,
            queueLimit: Self.queueLimit(state, loaded.scenario, options: options),
            poll: options.pollBackoff(mock: isMock), timeout: options.timeoutSeconds(mock: isMock),
            maxUSD: loaded.scenario.budget.maxUSD)
        let end: BatchRunDriver.End
        do {
            end = try await driver.drive()
        } catch {
            client.shutdown()
            await mock?.stop()
            throw error
        }
        client.shutdown()
        await mock?.stop()
        switch end {
        case .finished:
            return try finish(driver.state, loaded: loaded, directory: directory, prices: prices,
                              redactor: client.redactor)
        case .stopped, .timedOut:
            var result = BatchRunResult(summary: nil, summaryJSON: nil, directory: directory)
            result.interrupted = end == .stopped
            result.timedOut = end == .timedOut
            return result
        }
    }

    /// Fails fast, before any file or network call, when a real target's key variable is unset.
    static func checkKey(_ loaded: ScenarioFile, environment: [String: String]) throws(BatchWorkflowError) {
        guard case .remote(let remote) = loaded.scenario.target, let variable = remote.apiKeyEnv else { return }
        guard let key = environment[variable], !key.isEmpty else {
            throw .engine(.missingAPIKey(variable: variable, scenario: loaded.path))
        }
    }

    /// A new run (input files prepared, budget checked, state saved before any network call) or the resumed one.
    static func openRun(
        _ loaded: ScenarioFile, options: BatchRunOptions, prices: PriceTable,
        progress: @Sendable (BatchProgress) -> Void
    ) throws(BatchWorkflowError) -> (String, BatchRunState, BatchRunLock) {
        let scenario = loaded.scenario
        if let resume = options.resumeDirectory {
            let store = BatchStateStore(directory: resume)
            if !store.exists { _ = try store.load() }  // throws the usage error naming the missing state file
            let lock = try BatchRunLock.acquire(directory: resume)
            let state = try store.load()
            guard state.scenarioName == scenario.name, state.model == scenario.model,
                  state.target == targetLabel(scenario) else {
                throw .usage("\(resume) holds a batch run of scenario '\(state.scenarioName)' (\(state.model) on "
                    + "\(state.target)); resume it with that scenario and target")
            }
            if scenario.target.isMock, options.mockBaseURL == nil, !state.finished,
               state.shards.contains(where: { $0.uploadStarted }) {
                throw .usage("\(resume) was run on the in-process mock, and its files and batches ended with that "
                    + "process; start a new run, or run `tierbench mock` separately and pass --mock-url to runs you "
                    + "may want to resume")
            }
            progress(BatchProgress(message: "resuming run \(state.runID) in \(resume)"))
            return (resume, state, lock)
        }
        let now = Date()
        let directory = options.outputDirectory ?? ResultWriter.defaultDirectory(
            root: options.resultsRoot, scenarioName: scenario.name + "-batch", startedAt: now)
        let store = BatchStateStore(directory: directory)
        let lock = try BatchRunLock.acquire(directory: directory)
        guard !store.exists else {
            throw .usage("\(directory) already holds a batch run; resume it with --resume \(directory), "
                + "or pass another --output")
        }
        let queueLimit = BatchQueueBudget.limit(for: scenario, override: options.queueLimit)
        let prepared = try BatchPrepare.prepare(loaded, directory: directory, lines: options.lines,
                                                queueLimit: queueLimit, prices: prices, enforceBudget: true)
        try BatchPrepare.checkBudget(prepared, loaded: loaded, prices: prices)
        var state = BatchRunState(
            runID: newRunID(), scenarioPath: loaded.path, scenarioName: scenario.name, endpoint: prepared.endpoint,
            model: scenario.model, target: targetLabel(scenario), totalLines: prepared.lines,
            maxRounds: max(0, options.maxRounds),
            startedAt: UTCTimestamp.iso8601(unixNanos: Int64(now.timeIntervalSince1970 * 1e9)),
            startedAtUnix: now.timeIntervalSince1970)
        state.queueLimit = prepared.queueLimit
        for (index, file) in prepared.files.enumerated() {
            state.shards.append(BatchRunState.Shard(
                index: index, round: 0, inputFile: file.name, lineCount: file.shard.lineCount,
                byteCount: file.shard.byteCount, inputTokens: file.shard.inputTokens, estimatedUSD: file.estimatedUSD))
        }
        try store.create(state)
        BatchFileIO.releaseFreedMemory()
        var note = "prepared \(prepared.lines) lines in \(prepared.files.count) file(s) in \(directory)"
        if let limit = prepared.queueLimit { note += " (enqueued-token budget \(limit) per batch)" }
        if let estimate = prepared.estimatedUSD {
            note += String(format: estimate < 0.01 ? ", estimated at most $%.6f" : ", estimated at most $%.4f", estimate)
        }
        progress(BatchProgress(message: note))
        return (directory, state, lock)
    }

    /// The enqueued-token budget the driver keeps to: `--queue-limit` when given, else the one the run was planned
    /// under (kept in the state file, so a resume without the flag does not forget it), else the scenario's.
    static func queueLimit(_ state: BatchRunState, _ scenario: Scenario, options: BatchRunOptions) -> Int? {
        options.queueLimit ?? state.queueLimit ?? BatchQueueBudget.limit(for: scenario)
    }

    /// `tb-` and 24 random hex digits.
    public static func newRunID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "tb-" + (0..<12).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    static func targetLabel(_ scenario: Scenario) -> String {
        switch scenario.target {
        case .mock: return "mock"
        case .remote(let remote): return remote.displayURL
        }
    }

    /// Reconciles every batch's files and writes results.jsonl and summary.json; marks the state finished.
    static func finish(
        _ state: BatchRunState, loaded: ScenarioFile, directory: String, prices: PriceTable, redactor: SecretRedactor
    ) throws(BatchWorkflowError) -> BatchRunResult {
        var state = state
        let (summary, json) = try BatchResults.write(
            state: state, directory: directory, price: prices.modelPrice(for: state.model), priceDate: prices.date,
            maxUSD: loaded.scenario.budget.maxUSD, redactor: redactor)
        state.finished = true
        try BatchStateStore(directory: directory).save(state)
        return BatchRunResult(summary: summary, summaryJSON: json, directory: directory)
    }
}
