import Foundation
import TierbenchCore
import TierbenchCurl
import TierbenchMock

/// Runs one scenario end to end: load it, start the built-in mock when the target is `mock`, send the load on curl
/// threads, and write summary.json and requests.jsonl.
public enum Runner {
    /// Runs `options.scenarioPath`. `stop` lets the caller (the SIGINT handler) end the run early; what was measured
    /// until then is still written.
    public static func run(_ options: RunOptions, interrupt: RunInterrupt = RunInterrupt()) async throws(EngineError)
        -> RunReport
    {
        try initializeCurl()
        let loaded = try ScenarioFile.load(path: options.scenarioPath, overrides: options.overrides)
        return try await run(loaded, options: options, interrupt: interrupt)
    }

    /// Runs an already loaded scenario (the sweep runs each grid point this way).
    static func run(_ loaded: ScenarioFile, options: RunOptions, interrupt: RunInterrupt) async throws(EngineError)
        -> RunReport
    {
        var scenario = loaded.scenario
        // A shard judges nothing: its `alerts:` are shown, but an `action: abort` rule must not stop one shard of
        // the plan (the merged result would lack that shard's stripe). docs/distributed.md.
        let disarmedAlerts = options.shard != nil ? scenario.alerts.filter { $0.action == .abort }.count : 0
        if options.shard != nil {
            scenario.alerts = scenario.alerts.map { rule in
                var shown = rule
                shown.action = .warn
                return shown
            }
        }
        if options.shard != nil, let folder = options.outputDirectory,
            FileManager.default.fileExists(atPath: folder + "/summary.json")
        {
            throw EngineError.runFailed(
                "\(folder) already holds a summary.json (an earlier run's result); a shard writes into an empty "
                    + "folder so that `tierbench merge` cannot mix runs: use a fresh folder per run")
        }
        _ = DescriptorLimit.raised  // before the in-process mock sizes its connection cap from the limit
        // This run's own stop signal, following the caller's interrupt: a point of a sweep stopped early (a hopeless
        // target, an abort threshold or alert) must not stop the points after it.
        let stop = interrupt.signal.child()
        let startGate = options.startAt.map { StartGate(start: $0, tolerance: options.startTolerance) }
        try startGate?.checkNotTooLate()  // before the mock starts: a late shard sends nothing

        var mock: MockServer?
        let baseURL: String
        switch scenario.target {
        case .mock:
            let server = MockServer(settings: scenario.mock)
            do {
                let port = try await server.start()
                baseURL = "http://127.0.0.1:\(port)/v1"
            } catch {
                throw EngineError.mockFailed(String(describing: error))
            }
            mock = server
        case .remote(let remote):
            baseURL = remote.baseURL
        }

        let prices: PriceTable
        let plan: LoadPlan
        let wholePlan: LoadPlan
        do {
            prices = try PriceCatalog.load(path: options.priceFile)
            wholePlan = try LoadPlanBuilder.build(loaded: loaded, baseURL: baseURL, prices: prices)
            var part = try wholePlan.sharded(options.shard?.slice ?? .whole, path: loaded.path)
            part.anchoredSchedule = startGate != nil
            plan = part
            try DescriptorLimit.check(
                connections: plan.slotCount, inProcessMock: mock != nil,
                loopThreads: LoadRunner.loopThreads(plan, requested: options.threads))
        } catch {
            await mock?.stop()
            throw error
        }
        let startedAt = Date()
        let directory = options.outputDirectory ?? ResultWriter.defaultDirectory(
            root: options.resultsRoot, scenarioName: scenario.name, startedAt: startedAt)
        let writer = try ResultWriter(directory: directory)
        let log = options.writeRequestLog ? try RequestLogWriter(path: writer.partialRequestLogPath) : nil
        let sessionLog = plan.sessions != nil ? try RequestLogWriter(path: writer.partialSessionLogPath) : nil

        // A shard judges no gate, `abort_on_fail` included: only the merged result can.
        let abortThresholds = options.abortOnFail && options.shard == nil
            ? scenario.thresholds.filter { $0.abortOnFail && !$0.appliesToSweep }.map(\.threshold) : []
        let live: LiveSession?
        do {
            live = try await LiveSession.start(
                options: options, scenario: scenario, plan: plan, stop: stop,
                feedWanted: !abortThresholds.isEmpty, price: prices.modelPrice(for: scenario.model))
        } catch {
            log?.close()
            sessionLog?.close()
            await mock?.stop()
            throw error
        }
        var monitor: ThresholdMonitor?
        if let feed = live?.feed, !abortThresholds.isEmpty {
            monitor = ThresholdMonitor(
                thresholds: abortThresholds, feed: feed, plannedRequests: plan.requestLimit, stop: stop)
        }
        let watcher = monitor.map { monitor in Task { await monitor.watch() } }
        let result: LoadRunner.Result
        do {
            var runner = LoadRunner(plan: plan, threads: options.threads, stop: stop, log: log)
            runner.burnNanosPerBody = options.burnNanosPerBody
            runner.live = live?.feed
            runner.sessionLog = sessionLog
            runner.startGate = startGate
            result = try await runner.run()
        } catch {
            watcher?.cancel()
            log?.close()
            sessionLog?.close()
            await live?.finish()
            await mock?.stop()
            throw error
        }
        watcher?.cancel()
        let alerts = await live?.stopSampling() ?? []
        log?.close()
        sessionLog?.close()
        let endedAt = Date()
        let mockStats = mock?.stats()
        await mock?.stop()

        let budgetStopped = plan.budget?.stopped ?? false
        var summary = RunSummary.make(
            recorder: result.recorder,
            measuredWindow: MeasuredWindow(warmupEnd: plan.warmupNanos, recorder: result.recorder),
            duration: TimeSpan(nanoseconds: Int64(result.runEnd &- result.runStart)),
            scenario: loaded.scenarioAsRun,
            startedAt: UTCTimestamp.iso8601(unixNanos: Int64(startedAt.timeIntervalSince1970 * 1e9)),
            endedAt: UTCTimestamp.iso8601(unixNanos: Int64(endedAt.timeIntervalSince1970 * 1e9)),
            interrupted: stop.isStopped || budgetStopped,
            generator: GeneratorInfo(
                loadModel: plan.modelName, targetRequestsPerS: plan.targetRate, workers: plan.slotCount,
                threads: plan.sessions != nil ? 1 : options.threads))
        if stop.reason == .hopeless { summary.stoppedEarly = stop.detail }
        summary.applySelfCheck(SelfCheckProbe.measurement(result, mockStats: mockStats))
        if let stats = result.sessions, let settings = scenario.sessions {
            summary.sessions = SessionSummary(stats, slo: settings.slo)
            summary.timeSeries.sessionsActive = stats.activePerBucket(
                bucketSeconds: summary.timeSeries.bucketS, count: summary.timeSeries.requests.count)
        }
        let origin = result.runStartUnixNanos != 0
            ? result.runStartUnixNanos : Int64(startedAt.timeIntervalSince1970 * 1e9)
        if let assignment = options.shard {
            summary.shard = ShardRecord.make(
                assignment: assignment, scenarioAsRun: loaded.scenarioAsRun, whole: wholePlan, part: plan,
                startAt: options.startAt, originUnixNanos: origin,
                firstSendLateness: result.recorder.firstSendLateness, firstSend: result.recorder.firstSend,
                lastSend: result.recorder.lastSend)
        }
        summary.cost = CostSummary(
            recorder: result.recorder, model: scenario.model, table: prices,
            promptsToProcess: scenario.budget.promptsToProcess,
            budget: plan.budget.map {
                CostSummary.Budget(maxUSD: $0.maxUSD, spentUSD: CostSummary.rounded($0.spentUSD), stopped: $0.stopped)
            })
        let json: String
        do {
            json = try writer.writeSummary(summary)
            if log != nil { try writer.commitRequestLog() }
            if sessionLog != nil { try writer.commitSessionLog() }
        } catch {
            await live?.finish()
            throw error
        }
        // The endpoint now serves the final figures, which are the summary's; `--metrics-linger` keeps them up.
        await live?.closeEndpoint(after: options.metricsLinger, unless: interrupt.signal)
        var report = RunReport(
            summary: summary, directory: directory, summaryJSON: json, mockStats: mockStats,
            interrupted: stop.reason == .interrupted, recorder: result.recorder, alerts: alerts)
        report.abortedBy = monitor?.abortedBy
        if let assignment = options.shard {
            report.notes.append("shard \(assignment.slice.description): thresholds are judged by `tierbench merge`")
            if disarmedAlerts > 0 {
                report.notes.append("shard \(assignment.slice.description): \(disarmedAlerts) alert rule"
                    + (disarmedAlerts == 1 ? "" : "s") + " with `action: abort` shown as warnings; a shard never aborts "
                    + "on an alert (only the merged result is judged)")
            }
        } else if result.runStartUnixNanos != 0, let offset = ShardRecord.firstSendOffsetMs(
            startAt: options.startAt, originUnixNanos: origin, firstSend: result.recorder.firstSend)
        {
            report.notes.append("note: first send \(String(format: "%.3f", offset)) ms after --start-at")
        }
        if plan.sessions != nil, options.threads > 1 {
            report.notes.append("note: sessions run on 1 load thread; --threads \(options.threads) does not apply")
        }
        return report
    }
}

extension Runner {
    /// What `options.scenarioPath` would send — requests, tokens, cost — without starting the mock or sending
    /// anything (`tierbench run --dry-run`).
    public static func dryRun(_ options: RunOptions) throws(EngineError) -> String {
        let loaded = try ScenarioFile.load(path: options.scenarioPath, overrides: options.overrides)
        let prices = try PriceCatalog.load(path: options.priceFile)
        let bodies = try LoadPlanBuilder.requestBodies(loaded)
        let estimate = DryRunEstimate(
            scenario: loaded.scenario, bodies: bodies, traceRows: loaded.trace?.records.count, prices: prices)
        let target: String
        switch loaded.scenario.target {
        case .mock: target = "built-in mock"
        case .remote(let remote): target = remote.baseURL
        }
        return estimate.render(target: target)
    }
}

/// Initialises libcurl once for the process.
func initializeCurl() throws(EngineError) {
    do {
        try Curl.globalInit()
    } catch {
        throw EngineError.transport(error.description)
    }
}

/// Lets a caller stop a run that is under way (from a signal handler or a test).
public struct RunInterrupt: Sendable {
    let signal = StopSignal()
    public init() {}
    /// Stops sending, abandons requests in flight and lets the run write what it measured.
    public func interrupt() { signal.stop(.interrupted) }
    /// Whether `interrupt()` was called (e.g. during the wait for `--start-at`, which then sends nothing).
    public var isInterrupted: Bool { signal.isStopped }
}
