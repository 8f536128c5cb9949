/// Watches live samples for the scenario's `alerts:` and reports when one fires.
///
/// A condition holds over a sample's interval (`[elapsed − interval, elapsed]`). It has held for the time since
/// the start of the first interval of an unbroken run of intervals in which it held; the alert fires once that
/// reaches its `for:` duration, and fires again only after the condition has stopped holding in between. A sample
/// without the metric (e.g. no successes, so no p95) breaks the run.
public struct AlertMonitor: Sendable {
    /// An alert that fired.
    public struct Event: Sendable, Hashable {
        public var rule: AlertRule
        /// Seconds since the run's start when it fired.
        public var elapsedSeconds: Double
        /// The metric's value in the sample that fired it.
        public var value: Double

        /// One line for the console, e.g. `alert (abort) at 12.0s: error_rate > 5% held for 10s (now 0.12)`.
        public var message: String {
            "alert (\(rule.action.rawValue)) at \(ProgressLine.seconds(elapsedSeconds)): \(rule.condition.expression)"
                + " held for \(rule.sustain) (now \(ReportNumber.plain(value)))"
        }
    }

    public let rules: [AlertRule]
    /// Per rule: seconds since the run's start when the current unbroken run began, and whether it already fired.
    private var heldSince: [Double?]
    private var fired: [Bool]

    public init(rules: [AlertRule]) {
        self.rules = rules
        heldSince = Array(repeating: nil, count: rules.count)
        fired = Array(repeating: false, count: rules.count)
    }

    /// Feeds one sample; returns the alerts that fire with it.
    public mutating func observe(_ sample: LiveSample) -> [Event] {
        guard !rules.isEmpty else { return [] }
        let figures = sample.jsonValue
        var events: [Event] = []
        for (index, rule) in rules.enumerated() {
            guard let value = figures.metricValue(at: rule.condition.metric)?.metricNumber,
                rule.condition.comparison.holds(value, rule.condition.limit)
            else {
                heldSince[index] = nil
                fired[index] = false
                continue
            }
            let since = heldSince[index] ?? (sample.elapsedSeconds - sample.intervalSeconds)
            heldSince[index] = since
            let held = sample.elapsedSeconds - since
            if !fired[index], held + 1e-9 >= Double(rule.sustain.nanoseconds) / 1e9 {
                fired[index] = true
                events.append(Event(rule: rule, elapsedSeconds: sample.elapsedSeconds, value: value))
            }
        }
        return events
    }
}
