import Hummingbird
import TierbenchCore

/// Writing JSON straight into a `ByteBuffer`, so responses are built without an encoder or intermediate strings.
extension ByteBuffer {
    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    mutating func writeJSONString(_ text: String) {
        writeWithByteWriter(reserving: ByteWriter.jsonStringBound(text)) { $0.writeJSONString(text) }
    }

    /// Appends a quoted JSON string, or `null` when `text` is nil.
    mutating func writeJSONStringOrNull(_ text: String?) {
        if let text { writeJSONString(text) } else { writeStaticString("null") }
    }

    /// Appends the decimal digits of `value` without allocating a String.
    mutating func writeDecimal(_ value: Int) {
        writeWithByteWriter(reserving: 20) { $0.writeDecimal(value) }
    }

    /// Appends the decimal digits of `value` without allocating a String.
    mutating func writeDecimal(_ value: UInt64) {
        writeWithByteWriter(reserving: 20) { $0.writeDecimal(value) }
    }

    /// Appends a float as JSON (shortest round-trip form; non-finite values become 0).
    mutating func writeJSONFloat(_ value: Float) {
        guard value.isFinite else {
            writeInteger(UInt8(ascii: "0"))
            return
        }
        writeString(value.description)
    }

    /// Appends the 16 lowercase hex digits of `value` (least significant first).
    mutating func writeHex16(_ value: UInt64) {
        writeWithByteWriter(reserving: 16) { $0.writeHex16(value) }
    }

    /// Appends `count` random base-62 characters, as in `chatcmpl-…` ids.
    mutating func writeBase62(_ count: Int, random: inout MockRandom) {
        writeWithByteWriter(reserving: count) { $0.writeBase62(count, random: &random) }
    }
}
