/// Compact text forms of mock settings, shared by `tierbench mock` flags and anything else that reads them as strings.
extension LatencyDistribution {
    /// Parses `20ms` (constant), `constant:20ms`, `normal:20ms:5ms` or `lognormal:200ms:50ms` (mean, stddev).
    /// Returns nil for anything else, including a negative or unit-less duration.
    public static func parse(_ text: String) -> LatencyDistribution? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            return TimeSpan.parse(parts[0]).map { .constant($0) }
        case 2 where parts[0] == Kind.constant.rawValue:
            return TimeSpan.parse(parts[1]).map { .constant($0) }
        case 3:
            guard let kind = Kind(rawValue: parts[0]), let mean = TimeSpan.parse(parts[1]),
                let stddev = TimeSpan.parse(parts[2])
            else { return nil }
            return LatencyDistribution(kind: kind, mean: mean, stddev: stddev)
        default:
            return nil
        }
    }
}

extension MockFaultWindow {
    /// Parses `503@60s+30s` (every request gets 503 from t = 60 s for 30 s) or `freeze@10s+5s`.
    public static func parse(_ text: String) -> MockFaultWindow? {
        let actionAndTimes = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard actionAndTimes.count == 2 else { return nil }
        let times = actionAndTimes[1].split(separator: "+", maxSplits: 1).map(String.init)
        guard times.count == 2, let start = TimeSpan.parse(times[0]), let duration = TimeSpan.parse(times[1]) else {
            return nil
        }
        let action: Action
        if actionAndTimes[0] == "freeze" {
            action = .freeze
        } else if let status = Int(actionAndTimes[0]), (100...599).contains(status) {
            action = .status(status)
        } else {
            return nil
        }
        return MockFaultWindow(start: start, duration: duration, action: action)
    }
}
