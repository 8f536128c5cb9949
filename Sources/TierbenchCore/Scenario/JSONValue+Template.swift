import Foundation

extension JSONValue {
    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value when this is an integer (or a float with an integral value).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    /// Whether any string inside (not keys) contains `{prompt}`.
    var containsPlaceholder: Bool {
        switch self {
        case .string(let text): return text.contains(Scenario.promptPlaceholder)
        case .array(let items): return items.contains { $0.containsPlaceholder }
        case .object(let members): return members.contains { $0.value.containsPlaceholder }
        default: return false
        }
    }

    /// A copy with `{prompt}` replaced by `prompt` in every string (not keys). JSON escaping happens when the
    /// value is written, so quotes, newlines and any Unicode in the prompt are safe.
    func replacingPlaceholder(with prompt: String) -> JSONValue {
        switch self {
        case .string(let text) where text.contains(Scenario.promptPlaceholder):
            return .string(text.replacingOccurrences(of: Scenario.promptPlaceholder, with: prompt))
        case .array(let items):
            return .array(items.map { $0.replacingPlaceholder(with: prompt) })
        case .object(let members):
            return .object(members.map { Member($0.key, $0.value.replacingPlaceholder(with: prompt)) })
        default:
            return self
        }
    }
}
