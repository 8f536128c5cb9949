import NIOCore
import TierbenchCore

/// Appends bytes to a region reserved in a `ByteBuffer` by ``NIOCore/ByteBuffer/writeWithByteWriter(reserving:_:)``:
/// one capacity check for a whole response head or body instead of one per piece.
///
/// `ByteBuffer.writeStaticString` checks capacity, uniqueness and exclusive access on every call; a response is
/// built from about 40 pieces, which made those checks a visible part of the mock's fast path. Every write here
/// checks only that it fits in the reserved region (a precondition: overflowing it is a bug in the bound).
struct ByteWriter: ~Copyable {
    private let base: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    private(set) var count = 0

    init(_ base: UnsafeMutableRawBufferPointer) {
        self.base = base
    }

    @inline(__always)
    private mutating func reserve(_ length: Int) -> UnsafeMutableRawPointer {
        precondition(length <= base.count - count, "ByteWriter: the reserved region is too small")
        guard let address = base.baseAddress else { preconditionFailure("ByteWriter: no region reserved") }
        defer { count += length }
        return address + count
    }

    mutating func write(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        guard length > 0 else { return }
        reserve(length).copyMemory(from: text.utf8Start, byteCount: length)
    }

    mutating func write(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
    }

    mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// Appends the UTF-8 bytes of `text` as they are (no escaping).
    mutating func write(string text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func write(byte: UInt8) {
        reserve(1).storeBytes(of: byte, as: UInt8.self)
    }

    /// Appends the decimal digits of `value`.
    mutating func writeDecimal(_ value: Int) {
        if value < 0 { write(byte: UInt8(ascii: "-")) }
        writeDecimal(UInt64(value.magnitude))
    }

    /// Appends the decimal digits of `value`.
    mutating func writeDecimal(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = reserve(digits)
        rest = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            start.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10), toByteOffset: index, as: UInt8.self)
            rest /= 10
        }
    }

    /// Appends the 16 lowercase hex digits of `value`, least significant first (as `ByteBuffer.writeHex16`).
    mutating func writeHex16(_ value: UInt64) {
        let start = reserve(16)
        var value = value
        for index in 0..<16 {
            start.storeBytes(of: ByteBufferHex.digits[Int(value & 0xF)], toByteOffset: index, as: UInt8.self)
            value >>= 4
        }
    }

    /// Appends `length` random base-62 characters (as `ByteBuffer.writeBase62`).
    mutating func writeBase62(_ length: Int, random: inout MockRandom) {
        guard length > 0 else { return }
        let start = reserve(length)
        for index in 0..<length {
            start.storeBytes(of: ByteBufferHex.base62[Int(random.next() % 62)], toByteOffset: index, as: UInt8.self)
        }
    }

    /// Appends `GoDuration.format(seconds:)` of `seconds` (at most 26 bytes).
    mutating func writeGoDuration(seconds: Double) {
        let milliseconds = seconds.isFinite && seconds > 0 ? Int64(min(seconds * 1000, 9e15)) : 0
        guard milliseconds > 0, milliseconds < 1000 else {
            write(string: GoDuration.format(milliseconds: milliseconds))
            return
        }
        writeDecimal(UInt64(milliseconds))
        write("ms")
    }

    /// Appends `text` as a quoted JSON string (at most 2 + 6 × its UTF-8 length bytes).
    mutating func writeJSONString(_ text: String) {
        write(byte: UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case 0x22: write("\\\"")
                case 0x5C: write("\\\\")
                case 0x0A: write("\\n")
                case 0x0D: write("\\r")
                case 0x09: write("\\t")
                case ..<0x20:
                    write("\\u00")
                    write(byte: ByteBufferHex.digits[Int(byte >> 4)])
                    write(byte: ByteBufferHex.digits[Int(byte & 0x0F)])
                default: write(byte: byte)
                }
            }
        }
        write(byte: UInt8(ascii: "\""))
    }

    /// Bytes `writeJSONString(text)` may take at most.
    static func jsonStringBound(_ text: String) -> Int { 2 + 6 * text.utf8.count }
}

extension ByteBuffer {
    /// Reserves `bound` bytes, lets `body` write at most that many through a ``ByteWriter`` and keeps what it wrote.
    mutating func writeWithByteWriter(reserving bound: Int, _ body: (inout ByteWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw in
            var writer = ByteWriter(UnsafeMutableRawBufferPointer(rebasing: raw[..<bound]))
            body(&writer)
            return writer.count
        }
    }
}
