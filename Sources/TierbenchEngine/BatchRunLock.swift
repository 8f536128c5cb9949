import Foundation
import TierbenchCore

/// An exclusive `flock` on `DIR/.batch.lock`, held for a batch run's life so two runs (two `--resume DIR`, or two
/// new runs with the same `--output`) never work in one result folder at once. The lock goes with the process: a
/// killed run leaves the file, never a held lock.
final class BatchRunLock: @unchecked Sendable {
    /// The lock file's name in the result folder.
    static let fileName = ".batch.lock"

    private var descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    /// Takes the lock on `directory` (creating the folder and the lock file), without waiting.
    /// - Throws: `.usage` when another process holds it, `.engine(.cannotWrite)` when the file cannot be opened.
    static func acquire(directory: String) throws(BatchWorkflowError) -> BatchRunLock {
        let path = directory + "/" + fileName
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .engine(.cannotWrite(path: directory, reason: error.localizedDescription))
        }
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .engine(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw .usage("another tierbench batch run is using \(directory) (it holds \(path)); wait for it to "
                    + "end, or pass another --output")
            }
            throw .engine(.cannotWrite(path: path, reason: String(cString: strerror(reason))))
        }
        return BatchRunLock(descriptor: descriptor)
    }

    /// Gives the lock up (also on deinit).
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
