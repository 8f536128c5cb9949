import Hummingbird

/// Writing JSON straight into a `ByteBuffer`, so responses are built without an encoder or intermediate strings.
extension ByteBuffer {
    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    mutating func writeJSONString(_ text: String) {
        writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte == 0x22 || byte == 0x5C || byte < 0x20 else { continue }
                if runStart < index { writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart..<index])) }
                writeEscape(byte)
                runStart = index + 1
            }
            if runStart < utf8.count { writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...])) }
        }
        writeInteger(UInt8(ascii: "\""))
    }

    /// Appends a quoted JSON string, or `null` when `text` is nil.
    mutating func writeJSONStringOrNull(_ text: String?) {
        if let text { writeJSONString(text) } else { writeStaticString("null") }
    }

    private mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case 0x22: writeStaticString("\\\"")
        case 0x5C: writeStaticString("\\\\")
        case 0x0A: writeStaticString("\\n")
        case 0x0D: writeStaticString("\\r")
        case 0x09: writeStaticString("\\t")
        default:
            writeStaticString("\\u00")
            writeInteger(Self.hexDigits[Int(byte >> 4)])
            writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Appends the decimal digits of `value` without allocating a String.
    mutating func writeDecimal(_ value: Int) {
        if value < 0 {
            writeInteger(UInt8(ascii: "-"))
            writeDecimal(UInt64(value.magnitude))
        } else {
            writeDecimal(UInt64(value))
        }
    }

    /// Appends the decimal digits of `value` without allocating a String.
    mutating func writeDecimal(_ value: UInt64) {
        if value < 10 {
            writeInteger(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { writeInteger(raw[index]) }
        }
    }

    /// Appends a float as JSON (shortest round-trip form; non-finite values become 0).
    mutating func writeJSONFloat(_ value: Float) {
        guard value.isFinite else {
            writeInteger(UInt8(ascii: "0"))
            return
        }
        writeString(value.description)
    }

    /// Lowercase hex digits as ASCII bytes.
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
