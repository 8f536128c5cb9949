import Foundation
import NIOCore

/// A stored file's bytes: in memory while small, spilled to an anonymous temporary file (`SpillFile`) past
/// `spillThreshold`, so a 25 MB input and a 50 MB output do not stay resident (docs/mock.md, "Counting and
/// memory"). Batch outputs grow by appending; `seal()` flushes the write-behind buffer before the file is read.
struct BatchFileContent: Sendable {
    /// Bytes kept in memory at most; beyond, the content moves to disk.
    static let spillThreshold = 4 << 20
    /// Size of the write-behind buffer and of the pieces read back.
    static let chunkBytes = 1 << 20
    /// Longest input line read whole (1 MiB); a longer line is an `invalid_json_line` without being parsed.
    static let maxLineBytes = 1 << 20

    /// In-memory chunks (before spilling).
    private var chunks: [ByteBuffer] = []
    private var spill: SpillFile?
    /// Bytes appended but not yet written to `spill`.
    private var pending = ByteBuffer()
    private(set) var count = 0
    /// Whether a write to the spill file failed: the content is incomplete, and is answered with a 500 rather than
    /// served short. (If the very first spill fails, the content simply stays in memory.)
    private(set) var writeFailed = false
    /// Set when spilling could not start; the content then stays in memory.
    private var spillFailed = false

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
        if spill == nil && !spillFailed && count + length > Self.spillThreshold {
            var offset = 0
            var written = SpillFile()
            for chunk in chunks where written != nil {
                if written?.write(chunk, at: offset) != true { written = nil }
                offset += chunk.readableBytes
            }
            if let written {
                chunks = []
                spill = written
            } else {
                spillFailed = true
            }
        }
        if let spill {
            if pending.readableBytes + length > Self.chunkBytes { flush(spill) }
            if length >= Self.chunkBytes {
                if !spill.write(bytes, at: count) { writeFailed = true }
            } else {
                pending.writeBuffer(&bytes)
            }
        } else if let last = chunks.indices.last, chunks[last].readableBytes + length <= Self.chunkBytes {
            chunks[last].writeBuffer(&bytes)
        } else {
            var chunk = ByteBuffer()
            // Only what this append needs: a small file does not hold a whole chunk (the buffer grows on append).
            chunk.reserveCapacity(length)
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
        if !spill.write(pending, at: count - pending.readableBytes) { writeFailed = true }
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
    /// `chunkBytes * 4` at a time; a last line without a newline is included. Each byte is searched once (a long
    /// line is not rescanned per read), and a line longer than `maxLineBytes` is not kept: it is handed over with
    /// its range, no bytes and `tooLong` set, so a file without newlines costs one pass and no large buffer.
    func forEachLine(
        maxLineBytes: Int = BatchFileContent.maxLineBytes,
        _ body: (_ range: Range<Int>, _ bytes: UnsafeRawBufferPointer, _ tooLong: Bool) -> Void
    ) {
        var carry = ByteBuffer()
        // File offsets: of the current line's start and of the carry's first readable byte.
        var lineStart = 0
        var carryBase = 0
        // Carry bytes already searched for a newline; whether the current line is past `maxLineBytes`.
        var scanned = 0
        var tooLong = false
        var offset = 0
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        while offset < count {
            var piece = read(offset..<min(count, offset + Self.chunkBytes * 4))
            guard piece.readableBytes > 0 else { break }
            offset += piece.readableBytes
            carry.writeBuffer(&piece)
            let consumed = carry.withUnsafeReadableBytes { bytes -> Int in
                var start = 0
                var from = scanned
                while from < bytes.count, let base = bytes.baseAddress,
                    let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from)
                {
                    let index = base.distance(to: UnsafeRawPointer(hit))
                    let long = tooLong || carryBase + index - lineStart > maxLineBytes
                    let line = long ? empty : UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                    body(lineStart..<(carryBase + index), line, long)
                    tooLong = false
                    lineStart = carryBase + index + 1
                    start = index + 1
                    from = start
                }
                if !tooLong && carryBase + bytes.count - lineStart > maxLineBytes { tooLong = true }
                return tooLong ? bytes.count : start
            }
            carry.moveReaderIndex(forwardBy: consumed)
            carry.discardReadBytes()
            carryBase += consumed
            scanned = carry.readableBytes
        }
        if tooLong {
            body(lineStart..<count, empty, true)
        } else if carry.readableBytes > 0 {
            carry.withUnsafeReadableBytes { body(lineStart..<(lineStart + $0.count), $0, false) }
        }
    }

    /// The content in pieces of `chunkBytes`, for a response body.
    func pieces() -> [Range<Int>] {
        stride(from: 0, to: count, by: Self.chunkBytes).map { $0..<min(count, $0 + Self.chunkBytes) }
    }
}
