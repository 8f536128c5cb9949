import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An anonymous temporary file for large file contents (batch inputs and outputs), so they do not stay resident:
/// created in the temporary directory and unlinked at once, so it disappears when the last reference closes it
/// (at the latest when the mock stops). Reads and writes use explicit offsets (`pread`/`pwrite`), which are safe
/// from any thread.
final class SpillFile: Sendable {
    private let descriptor: Int32

    /// nil when no temporary file can be created (the caller keeps the bytes in memory then).
    init?() {
        var template = Array((NSTemporaryDirectory() + "/tierbench-mock-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            let descriptor = mkstemp(base)
            if descriptor >= 0 { unlink(base) }
            return descriptor
        }
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes `buffer` at `offset`; false on an I/O error.
    func write(_ buffer: ByteBuffer, at offset: Int) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                guard let base = bytes.baseAddress else { return false }
                let written = pwrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                done += written
            }
            return true
        }
    }

    /// Reads `count` bytes at `offset` (fewer only on an I/O error or past the end).
    func read(at offset: Int, count: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
            var done = 0
            while done < count, let base = target.baseAddress {
                let got = pread(descriptor, base + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { break }
                done += got
            }
            return done
        }
        return buffer
    }
}
