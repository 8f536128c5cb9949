import Foundation
import TierbenchCore

extension BatchRunDriver {
    /// Downloads a terminal batch's output and error files (an empty or null id means no such file).
    mutating func download(_ index: Int) async throws(BatchWorkflowError) {
        guard let json = state.shards[index].batch, let batch = try? BatchObject(json: json) else { return }
        let number = BatchPrepare.fileName(prefix: "", index: index).dropFirst()  // "001.jsonl"
        if let id = batch.outputFileID, !id.isEmpty, state.shards[index].outputFile == nil {
            let name = "output-" + number
            do { try await client.downloadFile(id, to: directory + "/" + name) } catch { throw .api(error) }
            state.shards[index].outputFile = name
            try save()
        }
        if let id = batch.errorFileID, !id.isEmpty, state.shards[index].errorFile == nil {
            let name = "errors-" + number
            do { try await client.downloadFile(id, to: directory + "/" + name) } catch { throw .api(error) }
            state.shards[index].errorFile = name
            try save()
        }
        state.shards[index].downloaded = true
        try save()
        BatchFileIO.releaseFreedMemory()
        var note = "\(batch.id) ended \(batch.status.rawValue)"
        let files = [state.shards[index].outputFile, state.shards[index].errorFile].compactMap { $0 }
        note += files.isEmpty ? "; no output or error file" : "; downloaded " + files.joined(separator: ", ")
        progress(BatchProgress(message: note, batch: batch))
    }

    /// After every shard of the last round is done: when rounds are left, writes the retryable failed lines of
    /// each of its batches into a new input file (a new shard with `parent_batch`); true when it planned any.
    mutating func planRetryRound() throws(BatchWorkflowError) -> Bool {
        let round = state.lastRound
        guard round < state.maxRounds else { return false }
        var planned: [BatchRunState.Shard] = []
        for shard in state.shards where shard.round == round {
            let reconciled = try BatchResults.reconcile(shard, directory: directory)
            var retry = Set<String>()
            for (id, result) in zip(reconciled.ids, reconciled.results)
            where BatchLineOutcome.isRetryable(result.outcome, status: result.status, errorCode: result.errorCode) {
                retry.insert(id)
            }
            guard !retry.isEmpty else { continue }
            let index = state.shards.count + planned.count
            let name = BatchPrepare.fileName(prefix: "retry\(round + 1)", index: index)
            let copied = try BatchResults.copyLines(
                from: directory + "/" + shard.inputFile, to: directory + "/" + name, endpoint: state.endpoint,
                keeping: retry)
            let fraction = Double(copied.lines) / Double(max(1, shard.lineCount))
            planned.append(BatchRunState.Shard(
                index: index, round: round + 1, parentBatch: shard.batchID, inputFile: name, lineCount: copied.lines,
                byteCount: copied.bytes, inputTokens: copied.inputTokens,
                estimatedUSD: shard.estimatedUSD.map { $0 * fraction }))
        }
        guard !planned.isEmpty else { return false }
        if let maxUSD {
            let spentSoFar = state.shards.compactMap(\.estimatedUSD).reduce(0, +)
            let more = planned.compactMap(\.estimatedUSD).reduce(0, +)
            if spentSoFar + more > maxUSD {
                progress(BatchProgress(message: String(format: "not resubmitting %d failed lines: the estimate "
                    + "$%.4f would pass budget.max_usd $%.4f", planned.reduce(0) { $0 + $1.lineCount },
                    spentSoFar + more, maxUSD)))
                for shard in planned { unlink(directory + "/" + shard.inputFile) }
                return false
            }
        }
        state.shards += planned
        try save()
        progress(BatchProgress(message: "round \(round + 1): resubmitting \(planned.reduce(0) { $0 + $1.lineCount }) "
            + "retryable failed lines in \(planned.count) batch(es)"))
        return true
    }
}
