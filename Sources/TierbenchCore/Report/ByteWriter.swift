/// Writes bytes into a fixed region with plain pointer stores, for text built on a hot path (request-log lines,
/// timestamps, the mock's responses). Callers size the region for the longest text they write; writes past
/// `capacity` are dropped rather than overrunning it, and `overflowed` says so.
public struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0
    /// Some write did not fit and was dropped (the region was sized too small).
    public private(set) var overflowed = false

    /// A writer over `capacity` bytes at `base`, which must stay valid while the writer is used.
    public init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Runs `body` with a writer over `capacity` bytes of stack scratch, then appends what it wrote to `buffer`.
    static func append(to buffer: inout [UInt8], capacity: Int, _ body: (inout ByteWriter) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { scratch in
            guard let base = scratch.baseAddress else { return }
            var writer = ByteWriter(base: base, capacity: scratch.count)
            body(&writer)
            buffer.append(contentsOf: UnsafeBufferPointer(start: writer.base, count: writer.count))
        }
    }

    @inline(__always)
    public mutating func write(_ byte: UInt8) {
        guard count < capacity else { return overflow() }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func write(_ literal: StaticString) {
        write(bytes: UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Writes `bytes` as they are.
    @inline(__always)
    public mutating func write(bytes: UnsafeRawBufferPointer) {
        let length = min(bytes.count, capacity - count)
        if length < bytes.count { overflow() }
        guard length > 0, let source = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: length)
        count += length
    }

    /// Writes `value` in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    public mutating func writeDigits(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var scan = value
        while scan >= 10 {
            scan /= 10
            digits += 1
        }
        let total = max(width, digits)
        guard count + total <= capacity else { return overflow() }
        var rest = value
        var index = count + total - 1
        while index >= count {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
        count += total
    }

    /// Writes a signed decimal integer.
    @inline(__always)
    public mutating func writeInteger(_ value: Int) {
        if value < 0 { write(UInt8(ascii: "-")) }
        writeDigits(UInt64(value.magnitude))
    }

    /// Writes `nanoseconds` as milliseconds rounded to 3 decimals, e.g. `20.125`, `0.004`.
    @inline(__always)
    public mutating func writeMillis(_ nanoseconds: UInt64) {
        let micros = nanoseconds / 1_000 &+ (nanoseconds % 1_000 >= 500 ? 1 : 0)
        writeDigits(micros / 1_000)
        write(UInt8(ascii: "."))
        writeDigits(micros % 1_000, width: 3)
    }

    /// Writes `text` as a quoted JSON string with the escapes RFC 8259 requires (UTF-8 passes through); at most
    /// ``jsonStringBound(_:)`` bytes.
    public mutating func writeJSONString(_ text: String) {
        let hex: StaticString = "0123456789abcdef"
        write(UInt8(ascii: "\""))
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
                    write(hex.utf8Start[Int(byte >> 4)])
                    write(hex.utf8Start[Int(byte & 0x0F)])
                default: write(byte)
                }
            }
        }
        write(UInt8(ascii: "\""))
    }

    /// Bytes `writeJSONString(text)` may take at most.
    public static func jsonStringBound(_ text: String) -> Int { 2 + 6 * text.utf8.count }

    private mutating func overflow() {
        overflowed = true
    }
}
