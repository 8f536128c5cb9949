/// Why a server's Batch or File object cannot be read: the field and what was wrong with it.
public struct BatchDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The object kind (`batch`, `file`).
    public var object: String
    public var field: String
    public var problem: String

    public init(object: String, field: String, problem: String) {
        self.object = object
        self.field = field
        self.problem = problem
    }

    public var description: String { "the server's \(object) object has \(problem) in '\(field)'" }
}

/// Lenient field reading shared by the Batch and File decoders: absent and `null` read as nil, wrong types fail.
struct BatchFieldReader {
    let json: JSONValue
    let object: String

    func required(_ key: String) throws(BatchDecodeError) -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw BatchDecodeError(object: object, field: key, problem: "no value")
        }
        return value
    }

    func string(_ key: String) throws(BatchDecodeError) -> String? {
        switch json[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw BatchDecodeError(object: object, field: key, problem: "a value that is not a string")
        }
    }

    /// A file id: `""` reads as nil, as some servers send it for "no file".
    func fileID(_ key: String) throws(BatchDecodeError) -> String? {
        guard let value = try string(key), !value.isEmpty else { return nil }
        return value
    }

    /// A non-negative integer up to 10^15 (stamps, counts, tokens); anything else is refused, never trapped on.
    func int(_ key: String) throws(BatchDecodeError) -> Int? {
        switch json[key] {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.intValue, number >= 0, number <= 1_000_000_000_000_000 else {
                throw BatchDecodeError(object: object, field: key, problem: "a value that is not a count or a time")
            }
            return number
        }
    }

    func nested(_ key: String) -> BatchFieldReader? {
        guard let value = json[key], case .object = value else { return nil }
        return BatchFieldReader(json: value, object: object)
    }
}
