/// Writes bytes into a fixed scratch buffer with plain pointer stores, for text built on the hot path
/// (request-log lines, timestamps). Callers size the scratch for the longest text they write; writes past
/// `capacity` are dropped rather than overrunning it.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
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
    mutating func write(_ byte: UInt8) {
        guard count < capacity else { return }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func write(_ literal: StaticString) {
        let length = min(literal.utf8CodeUnitCount, capacity - count)
        guard length > 0 else { return }
        (base + count).update(from: literal.utf8Start, count: length)
        count += length
    }

    /// Writes `value` in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    mutating func writeDigits(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var scan = value
        while scan >= 10 {
            scan /= 10
            digits += 1
        }
        let total = max(width, digits)
        guard count + total <= capacity else { return }
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
    mutating func writeInteger(_ value: Int) {
        if value < 0 { write(UInt8(ascii: "-")) }
        writeDigits(UInt64(value.magnitude))
    }

    /// Writes `nanoseconds` as milliseconds rounded to 3 decimals, e.g. `20.125`, `0.004`.
    @inline(__always)
    mutating func writeMillis(_ nanoseconds: UInt64) {
        let micros = nanoseconds / 1_000 &+ (nanoseconds % 1_000 >= 500 ? 1 : 0)
        writeDigits(micros / 1_000)
        write(UInt8(ascii: "."))
        writeDigits(micros % 1_000, width: 3)
    }
}
