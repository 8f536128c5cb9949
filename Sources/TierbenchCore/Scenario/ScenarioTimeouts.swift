/// Client-side time limits for each request (`timeouts:` in a scenario).
public struct ScenarioTimeouts: Sendable, Equatable, Codable {
    /// Longest wait for the TCP (and TLS) connection to be established; default 10 s.
    public var connect: TimeSpan
    /// Longest time for the whole request, from send to the last byte; default 60 s.
    public var request: TimeSpan

    public init(connect: TimeSpan = .seconds(10), request: TimeSpan = .seconds(60)) {
        self.connect = connect
        self.request = request
    }
}
