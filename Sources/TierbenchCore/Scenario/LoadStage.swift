/// One linear ramp of `load.stages`: over `duration`, move to `target` (like k6's ramping stages).
public struct LoadStage: Sendable, Equatable, Codable {
    /// What a stage ramps.
    public enum Target: Sendable, Equatable {
        /// Requests per second (open loop).
        case rate(Double)
        /// Concurrent workers (closed loop).
        case workers(Int)

        /// Whether this ramps the request rate.
        public var isRate: Bool {
            if case .rate = self { return true }
            return false
        }
    }

    /// How long the ramp takes.
    public var duration: TimeSpan
    /// Where the ramp ends.
    public var target: Target

    public init(duration: TimeSpan, target: Target) {
        self.duration = duration
        self.target = target
    }

    private enum CodingKeys: String, CodingKey {
        case duration, rate, workers
    }

    /// Decodes `{ "duration": …, "rate": … }` or `{ "duration": …, "workers": … }`, the scenario file's shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        duration = try container.decode(TimeSpan.self, forKey: .duration)
        if let rate = try container.decodeIfPresent(Double.self, forKey: .rate) {
            target = .rate(rate)
        } else {
            target = .workers(try container.decode(Int.self, forKey: .workers))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(duration, forKey: .duration)
        switch target {
        case .rate(let rate): try container.encode(rate, forKey: .rate)
        case .workers(let workers): try container.encode(workers, forKey: .workers)
        }
    }
}
