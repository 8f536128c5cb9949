/// Converts figures measured against a time-compressed mock (`time_scale` k ≥ 1) into real units.
///
/// Under scale k the mock applies a per-minute limit per minute/k and divides latencies by k, so one wall-clock
/// second stands for k real seconds: measured rates are k times the real ones, measured latencies and durations
/// k times shorter. Real rate = measured ÷ k; real latency = measured × k; real duration = measured × k.
/// Fractions (error rates) and totals (cost, tokens) do not change.
public enum SweepTimeScale {
    /// A rate per second measured under `scale`, in real units: `measured / scale`.
    public static func realRate(_ measured: Double, scale: Double) -> Double {
        measured / validScale(scale)
    }

    /// A latency or duration measured under `scale`, in real units: `measured × scale`.
    public static func realDuration(_ measured: Double, scale: Double) -> Double {
        measured * validScale(scale)
    }

    /// Whether `scale` means compressed time (anything but 1).
    public static func isScaled(_ scale: Double) -> Bool { validScale(scale) != 1 }

    /// `figures` measured under `scale`, with every rate, latency and duration in real units.
    public static func realFigures(_ figures: SweepFigures, scale: Double) -> SweepFigures {
        let k = validScale(scale)
        guard k != 1 else { return figures }
        var real = figures
        for keyPath: WritableKeyPath<SweepFigures, Double> in [
            \.requestsPerSecond, \.successfulRequestsPerSecond, \.promptsPerSecond, \.tokensPerSecond,
            \.inputTokensPerSecond, \.outputTokensPerSecond, \.goodputRequestsPerSecond, \.goodputTokensPerSecond,
        ] {
            real[keyPath: keyPath] = figures[keyPath: keyPath] / k
        }
        for keyPath: WritableKeyPath<SweepFigures, Double> in [\.p50Ms, \.p95Ms, \.p99Ms, \.durationSeconds] {
            real[keyPath: keyPath] = figures[keyPath: keyPath] * k
        }
        return real
    }

    /// A scale that is not a finite number ≥ 1 is treated as 1 (the mock rejects such scales anyway).
    private static func validScale(_ scale: Double) -> Double {
        scale.isFinite && scale >= 1 ? scale : 1
    }
}
