import TierbenchCore

/// Samples the live feed four times a second while a run is under way: hands each sample to the progress display,
/// checks `alerts:`, and stops the run when an alert with `action: abort` fires.
struct LiveMonitor: Sendable {
    /// Time between samples (ns): at most four redraws a second.
    static let sampleIntervalNanos: UInt64 = 250_000_000
    /// Samples an interval figure spans: four, so rates and interval percentiles cover about one second.
    static let window = 4

    let feed: LiveFeed
    let sampler: LiveSampler
    let rules: [AlertRule]
    let stop: StopSignal
    /// Called with every sample (from a concurrency thread; keep it short).
    let onSample: (@Sendable (LiveSample) -> Void)?
    /// Called when an alert fires.
    let onAlert: (@Sendable (AlertMonitor.Event) -> Void)?

    /// Samples until cancelled; returns the alerts that fired.
    func run() async -> [AlertMonitor.Event] {
        var sampler = sampler
        var alerts = AlertMonitor(rules: rules)
        var fired: [AlertMonitor.Event] = []
        while !Task.isCancelled {
            do {
                try await Task.sleep(nanoseconds: Self.sampleIntervalNanos)
            } catch {
                break
            }
            guard let runStart = feed.runStart else { continue }
            let sample = sampler.sample(feed.merged(), elapsedNanos: MonotonicClock.now() &- runStart)
            onSample?(sample)
            for event in alerts.observe(sample) {
                fired.append(event)
                onAlert?(event)
                if event.rule.action == .abort { stop.stop(.aborted) }
            }
        }
        return fired
    }
}
