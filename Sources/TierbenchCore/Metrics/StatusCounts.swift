/// Responses counted by HTTP status code. Codes 100…599 live in a fixed array, so counting never allocates;
/// anything else (a non-standard code) goes to a small dictionary. Status 0 (no HTTP response) is not counted.
public struct StatusCounts: Sendable, Hashable {
    private static let firstCode = 100
    private static let codeCount = 500
    private var counts = [Int](repeating: 0, count: StatusCounts.codeCount)
    private var unusual: [Int: Int] = [:]

    public init() {}

    /// Counts one response with `status`; 0 (no response) is ignored.
    @inline(__always)
    public mutating func add(_ status: Int, _ amount: Int = 1) {
        guard status != 0 else { return }
        let slot = status - Self.firstCode
        if slot >= 0 && slot < Self.codeCount {
            counts[slot] &+= amount
        } else {
            unusual[status, default: 0] &+= amount
        }
    }

    /// Responses counted with `status`.
    public subscript(_ status: Int) -> Int {
        let slot = status - Self.firstCode
        return slot >= 0 && slot < Self.codeCount ? counts[slot] : unusual[status, default: 0]
    }

    /// Responses counted over all codes.
    public var total: Int { counts.reduce(0, &+) + unusual.values.reduce(0, &+) }

    /// Adds every count of `other`.
    public mutating func merge(_ other: StatusCounts) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        for (status, amount) in other.unusual { unusual[status, default: 0] &+= amount }
    }

    /// The non-zero counts keyed by the code as text (`"200"`, `"429"`), as summaries write them.
    public var byCode: [String: Int] {
        var result: [String: Int] = [:]
        for (slot, amount) in counts.enumerated() where amount > 0 { result[String(slot + Self.firstCode)] = amount }
        for (status, amount) in unusual where amount > 0 { result[String(status)] = amount }
        return result
    }
}
