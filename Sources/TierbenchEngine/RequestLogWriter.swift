#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Appends request-log lines to one file from several load threads.
///
/// Each thread fills its own buffer and hands it over in chunks of about 64 KiB, so the per-request cost is a
/// memcpy into a reused array; the `write(2)` happens once per chunk.
final class RequestLogWriter: Sendable {
    private let descriptor: Mutex<Int32>
    /// Bytes at which a thread's buffer is flushed.
    static let flushThreshold = 64 * 1024

    /// Opens (creating or truncating) the file at `path`.
    init(path: String) throws(EngineError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EngineError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        descriptor = Mutex(fd)
    }

    /// Writes `buffer` whole and empties it (keeping its capacity).
    func flush(_ buffer: inout [UInt8]) {
        guard !buffer.isEmpty else { return }
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes the file to disk and closes it.
    func close() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            fsync(fd)
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    deinit { close() }
}
