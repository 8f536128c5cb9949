import Foundation

/// Reads the error out of a failed response's body. Failures are rare, so this one may use JSONSerialization.
///
/// Accepts OpenAI's envelope `{"error": {"message", "type", "param", "code"}}`, an `error` that is a plain string
/// (`{"error": "..."}`), and the flat form some servers use (`{"object": "error", "message": ..., "type": ...}`).
public enum ErrorBodyParser {
    /// The error in `body`, or nil when the body is not JSON or carries no error message.
    public static func parse(_ body: UnsafeRawBufferPointer) -> APIErrorInfo? {
        guard body.count > 0 else { return nil }
        return parse(Data(body))
    }

    /// The error in `body`; see `parse(_: UnsafeRawBufferPointer)`.
    public static func parse(_ body: [UInt8]) -> APIErrorInfo? {
        body.withUnsafeBytes { parse($0) }
    }

    /// The error in `data`; see `parse(_: UnsafeRawBufferPointer)`.
    public static func parse(_ data: Data) -> APIErrorInfo? {
        guard let root = (try? JSONSerialization.jsonObject(with: data, options: [])) as? [String: Any] else {
            return nil
        }
        if let message = root["error"] as? String {
            return APIErrorInfo(message: message)
        }
        let envelope = root["error"] as? [String: Any] ?? root
        guard let message = text(envelope["message"]) ?? text(envelope["detail"]) else { return nil }
        return APIErrorInfo(
            message: message, type: text(envelope["type"]), code: text(envelope["code"]),
            param: text(envelope["param"]))
    }

    /// A string, or a number rendered as text; nil for null and anything else.
    private static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }
}
