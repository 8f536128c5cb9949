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

    /// Appends the decimal digits of `value` without allocating a String (one capacity check, not one per digit).
    mutating func writeDecimal(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { raw in
            var rest = value
            for index in stride(from: digits - 1, through: 0, by: -1) {
                raw[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            return digits
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

    /// Appends the 16 lowercase hex digits of `value` (least significant first).
    mutating func writeHex16(_ value: UInt64) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: 16) { raw in
            var value = value
            for index in 0..<16 {
                raw[index] = Self.hexDigits[Int(value & 0xF)]
                value >>= 4
            }
            return 16
        }
    }

    /// Appends `count` random base-62 characters, as in `chatcmpl-…` ids.
    mutating func writeBase62(_ count: Int, random: inout MockRandom) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            for index in 0..<count { raw[index] = ByteBufferHex.base62[Int(random.next() % 62)] }
            return count
        }
    }

    /// Lowercase hex digits as ASCII bytes.
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
