/// A comparison in a threshold expression such as `latency_ms.p95 < 800`.
public enum ThresholdOperator: String, Sendable, Hashable, CaseIterable, Codable {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// The operators in the order the parser tries them: two-character spellings before their prefixes.
    static let parseOrder: [ThresholdOperator] = [
        .lessThanOrEqual, .greaterThanOrEqual, .equal, .notEqual, .lessThan, .greaterThan,
    ]

    /// Whether `actual` satisfies `actual <op> limit`.
    ///
    /// `==` and `!=` compare with a relative tolerance of 1e-9 so values that went through decimal JSON text
    /// (0.1 + 0.2) still compare equal to what was written.
    public func holds(_ actual: Double, _ limit: Double) -> Bool {
        switch self {
        case .lessThan: return actual < limit
        case .lessThanOrEqual: return actual <= limit || Self.nearlyEqual(actual, limit)
        case .greaterThan: return actual > limit
        case .greaterThanOrEqual: return actual >= limit || Self.nearlyEqual(actual, limit)
        case .equal: return Self.nearlyEqual(actual, limit)
        case .notEqual: return !Self.nearlyEqual(actual, limit)
        }
    }

    /// The words for a failure message: `812 is not < 800`.
    public var negatedPhrase: String { "is not \(rawValue)" }

    static func nearlyEqual(_ lhs: Double, _ rhs: Double) -> Bool {
        lhs == rhs || abs(lhs - rhs) <= 1e-9 * max(abs(lhs), abs(rhs))
    }
}
