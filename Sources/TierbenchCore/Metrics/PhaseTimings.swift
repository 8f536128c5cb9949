/// Where the time of one HTTP transfer went, as libcurl measures it.
///
/// Each field is microseconds from the start of the transfer to the end of that phase (cumulative, like curl's
/// `CURLINFO_*_TIME_T`), so `dns ≤ connect ≤ tls ≤ firstByte ≤ total`. A reused connection has dns = connect = tls = 0.
public struct PhaseTimings: Sendable, Hashable, Codable {
    /// Name resolution finished (µs).
    public var dns: UInt64
    /// TCP connection established (µs).
    public var connect: UInt64
    /// TLS handshake finished (µs); equals `connect` without TLS.
    public var tls: UInt64
    /// First response byte received (µs): time to first byte.
    public var firstByte: UInt64
    /// Transfer finished (µs).
    public var total: UInt64

    public init(dns: UInt64 = 0, connect: UInt64 = 0, tls: UInt64 = 0, firstByte: UInt64 = 0, total: UInt64 = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}
