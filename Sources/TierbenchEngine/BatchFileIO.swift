import Foundation
import TierbenchCore

/// File helpers of the batch commands: atomic writes, streamed line reading, buffered line writing.
enum BatchFileIO {
    /// Writes `bytes` to `path` through a temporary file beside it and a rename.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(EngineError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw EngineError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var offset = 0
        var failure: String?
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while offset < raw.count {
                let written = write(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if fsync(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw EngineError.cannotWrite(path: path, reason: failure)
        }
    }

    /// Calls `body` with every line of the file at `path` (without its `\n` or `\r\n`) and its 1-based number,
    /// reading 1 MiB at a time. A missing trailing newline still ends the last line.
    static func forEachLine(_ path: String, _ body: (Substring, Int) throws(EngineError) -> Void) throws(EngineError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EngineError.cannotRead(path: path, reason: "no such file")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var number = 0
        func emit(_ bytes: ArraySlice<UInt8>) throws(EngineError) {
            number += 1
            var slice = bytes
            if slice.last == 13 { slice = slice.dropLast() }
            let text = String(decoding: slice, as: UTF8.self)
            try body(Substring(text), number)
        }
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw EngineError.cannotRead(path: path, reason: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 10) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try emit(pending[...]) }
    }
}

extension BatchFileIO {
    /// Replaces every secret in the file at `path`, line by line (only rewritten when a secret occurs).
    static func redact(_ path: String, _ redactor: SecretRedactor) throws(EngineError) {
        var found = false
        try forEachLine(path) { line, _ in
            if !found, redactor.secrets.contains(where: { line.contains($0) }) { found = true }
        }
        guard found else { return }
        let temporary = path + ".redacted"
        let writer = try BatchLineWriter(path: temporary)
        try forEachLine(path) { line, _ throws(EngineError) in try writer.write(redactor.redact(String(line))) }
        try writer.close()
        if rename(temporary, path) != 0 {
            throw EngineError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

extension BatchFileIO {
    /// Hands freed heap memory back to the system (glibc keeps it otherwise, and a 50,000-line batch frees tens of
    /// MiB after preparing and uploading); a no-op elsewhere.
    static func releaseFreedMemory() {
        guard let trim = mallocTrim else { return }
        _ = trim(0)
    }

    /// glibc's `malloc_trim`, looked up at run time (the Glibc module does not export `malloc.h`); nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
