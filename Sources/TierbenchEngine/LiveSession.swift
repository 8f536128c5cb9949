import TierbenchCore

/// The live side of one run: the feed the load threads publish to, the monitor that samples it (progress display
/// and `alerts:`) and the optional `--metrics-port` endpoint. Started before the load, finished after it.
struct LiveSession: Sendable {
    let feed: LiveFeed
    private let monitor: Task<[AlertMonitor.Event], Never>?
    private let server: HarnessMetricsServer?

    /// Starts what `options` and the scenario ask for; nil when nothing live is wanted (no progress callback, no
    /// alerts, no metrics port, and `feedWanted` false — e.g. no `abort_on_fail` threshold), so a plain run
    /// publishes nothing.
    static func start(
        options: RunOptions, scenario: Scenario, plan: LoadPlan, stop: StopSignal, feedWanted: Bool = false
    ) async throws(EngineError) -> LiveSession? {
        let wantsMonitor = options.onSample != nil || !scenario.alerts.isEmpty
        guard wantsMonitor || feedWanted || options.metricsPort != nil else { return nil }
        let feed = LiveFeed(threads: options.threads)
        var server: HarnessMetricsServer?
        if let port = options.metricsPort {
            let started = try await HarnessMetricsServer.start(port: port, feed: feed, scenario: scenario.name)
            options.onMetricsListening?(started.port)
            server = started
        }
        var monitor: Task<[AlertMonitor.Event], Never>?
        if wantsMonitor {
            let sampler = LiveSampler(
                durationNanos: plan.durationNanos, requestLimit: plan.requestLimit, warmupNanos: plan.warmupNanos,
                window: LiveMonitor.window)
            let live = LiveMonitor(
                feed: feed, sampler: sampler, rules: scenario.alerts, stop: stop,
                onSample: options.onSample, onAlert: options.onAlert)
            monitor = Task { await live.run() }
        }
        return LiveSession(feed: feed, monitor: monitor, server: server)
    }

    /// Stops sampling and serving; returns the alerts that fired.
    @discardableResult
    func finish() async -> [AlertMonitor.Event] {
        monitor?.cancel()
        let alerts = await monitor?.value ?? []
        await server?.stop()
        return alerts
    }
}
