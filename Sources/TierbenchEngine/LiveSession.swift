import TierbenchCore

/// The live side of one run: the feed the load threads publish to, the monitor that samples it (progress display
/// and `alerts:`) and the optional `--metrics-port` endpoint. Started before the load, finished after it (the endpoint, with
/// `--metrics-linger`, after the summary is written).
struct LiveSession: Sendable {
    let feed: LiveFeed
    private let monitor: Task<[AlertMonitor.Event], Never>?
    private let server: HarnessMetricsServer?

    /// Starts what `options` and the scenario ask for; nil when nothing live is wanted (no progress callback, no
    /// alerts, no metrics port, and `feedWanted` false — e.g. no `abort_on_fail` threshold), so a plain run
    /// publishes nothing.
    static func start(
        options: RunOptions, scenario: Scenario, plan: LoadPlan, stop: StopSignal, feedWanted: Bool = false,
        price: PriceTable.ModelPrice? = nil
    ) async throws(EngineError) -> LiveSession? {
        let wantsMonitor = options.onSample != nil || !scenario.alerts.isEmpty
        guard wantsMonitor || feedWanted || options.metricsPort != nil else { return nil }
        let feed = LiveFeed(threads: options.threads)
        var server: HarnessMetricsServer?
        if let port = options.metricsPort {
            let started = try await HarnessMetricsServer.start(
                host: options.metricsHost, port: port, feed: feed, scenario: scenario.name, price: price)
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
        let alerts = await stopSampling()
        await server?.stop()
        return alerts
    }

    /// Stops sampling (the endpoint keeps serving); returns the alerts that fired.
    func stopSampling() async -> [AlertMonitor.Event] {
        monitor?.cancel()
        return await monitor?.value ?? []
    }

    /// Keeps the endpoint serving the final figures for `linger` (at most `RunOptions.maxMetricsLinger`), or until
    /// `interrupt` stops, then closes it. Without an endpoint it returns at once.
    func closeEndpoint(after linger: TimeSpan, unless interrupt: StopSignal) async {
        guard let server else { return }
        let bounded = min(max(linger.nanoseconds, 0), RunOptions.maxMetricsLinger.nanoseconds)
        let deadline = ContinuousClock.now + .nanoseconds(bounded)
        // Polled in 50 ms steps: bounded by the deadline, and a Ctrl-C ends it within a step.
        while !interrupt.isStopped, ContinuousClock.now < deadline {
            let step = min(deadline - ContinuousClock.now, .milliseconds(50))
            try? await Task.sleep(for: step)
            if Task.isCancelled { break }
        }
        await server.stop()
    }
}
