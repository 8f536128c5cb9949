/// Why a text is not JSON: what was wrong and the byte offset (from 0) where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset + 1)" }
}

extension JSONValue {
    /// Parses one JSON text (strict RFC 8259, object key order kept, integers told from floats).
    public static func parse(_ text: Substring) throws(JSONParseError) -> JSONValue {
        do {
            return try JSONValueParser.parse(String(text))
        } catch {
            throw JSONParseError(message: error.message, offset: error.offset)
        }
    }
}
