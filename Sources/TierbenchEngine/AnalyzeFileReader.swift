import Foundation
import TierbenchCore

/// Reads a file in chunks (1 MiB by default) and hands each line's bytes (without `\n`) to a closure: no String per
/// line, memory bounded by the chunk and the longest line, itself capped at `maxLineBytes`.
enum AnalyzeFileReader {
    static let chunkSize = 1 << 20
    /// The longest line handed on (64 MiB); a longer one is reported through `tooLong` and skipped.
    static let maxLineBytes = 64 << 20

    /// Calls `body` with each line of `path`; a last line without `\n` is still a line. `chunkSize` (≥ 1) is the
    /// first read's size; the buffer doubles while a line does not fit, up to `maxLine` + 1 bytes. A line longer than
    /// `maxLine` bytes goes to `tooLong` instead (the reader then skips to the next `\n`, holding nothing of it).
    /// Either closure returns false to stop.
    /// - Throws: `EngineError.cannotRead` when the file cannot be opened or read.
    static func forEachLine(_ path: String, chunkSize: Int = chunkSize, maxLine: Int = maxLineBytes,
                            tooLong: () -> Bool = { true },
                            _ body: (UnsafeRawBufferPointer) -> Bool) throws(EngineError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EngineError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let limit = max(maxLine, 1)
        var buffer = [UInt8](repeating: 0, count: min(max(chunkSize, 1), limit + 1))
        var used = 0
        var failure: String?
        var stopped = false
        var skipping = false
        while !stopped {
            if used == buffer.count {
                if buffer.count > limit {
                    // The unfinished line already holds more than `limit` bytes.
                    stopped = !tooLong()
                    skipping = true
                    used = 0
                    continue
                }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit + 1 - buffer.count)))
            }
            let count = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + used, raw.count - used)  // non-nil: the buffer is never empty
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            let end = used + count
            let consumed = buffer.withUnsafeBytes { raw -> Int in
                var start = 0
                let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<end])
                if skipping {
                    guard let newline = bytes.firstIndex(of: 10) else { return end }
                    skipping = false
                    start = newline + 1
                }
                while start < end, let newline = bytes[start...].firstIndex(of: 10) {
                    guard body(UnsafeRawBufferPointer(rebasing: bytes[start..<newline])) else {
                        stopped = true
                        return end
                    }
                    start = newline + 1
                }
                if count == 0, start < end {
                    _ = body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    return end
                }
                return start
            }
            if consumed > 0, consumed < end {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!  // non-nil: the buffer is never empty
                    memmove(base, base + consumed, end - consumed)
                }
            }
            used = end - consumed
            if count == 0 { break }
        }
        if let failure { throw EngineError.cannotRead(path: path, reason: failure) }
    }
}
