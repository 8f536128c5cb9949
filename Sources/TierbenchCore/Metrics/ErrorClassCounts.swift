/// Failures counted by `ErrorClass` in a fixed array: counting never allocates.
public struct ErrorClassCounts: Sendable, Hashable {
    private var counts = [Int](repeating: 0, count: ErrorClass.allCases.count)

    public init() {}

    /// Adds `amount` failures of `errorClass`.
    @inline(__always)
    public mutating func add(_ errorClass: ErrorClass, _ amount: Int = 1) {
        counts[errorClass.ordinal] &+= amount
    }

    /// Failures counted for `errorClass`.
    public subscript(_ errorClass: ErrorClass) -> Int { counts[errorClass.ordinal] }

    /// Sum over all classes.
    public var total: Int { counts.reduce(0, &+) }

    /// Adds every count of `other`.
    public mutating func merge(_ other: ErrorClassCounts) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
    }

    /// The non-zero counts keyed by the class's stable label (e.g. `"http_429"`).
    public var byLabel: [String: Int] {
        var result: [String: Int] = [:]
        for errorClass in ErrorClass.allCases where self[errorClass] > 0 {
            result[errorClass.rawValue] = self[errorClass]
        }
        return result
    }
}

extension ErrorClass {
    /// Position in `allCases`, computed without allocating (a switch, not an array search).
    @usableFromInline
    var ordinal: Int {
        switch self {
        case .connectionRefused: return 0
        case .dns: return 1
        case .connectTimeout: return 2
        case .timeout: return 3
        case .tls: return 4
        case .connectionReset: return 5
        case .rateLimited: return 6
        case .http4xx: return 7
        case .http5xx: return 8
        case .badResponse: return 9
        case .redirect: return 10
        case .protocolError: return 11
        case .invalidUsage: return 12
        case .other: return 13
        }
    }
}

extension ErrorClass {
    /// The raw value as a static string, for writing log lines without creating a String.
    var label: StaticString {
        switch self {
        case .connectionRefused: return "connection_refused"
        case .dns: return "dns"
        case .connectTimeout: return "connect_timeout"
        case .timeout: return "timeout"
        case .tls: return "tls"
        case .connectionReset: return "connection_reset"
        case .rateLimited: return "http_429"
        case .http4xx: return "http_4xx"
        case .http5xx: return "http_5xx"
        case .badResponse: return "bad_response"
        case .redirect: return "http_3xx"
        case .protocolError: return "protocol_error"
        case .invalidUsage: return "invalid_usage"
        case .other: return "other"
        }
    }
}
