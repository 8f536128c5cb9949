import Foundation
import TierbenchCore

extension BatchSession {
    /// Downloads a terminal batch's output and error files into `directory` (and its input file unless `inputFile`
    /// is given), reconciles them by `custom_id` and writes results.jsonl and summary.json there.
    /// - Throws: `.failed` when the batch has not ended yet.
    public func retrieve(_ id: String, directory: String, inputFile: String? = nil, priceFile: String? = nil)
        async throws(BatchWorkflowError) -> BatchRunResult
    {
        let batch = try await status(id)
        guard batch.status.isTerminal else {
            throw .failed("\(id) is \(batch.status.rawValue); its files come when it ends (tierbench batch wait)")
        }
        let prices: PriceTable
        do {
            prices = try PriceCatalog.load(path: priceFile)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch let error as EngineError {
            throw .engine(error)
        } catch {
            throw .engine(.cannotWrite(path: directory, reason: error.localizedDescription))
        }
        let now = Date()
        var state = BatchRunState(
            runID: batch.metadataValue("tierbench_run") ?? batch.id, scenarioPath: loaded.path,
            scenarioName: loaded.scenario.name, endpoint: batch.endpoint, model: batch.model ?? loaded.scenario.model,
            target: BatchWorkflow.targetLabel(loaded.scenario), totalLines: 0, maxRounds: 0,
            startedAt: UTCTimestamp.iso8601(unixNanos: Int64(now.timeIntervalSince1970 * 1e9)),
            startedAtUnix: now.timeIntervalSince1970)
        var shard = BatchRunState.Shard(index: 0, round: 0, inputFile: "input-001.jsonl", lineCount: 0, byteCount: 0,
                                        inputTokens: 0, estimatedUSD: nil)
        do {
            if let inputFile {
                let name = (inputFile as NSString).lastPathComponent
                if (directory + "/" + name) != inputFile, !FileManager.default.fileExists(atPath: directory + "/" + name) {
                    try FileManager.default.copyItem(atPath: inputFile, toPath: directory + "/" + name)
                }
                shard.inputFile = name
            } else {
                try await client.downloadFile(batch.inputFileID, to: directory + "/" + shard.inputFile)
            }
            if let output = batch.outputFileID, !output.isEmpty {
                try await client.downloadFile(output, to: directory + "/output-001.jsonl")
                shard.outputFile = "output-001.jsonl"
            }
            if let errors = batch.errorFileID, !errors.isEmpty {
                try await client.downloadFile(errors, to: directory + "/errors-001.jsonl")
                shard.errorFile = "errors-001.jsonl"
            }
        } catch let error as BatchAPIError {
            throw .api(error)
        } catch {
            throw .engine(.cannotWrite(path: directory, reason: "\(error)"))
        }
        shard.batchID = batch.id
        shard.batch = batch.json
        shard.downloaded = true
        let ids = try BatchResults.customIDs(directory + "/" + shard.inputFile)
        shard.lineCount = ids.count
        state.totalLines = ids.count
        state.shards = [shard]
        let (summary, json) = try BatchResults.write(
            state: state, directory: directory, price: prices.modelPrice(for: state.model), priceDate: prices.date,
            maxUSD: nil, redactor: client.redactor)
        return BatchRunResult(summary: summary, summaryJSON: json, directory: directory)
    }
}
