import NIOCore

/// A stored file's bytes: in memory while small, spilled to an anonymous temporary file (`SpillFile`) past
/// `spillThreshold`, so a 25 MB input and a 50 MB output do not stay resident (docs/mock.md, "Counting and
/// memory"). Batch outputs grow by appending; `seal()` flushes the write-behind buffer before the file is read.
struct BatchFileContent: Sendable {
    /// Bytes kept in memory at most; beyond, the content moves to disk.
    static let spillThreshold = 4 << 20
    /// Size of the write-behind buffer and of the pieces read back.
    static let chunkBytes = 1 << 20

    /// In-memory chunks (before spilling).
    private var chunks: [ByteBuffer] = []
    private var spill: SpillFile?
    /// Bytes appended but not yet written to `spill`.
    private var pending = ByteBuffer()
    private(set) var count = 0

    init() {}

    /// The content of an upload (spilled at once when large).
    init(_ buffer: ByteBuffer) {
        append(buffer)
        seal()
    }

    var isEmpty: Bool { count == 0 }

    /// Appends `bytes`.
    mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        let length = bytes.readableBytes
        if spill == nil && count + length > Self.spillThreshold, let file = SpillFile() {
            var offset = 0
            for chunk in chunks {
                _ = file.write(chunk, at: offset)
                offset += chunk.readableBytes
            }
            chunks = []
            spill = file
        }
        if let spill {
            if pending.readableBytes + length > Self.chunkBytes { flush(spill) }
            if length >= Self.chunkBytes {
                _ = spill.write(bytes, at: count)
            } else {
                pending.writeBuffer(&bytes)
            }
        } else if let last = chunks.indices.last, chunks[last].readableBytes + length <= Self.chunkBytes {
            chunks[last].writeBuffer(&bytes)
        } else {
            var chunk = ByteBuffer()
            chunk.reserveCapacity(length >= Self.chunkBytes ? length : Self.chunkBytes)
            chunk.writeBuffer(&bytes)
            chunks.append(chunk)
        }
        count += length
    }

    /// Writes what is buffered to the spill file (call once nothing more is appended).
    mutating func seal() {
        if let spill { flush(spill) }
        pending = ByteBuffer()
    }

    private mutating func flush(_ spill: SpillFile) {
        guard pending.readableBytes > 0 else { return }
        _ = spill.write(pending, at: count - pending.readableBytes)
        pending.clear()
    }

    /// The bytes in `range` (a slice without copying when it lies in one in-memory chunk).
    func read(_ range: Range<Int>) -> ByteBuffer {
        let range = range.clamped(to: 0..<count)
        if let spill { return spill.read(at: range.lowerBound, count: range.count) }
        var result = ByteBuffer()
        var offset = 0
        for chunk in chunks {
            let chunkRange = offset..<(offset + chunk.readableBytes)
            offset = chunkRange.upperBound
            let overlap = chunkRange.clamped(to: range)
            guard !overlap.isEmpty else { continue }
            guard var slice = chunk.getSlice(
                at: chunk.readerIndex + overlap.lowerBound - chunkRange.lowerBound, length: overlap.count)
            else { continue }
            if overlap == range { return slice }
            result.writeBuffer(&slice)
        }
        return result
    }

    /// The whole content in one buffer (tests and small files).
    var joined: ByteBuffer { read(0..<count) }

    /// Calls `body` with the byte range and bytes of each line (without its newline), in order, reading
    /// `chunkBytes` at a time; a last line without a newline is included.
    func forEachLine(_ body: (Range<Int>, UnsafeRawBufferPointer) -> Void) {
        var carry = ByteBuffer()
        var lineStart = 0
        var offset = 0
        let newline = UInt8(ascii: "\n")
        while offset < count {
            var piece = read(offset..<min(count, offset + Self.chunkBytes * 4))
            guard piece.readableBytes > 0 else { break }
            offset += piece.readableBytes
            carry.writeBuffer(&piece)
            let consumed = carry.withUnsafeReadableBytes { bytes -> Int in
                var start = 0
                for index in 0..<bytes.count where bytes[index] == newline {
                    body(lineStart..<(lineStart + index - start), UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                    lineStart += index - start + 1
                    start = index + 1
                }
                return start
            }
            carry.moveReaderIndex(forwardBy: consumed)
            carry.discardReadBytes()
        }
        if carry.readableBytes > 0 {
            carry.withUnsafeReadableBytes { body(lineStart..<(lineStart + $0.count), $0) }
        }
    }

    /// The content in pieces of `chunkBytes`, for a response body.
    func pieces() -> [Range<Int>] {
        stride(from: 0, to: count, by: Self.chunkBytes).map { $0..<min(count, $0 + Self.chunkBytes) }
    }
}
