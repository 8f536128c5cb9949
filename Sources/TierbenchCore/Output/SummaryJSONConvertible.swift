import Foundation

/// Anything the output formats can read as summary JSON: a decoded `summary.json` (`JSONValue`) or a
/// `RunSummary` straight from the engine. Formats work on the JSON so they also read files written by older
/// or newer tierbench versions.
public protocol SummaryJSONConvertible {
    /// The value as summary.json would hold it.
    /// - Throws: when the value cannot be encoded (an `EncodingError` for non-finite numbers, for example).
    func summaryJSON() throws -> JSONValue
}

extension JSONValue: SummaryJSONConvertible {
    public func summaryJSON() -> JSONValue { self }
}

extension SummaryJSONConvertible where Self: Encodable {
    /// Encodes with `JSONEncoder` and decodes the text as a `JSONValue` (in memory; no files).
    public func summaryJSON() throws -> JSONValue {
        let data = try JSONEncoder().encode(self)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }
}

extension RunSummary: SummaryJSONConvertible {}
