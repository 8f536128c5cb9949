/// One linear ramp of `load.stages`: over `duration`, move to `target` (like k6's ramping stages).
public struct LoadStage: Sendable, Equatable, Codable {
    /// What a stage ramps.
    public enum Target: Sendable, Equatable, Codable {
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
}
