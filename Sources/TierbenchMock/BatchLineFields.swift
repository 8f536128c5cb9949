import NIOCore
import TierbenchCore

/// Where the lines of a batch input file are, and what an output line looks like.
enum BatchLineFields {
    /// The `custom_id` of a validated line and the byte range of its `body` within the line.
    static func fields(_ line: UnsafeRawBufferPointer) -> (customID: String, body: Range<Int>)? {
        // A leading UTF-8 byte order mark (line 1) is skipped, as the validator does.
        // At most one: a second mark is not JSON, so such a line is unreadable (no recursion, however many).
        let skip = line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF ? 3 : 0
        var reader = JSONReader(UnsafeRawBufferPointer(rebasing: line[skip...]))
        var customID: String?
        var body: Range<Int>?
        do throws(MockAPIError) {
            try reader.forEachMember { reader, key throws(MockAPIError) in
                if key.matches("custom_id"), try reader.peekKind() == .string {
                    customID = try reader.readString()
                } else if key.matches("body") {
                    let start = reader.valueStart()
                    try reader.skipValue()
                    body = start..<reader.offset
                } else {
                    try reader.skipValue()
                }
            }
        } catch {
            return nil
        }
        guard let customID, let body else { return nil }
        return (customID, (body.lowerBound + skip)..<(body.upperBound + skip))
    }

    /// Whether a line may be a JSON object: its first byte after blanks (and one byte order mark) is `{`, or it is
    /// blank (the validator skips blank lines). Anything else is an invalid_json_line without parsing.
    static func mayBeObject(_ line: UnsafeRawBufferPointer) -> Bool {
        var index = line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF ? 3 : 0
        while index < line.count {
            switch line[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "{"): return true
            default: return false
            }
        }
        return true
    }

    /// The first line's `body.model`, for the 413 of a file that is too large (nil when unreadable).
    static func firstModel(_ content: ByteBuffer) -> String? {
        content.withUnsafeReadableBytes { bytes -> String? in
            let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[0..<min(end, 1 << 20)])
            guard let (_, body) = fields(line) else { return nil }
            var reader = JSONReader(UnsafeRawBufferPointer(rebasing: line[body]))
            var model: String?
            do throws(MockAPIError) {
                try reader.forEachMember { reader, key throws(MockAPIError) in
                    if key.matches("model"), try reader.peekKind() == .string {
                        model = try reader.readString()
                    } else {
                        try reader.skipValue()
                    }
                }
            } catch {
                return nil
            }
            return model
        }
    }

    /// Appends one output/error line: `{"id":"batch_req_…","custom_id":…,"response":{"status_code":…,
    /// "request_id":…,"body":…},"error":null}` and a newline (openai-api.md §5.6).
    static func writeResponse(
        into buffer: inout ByteBuffer, id: String, customID: String, status: Int, requestID: String, body: ByteBuffer
    ) {
        buffer.writeStaticString("{\"id\":\"")
        buffer.writeString(id)
        buffer.writeStaticString("\",\"custom_id\":")
        buffer.writeJSONString(customID)
        buffer.writeStaticString(",\"response\":{\"status_code\":")
        buffer.writeDecimal(status)
        buffer.writeStaticString(",\"request_id\":\"")
        buffer.writeString(requestID)
        buffer.writeStaticString("\",\"body\":")
        var body = body
        buffer.writeBuffer(&body)
        buffer.writeStaticString("},\"error\":null}\n")
    }

    /// Appends an error line without a response: `{"id":…,"custom_id":…,"response":null,"error":{"code":…,
    /// "message":…}}` and a newline (e.g. `batch_expired`).
    static func writeError(into buffer: inout ByteBuffer, id: String, customID: String, code: String, message: String) {
        buffer.writeStaticString("{\"id\":\"")
        buffer.writeString(id)
        buffer.writeStaticString("\",\"custom_id\":")
        buffer.writeJSONString(customID)
        buffer.writeStaticString(",\"response\":null,\"error\":{\"code\":")
        buffer.writeJSONString(code)
        buffer.writeStaticString(",\"message\":")
        buffer.writeJSONString(message)
        buffer.writeStaticString("}}\n")
    }
}
