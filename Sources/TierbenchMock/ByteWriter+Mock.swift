import NIOCore
import TierbenchCore

/// What the mock writes through `TierbenchCore.ByteWriter`: ids and Go durations (JSON strings are the core's), straight into a
/// region reserved in a `ByteBuffer` by ``NIOCore/ByteBuffer/writeWithByteWriter(reserving:_:)``.
///
/// `ByteBuffer.writeStaticString` checks capacity, uniqueness and exclusive access on every call; a response is
/// built from about 40 pieces, which made those checks a visible part of the mock's fast path. Through the writer a
/// whole response head or body costs one capacity check.
extension ByteWriter {
    mutating func write(byte: UInt8) { write(byte) }

    mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// Appends the UTF-8 bytes of `text` as they are (no escaping).
    mutating func write(string text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends the decimal digits of `value`.
    mutating func writeDecimal(_ value: Int) { writeInteger(value) }

    /// Appends the decimal digits of `value`.
    mutating func writeDecimal(_ value: UInt64) { writeDigits(value) }

    /// Appends the 16 lowercase hex digits of `value`, least significant first.
    mutating func writeHex16(_ value: UInt64) {
        var value = value
        for _ in 0..<16 {
            write(ByteBufferHex.digits[Int(value & 0xF)])
            value >>= 4
        }
    }

    /// Appends `length` random base-62 characters, as in `chatcmpl-…` ids.
    mutating func writeBase62(_ length: Int, random: inout MockRandom) {
        for _ in 0..<length { write(ByteBufferHex.base62[Int(random.next() % 62)]) }
    }

    /// Appends `GoDuration.format(seconds:)` of `seconds` (at most 26 bytes); under a second (the usual reset)
    /// without a String.
    mutating func writeGoDuration(seconds: Double) {
        let milliseconds = seconds.isFinite && seconds > 0 ? Int64(min(seconds * 1000, 9e15)) : 0
        guard milliseconds > 0, milliseconds < 1000 else {
            write(string: GoDuration.format(milliseconds: milliseconds))
            return
        }
        writeDigits(UInt64(milliseconds))
        write("ms")
    }
}

extension ByteBuffer {
    /// Reserves `bound` bytes, lets `body` write at most that many through a `ByteWriter` and keeps what it wrote.
    /// - Precondition: `body` writes no more than `bound` bytes (a response cut short would be a malformed one).
    mutating func writeWithByteWriter(reserving bound: Int, _ body: (inout ByteWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw in
            let region = raw.bindMemory(to: UInt8.self)
            guard let base = region.baseAddress else { return 0 }
            var writer = ByteWriter(base: base, capacity: min(bound, region.count))
            body(&writer)
            precondition(!writer.overflowed, "the mock reserved \(bound) bytes for a response part that needs more")
            return writer.count
        }
    }
}
