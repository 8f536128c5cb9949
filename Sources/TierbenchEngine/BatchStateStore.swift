import Foundation
import TierbenchCore

/// Reads and writes `batch-state.json` in a result folder; every write is atomic (temporary file, then rename), so
/// a process killed at any moment leaves either the previous state or the new one.
struct BatchStateStore: Sendable {
    let directory: String

    var path: String { directory + "/" + BatchRunState.fileName }

    /// Whether the folder has a state file.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    func save(_ state: BatchRunState) throws(BatchWorkflowError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw .engine(.cannotWrite(path: path, reason: "cannot encode the state: \(error)"))
        }
        do {
            try BatchFileIO.writeAtomically(Array(data), to: path)
        } catch {
            throw .engine(error)
        }
    }

    /// Saves a new run's first state, refusing (O_EXCL) when the folder already has a state file.
    func create(_ state: BatchRunState) throws(BatchWorkflowError) {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw .usage("\(directory) already holds a batch run; resume it with --resume \(directory), "
                    + "or pass another --output")
            }
            throw .engine(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
        }
        close(descriptor)
        try save(state)
    }

    func load() throws(BatchWorkflowError) -> BatchRunState {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("\(directory) has no \(BatchRunState.fileName); --resume needs the result folder of an "
                + "earlier `tierbench batch run`")
        }
        let state: BatchRunState
        do {
            state = try JSONDecoder().decode(BatchRunState.self, from: data)
        } catch {
            throw .failed("\(path) is not a tierbench batch state file (\(error)); it was damaged, or it is not one")
        }
        guard state.version == BatchRunState.formatVersion else {
            throw .failed("\(path) has state format \(state.version); this tierbench reads \(BatchRunState.formatVersion)")
        }
        return state
    }
}
