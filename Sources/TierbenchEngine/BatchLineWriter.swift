import Foundation
import TierbenchCore

/// Appends lines to a file through a 1 MiB buffer.
final class BatchLineWriter {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// Creates (or truncates) `path`.
    init(path: String) throws(EngineError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else {
            throw EngineError.cannotWrite(path: path, reason: "cannot create the file")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends `line` and a newline.
    func write(_ line: [UInt8]) throws(EngineError) {
        buffer.append(contentsOf: line)
        buffer.append(10)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends `text` and a newline.
    func write(_ text: String) throws(EngineError) { try write(Array(text.utf8)) }

    func flush() throws(EngineError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    func close() throws(EngineError) {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
