/// `load.waves`: send `waveSize` requests together, wait for all of them, pause, repeat.
/// The "batching" style that a continuous worker pool replaces; kept to measure what it costs.
public struct WaveSettings: Sendable, Equatable, Codable {
    /// Requests per wave, ≥ 1.
    public var waveSize: Int
    /// Wait between the end of one wave and the start of the next; default 0 s.
    public var pause: TimeSpan

    public init(waveSize: Int, pause: TimeSpan = .zero) {
        self.waveSize = waveSize
        self.pause = pause
    }

    enum CodingKeys: String, CodingKey {
        case waveSize = "wave_size"
        case pause
    }
}
