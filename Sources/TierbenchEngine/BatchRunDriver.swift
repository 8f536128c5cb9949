import Foundation
import TierbenchCore

/// The loop of a batch run: submit shards (within the enqueued-token budget), poll them, download their files,
/// plan resubmission rounds; the state is saved after every step.
struct BatchRunDriver {
    enum End: Equatable { case finished, stopped, timedOut }

    var state: BatchRunState
    let store: BatchStateStore
    let client: BatchAPIClient
    let options: BatchRunOptions
    let progress: @Sendable (BatchProgress) -> Void
    let queueLimit: Int?
    let poll: BatchBackoff
    let timeout: Double
    let maxUSD: Double?

    var directory: String { store.directory }

    /// Runs until every shard is done (and no round is left to plan), a stop, or the time limit.
    mutating func drive() async throws(BatchWorkflowError) -> End {
        let deadline = Date().addingTimeInterval(timeout)
        var quietPolls = 0
        while true {
            if stopped { return .stopped }
            if state.shards.allSatisfy(\.isDone) {
                if try planRetryRound() { continue }
                return .finished
            }
            var changed = false
            for index in state.shards.indices where !state.shards[index].isDone && state.shards[index].batchID == nil {
                guard fitsQueue(index) else { break }
                if try await submit(index) { return .stopped }
                changed = true
                if stopped { return .stopped }
            }
            for index in state.shards.indices {
                let shard = state.shards[index]
                guard let id = shard.batchID, !(shard.status?.isTerminal ?? false) else { continue }
                let batch: BatchObject
                do {
                    batch = try await client.retrieveBatch(id)
                } catch where error.isTransient {
                    // A poll that failed after the client's own retries is "no change": keep polling (with the
                    // loop's growing backoff) until the run's time limit; only 401/403/404 and the like stop it.
                    progress(BatchProgress(message: "polling \(id) failed (\(error.description)); polling on"))
                    continue
                } catch {
                    throw .api(error)
                }
                if try record(batch, shard: index) { changed = true }
            }
            if options.stopAfter == .polled { return .stopped }
            for index in state.shards.indices where !state.shards[index].isDone && (state.shards[index].status?.isTerminal ?? false) {
                try await download(index)
                changed = true
            }
            if state.shards.allSatisfy(\.isDone) { continue }
            quietPolls = changed ? 0 : quietPolls + 1
            let wait = poll.delay(attempt: quietPolls, random: Double.random(in: 0..<1))
            let wake = Date().addingTimeInterval(wait)
            while Date() < wake {
                if stopped { return .stopped }
                if Date() >= deadline {
                    progress(BatchProgress(message: "the time limit (\(String(format: "%.0f", timeout)) s) passed before every batch "
                        + "ended; the state is kept: resume with --resume \(directory)"))
                    return .timedOut
                }
                try? await Task.sleep(nanoseconds: UInt64(min(0.05, max(0.001, wake.timeIntervalSinceNow)) * 1e9))
            }
        }
    }

    var stopped: Bool { options.interrupt.isInterrupted || Task.isCancelled }

    /// Where a metadata search may stop: an hour before the run started (clock skew), on a real API only (a mock's
    /// batch clock is virtual).
    var createdSince: Int? {
        guard state.target != "mock", state.startedAtUnix.isFinite else { return nil }
        return Int(max(0, min(state.startedAtUnix - 3600, 1e15)))
    }

    /// Whether shard `index` may be submitted now: no budget, nothing active, or room for its tokens.
    func fitsQueue(_ index: Int) -> Bool {
        guard let limit = queueLimit else { return true }
        let active = state.shards.filter { $0.batchID != nil && ($0.status?.holdsQueuedTokens ?? true) }
        guard !active.isEmpty else { return true }
        return active.reduce(0) { $0 + $1.inputTokens } + state.shards[index].inputTokens <= limit
    }

    func save() throws(BatchWorkflowError) { try store.save(state) }

    /// The name an input file is uploaded under: the run id and the file name, so a lost upload is found again.
    func uploadName(_ shard: BatchRunState.Shard) -> String { "\(state.runID)-\(shard.inputFile)" }

    /// Uploads (unless recorded) and creates (unless recorded) shard `index`'s batch; true when `stopAfter` says stop.
    mutating func submit(_ index: Int) async throws(BatchWorkflowError) -> Bool {
        var shard = state.shards[index]
        if shard.fileID == nil {
            if shard.uploadStarted, let files = try? await client.listFiles(),
               let file = files.first(where: { $0.filename == uploadName(shard) }) {
                state.shards[index].fileID = file.id
                progress(BatchProgress(message: "found the earlier upload of \(shard.inputFile): \(file.id)"))
            } else {
                state.shards[index].uploadStarted = true
                try save()
                let file: FileObject
                do {
                    file = try await client.uploadFile(path: directory + "/" + shard.inputFile, fileName: uploadName(shard))
                } catch {
                    throw .api(error)
                }
                state.shards[index].fileID = file.id
                BatchFileIO.releaseFreedMemory()
                progress(BatchProgress(message: "uploaded \(shard.inputFile) as \(file.id) (\(shard.lineCount) lines, \(file.bytes) bytes)"))
            }
            try save()
            if options.stopAfter == .uploaded { return true }
            shard = state.shards[index]
        }
        guard shard.batchID == nil, let fileID = shard.fileID else { return false }
        if shard.createStarted {
            let found: BatchObject?
            do {
                found = try await client.findBatch(runID: state.runID, shard: index, createdSince: createdSince)
            } catch {
                throw .api(error)
            }
            if let found {
                try record(found, shard: index)
                progress(BatchProgress(message: "re-attached to \(found.id) (created before the interruption)", batch: found))
                return false
            }
        }
        state.shards[index].createStarted = true
        try save()
        let batch: BatchObject
        do {
            batch = try await client.createBatch(inputFileID: fileID, endpoint: state.endpoint,
                                                 metadata: state.metadata(for: shard))
        } catch where error.isTransient {
            // The request may have been taken although its answer was lost: look before giving up.
            guard let found = try? await client.findBatch(runID: state.runID, shard: index, createdSince: createdSince)
            else { throw .api(error) }
            batch = found
        } catch {
            throw .api(error)
        }
        if options.stopAfter == .createSent { return true }
        try record(batch, shard: index)
        var note = "created \(batch.id) from \(shard.inputFile) (\(shard.lineCount) lines)"
        if let parent = shard.parentBatch { note += ", resubmitting failed lines of \(parent)" }
        progress(BatchProgress(message: note, batch: batch))
        return options.stopAfter == .created
    }

    /// Records a polled batch (and saves the state); true (and a progress line) when its status or counts changed.
    @discardableResult
    mutating func record(_ batch: BatchObject, shard index: Int) throws(BatchWorkflowError) -> Bool {
        let previous = state.shards[index].batch.flatMap { try? BatchObject(json: $0) }
        state.shards[index].batchID = batch.id
        state.shards[index].batch = batch.json
        try save()
        let changed = previous?.status != batch.status || previous?.requestCounts != batch.requestCounts
        if changed, previous != nil {
            progress(BatchProgress(message: Self.statusLine(batch), batch: batch))
        }
        return changed
    }

    /// `batch_… in_progress: 120/500 done, 3 failed`.
    static func statusLine(_ batch: BatchObject) -> String {
        var line = "\(batch.id) \(batch.status.rawValue)"
        let counts = batch.requestCounts
        if counts.total > 0 { line += ": \(counts.completed)/\(counts.total) done" }
        if counts.failed > 0 { line += ", \(counts.failed) failed" }
        if let errors = batch.errors, let first = errors.first {
            line += " — \(first.code ?? "error"): \(first.message)"
            if errors.count > 1 { line += " (and \(errors.count - 1) more)" }
        }
        return line
    }
}
