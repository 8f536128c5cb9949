import Foundation
import TierbenchCore
import TierbenchMock

/// `tierbench decide`: runs a scenario's job both ways on the same tier at the same time — synchronous calls at the
/// tier's recommended (or given) workers, and the Batch API — and puts the measurements side by side with the job
/// size from which the batch finishes first (`BatchDecision`, docs/batch.md "Batch or sync?").
///
/// The two sides run concurrently: the Batch API has its own limits (the enqueued-token queue), separate from the
/// synchronous RPM/TPM/RPD, so neither slows the other (each against its own in-process mock for `target: mock`).
public enum DecideRunner {
    /// Retry policy given to a synchronous side whose scenario has none: wait out rate limits (even a day's) as a
    /// careful client does, instead of counting every 429 as a lost prompt.
    static let syncRetry: [(key: String, value: String)] = [("max_attempts", "100"), ("max_server_delay", "24h")]

    public static func run(
        _ options: DecideOptions, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(EngineError) -> DecideOutcome {
        try initializeCurl()
        let loaded = try ScenarioFile.load(path: options.scenarioPath)
        let scenario = loaded.scenario
        let prompts = options.prompts ?? scenario.budget.promptsToProcess
        let perRequest = max(scenario.batchSize, 1)
        let requests = SyncJobModel.ceilingDivide(prompts, perRequest)
        let tier = scenario.target.isMock ? (scenario.mock.tier ?? SweepTier.unlimitedLabel) : "target"
        var limits: TierLimits?
        if scenario.target.isMock {
            do {
                limits = try MockTierLimits.limits(model: scenario.model, settings: scenario.mock)
            } catch {
                throw .invalidScenario("\(loaded.path): mock: \(error)")
            }
        }
        let recommended = try sweepWorkers(directory: options.sweepDirectory, tier: tier, model: scenario.model)
        let workers = options.maxWorkers ?? recommended ?? scenario.load.maxWorkers
        let directory = options.outputDirectory ?? ResultWriter.defaultDirectory(
            root: options.resultsRoot, scenarioName: scenario.name + "-decide", startedAt: Date())
        _ = try ResultWriter(directory: directory)
        progress(
            "decide: \(BatchError.grouped(prompts)) prompts of \(scenario.model) at \(tier), both ways at once: "
                + "sync with \(workers) workers (\(perRequest) a request), and the Batch API")

        var syncOptions = RunOptions(scenarioPath: options.scenarioPath)
        syncOptions.outputDirectory = directory + "/sync"
        syncOptions.requests = requests
        syncOptions.maxWorkers = workers
        syncOptions.duration = options.syncTimeout
        syncOptions.warmup = .zero
        syncOptions.defaultRetry = syncRetry
        syncOptions.writeRequestLog = false
        syncOptions.priceFile = options.priceFile
        syncOptions.threads = options.threads
        var batchOptions = BatchRunOptions()
        batchOptions.outputDirectory = directory + "/batch"
        batchOptions.lines = requests
        batchOptions.priceFile = options.priceFile

        // A side that fails stops the other: no paying for six hours of sync calls when the batch was refused.
        let syncInterrupt = RunInterrupt()
        let batchInterrupt = batchOptions.interrupt
        async let syncRun = runSync(syncOptions, interrupt: syncInterrupt, progress: progress) {
            batchInterrupt.interrupt()
        }
        async let batchRun = runBatch(options.scenarioPath, batchOptions, progress: progress) {
            syncInterrupt.interrupt()
        }
        let (syncResult, batchResult) = await (syncRun, batchRun)
        let report = try syncResult.get()
        let batchSummary = try batchResult.get()

        let timeScale = scenario.target.isMock ? scenario.mock.timeScale : 1
        let syncSide = DecideSides.sync(report.summary, prompts: prompts, workers: workers, perRequest: perRequest,
                                        timeScale: timeScale)
        let batchScale = scenario.target.isMock ? scenario.mock.batch.timeScale ?? scenario.mock.timeScale : 1
        let batchSide = DecideSides.batch(batchSummary, prompts: prompts, perLine: perRequest, timeScale: batchScale)
        let charged = DecideSides.chargedTokensPerRequest(
            report.summary, request: scenario.request, correctsToUsage: scenario.mock.correctToActualUsage)
        let decision = BatchDecision(
            tier: tier, model: scenario.model, prompts: prompts, sync: syncSide, batch: batchSide,
            syncModel: DecideSides.syncModel(
                report.summary, workers: workers, perRequest: perRequest, timeScale: timeScale, limits: limits,
                minuteFill: scenario.mock.initialFill,
                latency: scenario.target.isMock ? scenario.mock.modelLatency[scenario.model] ?? scenario.mock.latency : nil,
                chargedTokensPerRequest: charged),
            batchModel: DecideSides.batchModel(batchSummary, limits: limits),
            promptsPerLine: perRequest)
        var noted = decision
        noted.notes = DecideSides.notes(noted, report: report, timeScale: timeScale)
        let json = try write(noted, directory: directory)
        return DecideOutcome(decision: noted, directory: directory, json: json)
    }

    private static func runSync(
        _ options: RunOptions, interrupt: RunInterrupt, progress: @escaping @Sendable (String) -> Void,
        onFailure: @Sendable () -> Void
    ) async -> Result<RunReport, EngineError> {
        do {
            let report = try await Runner.run(options, interrupt: interrupt)
            progress("decide: sync side done")
            return .success(report)
        } catch {
            onFailure()
            return .failure(error)
        }
    }

    private static func runBatch(
        _ scenario: String, _ options: BatchRunOptions, progress: @escaping @Sendable (String) -> Void,
        onFailure: @Sendable () -> Void
    ) async -> Result<BatchRunSummary, EngineError> {
        let result = await batchResult(scenario, options, progress: progress)
        if case .failure = result { onFailure() }
        return result
    }

    private static func batchResult(
        _ scenario: String, _ options: BatchRunOptions, progress: @escaping @Sendable (String) -> Void
    ) async -> Result<BatchRunSummary, EngineError> {
        do {
            let result = try await BatchWorkflow.run(scenario: scenario, options: options) { step in
                progress("decide: batch: " + step.message)
            }
            guard let summary = result.summary else {
                return .failure(.runFailed("the batch side stopped before its results (state kept in \(result.directory))"))
            }
            return .success(summary)
        } catch {
            if case .engine(let engine) = error { return .failure(engine) }
            return .failure(.runFailed("the batch side failed: \(error)"))
        }
    }

    /// The workers a sweep recommended for `tier` (and `model`), from its sweep.json.
    static func sweepWorkers(directory: String?, tier: String, model: String) throws(EngineError) -> Int? {
        guard let directory else { return nil }
        let path = directory + "/sweep.json"
        let result: SweepResult
        do {
            result = try JSONDecoder().decode(SweepResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        guard let recommendation = result.recommendation[tier] ?? result.recommendation["\(tier)/\(model)"],
            let workers = recommendation.maxWorkers
        else {
            throw .cannotRead(
                path: path,
                reason: "it recommends no workers for tier '\(tier)' (it has: "
                    + result.recommendation.keys.sorted().joined(separator: ", ") + "); pass --max-workers")
        }
        return workers
    }

    private static func write(_ decision: BatchDecision, directory: String) throws(EngineError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data: Data
        do {
            data = try encoder.encode(decision)
        } catch {
            throw .cannotWrite(path: directory + "/decision.json", reason: "\(error)")
        }
        try ResultWriter.writeAtomically(data + Data("\n".utf8), to: directory + "/decision.json")
        return String(decoding: data, as: UTF8.self)
    }
}
