import Foundation
import TierbenchCore
import TierbenchMock

/// Runs a sweep: every point of the grid (and, with `refine`, the points the knee analysis asks for), each the
/// scenario's load with that point's workers, batch size, rate, tier and model; then analyses the curves and writes
/// sweep.json, sweep.csv and the console table.
///
/// Each finished point is appended to points.jsonl at once, so an interrupted sweep keeps it; `--resume DIR`
/// reloads them and `SweepPlanner` (a pure function of the finished points) asks for exactly what is left.
public enum SweepRunner {
    /// Runs (or resumes) a sweep. `progress` receives one line per point.
    public static func run(
        _ options: SweepOptions, interrupt: RunInterrupt = RunInterrupt(),
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(EngineError) -> SweepOutcome {
        try initializeCurl()
        let loaded = try ScenarioFile.load(
            path: options.scenarioPath, overrides: ScenarioOverrides(duration: options.duration?.description))
        let spec = try SweepSpecResolver.resolve(loaded: loaded, options: options)
        for note in SweepSpecResolver.targetNotes(spec: spec, scenario: loaded.scenario) { progress(note) }
        // Read before anything is written, so a bad --price-file fails as `run` does and leaves no directory.
        let prices = try PriceCatalog.load(path: options.priceFile)
        let directory = options.outputDirectory ?? ResultWriter.defaultDirectory(
            root: options.resultsRoot, scenarioName: loaded.scenario.name + "/sweep", startedAt: Date())
        _ = try ResultWriter(directory: directory)
        try SweepState(options: options).save(directory: directory)

        var points = SweepState.finishedPoints(directory: directory)
        if !points.isEmpty { progress("resuming: \(points.count) finished points kept") }
        let timeScale = loaded.scenario.target.isMock ? loaded.scenario.mock.timeScale : 1
        var interrupted = false
        outer: while true {
            let next = SweepPlanner.next(spec: spec, finished: points.map(\.result))
            if next.isEmpty { break }
            for settings in next {
                let runs = try await runPoint(
                    settings, loaded: loaded, spec: spec, directory: directory, threads: options.threads,
                    prices: prices, priceFile: options.priceFile, interrupt: interrupt)
                guard let runs else {
                    interrupted = true
                    break outer
                }
                let figures = runs.map { SweepTimeScale.realFigures($0.figures, scale: $0.timeScale) }
                guard let result = SweepPointResult(settings: settings, runs: figures) else { continue }
                let point = SweepPoint(result: result, runSummaries: runs.map(\.summaryJSON))
                try SweepState.append(point, directory: directory)
                points.append(point)
                progress(SweepProgressLine.line(for: result, done: points.count))
            }
        }
        let result = SweepResult.build(
            spec: spec, timeScale: timeScale, points: points,
            refinedWorkers: SweepPlanner.refinedWorkers(spec: spec, finished: points.map(\.result)),
            prices: prices.sweepPrices, limits: tierLimits(spec: spec, settings: loaded.scenario.mock))
        let json = try writeOutputs(result, directory: directory)
        return SweepOutcome(result: result, directory: directory, interrupted: interrupted, json: json)
    }

    /// The published limits of every mock tier and model of the sweep (real targets' limits are not known), for
    /// the projection's per-day pacing.
    static func tierLimits(spec: SweepSpec, settings: MockSettings) -> [TierComparison.TierModel: TierLimits] {
        var limits: [TierComparison.TierModel: TierLimits] = [:]
        for tier in spec.tiers {
            guard case .mock(let preset?) = tier.target else { continue }
            for model in spec.models {
                limits[TierComparison.TierModel(tier: tier.label, model: model)] =
                    try? MockTierLimits.limits(preset: preset, model: model, settings: settings)
            }
        }
        return limits
    }

    /// Continues the sweep an interrupted run left in `directory`.
    public static func resume(
        directory: String, interrupt: RunInterrupt = RunInterrupt(), progress: @Sendable (String) -> Void = { _ in }
    ) async throws(EngineError) -> SweepOutcome {
        let state = try SweepState.load(directory: directory)
        return try await run(state.options(directory: directory), interrupt: interrupt, progress: progress)
    }

    /// One measured run of a point.
    private struct PointRun {
        var figures: SweepFigures
        var timeScale: Double
        var summaryJSON: JSONValue
    }

    /// Runs a point `spec.repetitions` times; nil when interrupted (the partial point is discarded).
    /// - Parameters:
    ///   - prices: The sweep's price table, for the point's `cost_usd` (cached prompt tokens at the cached price).
    ///   - priceFile: Its file (nil = built-in), passed to each run so its summary's `cost` uses the same prices.
    private static func runPoint(
        _ settings: SweepPoint.Settings, loaded: ScenarioFile, spec: SweepSpec, directory: String, threads: Int,
        prices: PriceTable, priceFile: String?, interrupt: RunInterrupt
    ) async throws(EngineError) -> [PointRun]? {
        var variant = loaded
        variant.apply(settings)
        var runs: [PointRun] = []
        for repetition in 0..<spec.repetitions {
            var options = RunOptions(scenarioPath: loaded.path)
            options.outputDirectory = "\(directory)/points/\(SweepProgressLine.slug(settings))/run-\(repetition + 1)"
            options.threads = threads
            options.writeRequestLog = false
            options.abortOnFail = false
            options.priceFile = priceFile
            let report = try await Runner.run(variant, options: options, interrupt: interrupt)
            if report.interrupted { return nil }
            let scale = variant.scenario.target.isMock ? variant.scenario.mock.timeScale : 1
            let load = variant.scenario.load
            let figures = SweepFigureExtractor.figures(
                report: report, sloP95: spec.sloP95, batchSize: settings.batchSize, timeScale: scale,
                price: prices.modelPrice(for: settings.model),
                sendingSeconds: load.duration.map { $0.seconds - load.warmup.seconds })
            let summary = (try? JSONDecoder().decode(JSONValue.self, from: Data(report.summaryJSON.utf8))) ?? .null
            runs.append(PointRun(figures: figures, timeScale: scale, summaryJSON: summary))
        }
        return runs
    }

    /// Writes sweep.json and sweep.csv; returns the JSON text.
    private static func writeOutputs(_ result: SweepResult, directory: String) throws(EngineError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(result)
        } catch {
            throw EngineError.cannotWrite(path: directory + "/sweep.json", reason: "cannot encode: \(error)")
        }
        try ResultWriter.writeAtomically(data, to: directory + "/sweep.json")
        try ResultWriter.writeAtomically(Data(SweepReport.csv(result.points).utf8), to: directory + "/sweep.csv")
        return String(decoding: data, as: UTF8.self)
    }
}
