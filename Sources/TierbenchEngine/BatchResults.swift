import Foundation
import TierbenchCore

/// Reconciles a batch run's downloaded files and writes `results.jsonl` (one line per input line, in input order)
/// and `summary.json`.
enum BatchResults {
    /// One shard reconciled.
    struct Reconciled {
        var ids: [String]
        var results: [BatchReconciler.LineResult]
        var anomalies: BatchReconciler.Anomalies
        /// Usage summed over the lines.
        var usage: TokenUsage
    }

    /// Reconciles `shard`'s input file with its output and error files.
    static func reconcile(_ shard: BatchRunState.Shard, directory: String) throws(BatchWorkflowError) -> Reconciled {
        let ids = try customIDs(directory + "/" + shard.inputFile)
        let batch = shard.batch.flatMap { try? BatchObject(json: $0) }
        return try reconcile(ids: ids, batch: batch,
                             outputFile: shard.outputFile.map { directory + "/" + $0 },
                             errorFile: shard.errorFile.map { directory + "/" + $0 })
    }

    /// Reconciles input ids with an output and an error file; lines in neither are failed with the batch's error
    /// when the batch failed as a whole, else missing.
    static func reconcile(ids: [String], batch: BatchObject?, outputFile: String?, errorFile: String?)
        throws(BatchWorkflowError) -> Reconciled
    {
        var reconciler = BatchReconciler(customIDs: ids)
        for (source, path) in [("output", outputFile), ("error", errorFile)] {
            guard let path else { continue }
            do {
                try BatchFileIO.forEachLine(path) { line, number in reconciler.add(line, source: source, number: number) }
            } catch {
                throw .engine(error)
            }
        }
        var failure: BatchError?
        if let batch, batch.status == .failed {
            failure = batch.errors?.first ?? BatchError(code: "batch_failed", line: nil, param: nil,
                                                        message: "the batch failed")
        }
        let results = reconciler.finish(batchFailure: failure)
        let usage = results.reduce(TokenUsage.zero) { $0 + ($1.usage ?? .zero) }
        return Reconciled(ids: ids, results: results, anomalies: reconciler.anomalies, usage: usage)
    }

    /// The `custom_id` of every line of an input file, in order. Blank lines and lines without a readable
    /// `custom_id` are skipped: such a line cannot be matched to any output (the batch failed validation for it).
    static func customIDs(_ path: String) throws(BatchWorkflowError) -> [String] {
        var ids: [String] = []
        do {
            try BatchFileIO.forEachLine(path) { text, number in
                // A byte-order mark before the first line is not part of its JSON.
                let line = number == 1 && text.hasPrefix("\u{FEFF}") ? text.dropFirst() : text
                guard line.contains(where: { !$0.isWhitespace }), let value = try? JSONValue.parse(line),
                      let id = value["custom_id"]?.stringValue else { return }
                ids.append(id)
            }
        } catch {
            throw .engine(error)
        }
        return ids
    }

    /// Copies the lines of `source` whose `custom_id` is in `keeping` to `destination`, checking them with the
    /// core validator (which also counts their input tokens).
    static func copyLines(from source: String, to destination: String, endpoint: String, keeping: Set<String>)
        throws(BatchWorkflowError) -> (lines: Int, bytes: Int, inputTokens: Int)
    {
        var validator = BatchPrepare.makeValidator(endpoint)
        var lines = 0
        do {
            let writer = try BatchLineWriter(path: destination)
            try BatchFileIO.forEachLine(source) { line, _ throws(EngineError) in
                guard let value = try? JSONValue.parse(line), let id = value["custom_id"]?.stringValue,
                      keeping.contains(id) else { return }
                lines += 1
                _ = validator.check(line, number: lines)
                try writer.write(String(line))
            }
            try writer.close()
        } catch {
            throw .engine(error)
        }
        return (lines, validator.byteCount, validator.inputTokens)
    }

    /// Writes results.jsonl and summary.json for a run whose shards are all done; returns the summary and its JSON.
    static func write(
        state: BatchRunState, directory: String, price: PriceTable.ModelPrice?, priceDate: String, maxUSD: Double?,
        redactor: SecretRedactor
    ) throws(BatchWorkflowError) -> (BatchRunSummary, String) {
        // Later rounds override the lines they resubmitted.
        var overrides: [String: (BatchReconciler.LineResult, String?, Int)] = [:]
        var fallback: [String: TokenUsage] = [:]
        var tally = BatchOutcomeTally()
        for shard in state.shards.sorted(by: { $0.round < $1.round }) where shard.round > 0 {
            let reconciled = try reconcile(shard, directory: directory)
            if let id = shard.batchID { fallback[id] = reconciled.usage }
            tally.anomalies = tally.anomalies + reconciled.anomalies
            for (id, result) in zip(reconciled.ids, reconciled.results) { overrides[id] = (result, shard.batchID, shard.round) }
        }
        let temporary = directory + "/results.jsonl.partial"
        do {
            let writer = try BatchLineWriter(path: temporary)
            var number = 0
            for shard in state.shards where shard.round == 0 {
                let reconciled = try reconcile(shard, directory: directory)
                if let id = shard.batchID { fallback[id] = reconciled.usage }
                tally.anomalies = tally.anomalies + reconciled.anomalies
                for (id, own) in zip(reconciled.ids, reconciled.results) {
                    number += 1
                    let (result, batchID, round) = overrides[id] ?? (own, shard.batchID, 0)
                    tally.add(result)
                    try writer.write(line(number: number, customID: id, result: result, batchID: batchID,
                                          round: round, redactor: redactor))
                }
            }
            try writer.close()
            if rename(temporary, directory + "/results.jsonl") != 0 {
                throw EngineError.cannotWrite(path: directory + "/results.jsonl", reason: String(cString: strerror(errno)))
            }
        } catch let error as BatchWorkflowError {
            throw error
        } catch let error as EngineError {
            throw .engine(error)
        } catch {
            throw .failed("\(error)")
        }

        let now = Date()
        let started = Date(timeIntervalSince1970: state.startedAtUnix)
        var cost = BatchRunSummary.Cost(priceDate: priceDate)
        cost.estimateUSD = state.shards.compactMap(\.estimatedUSD).reduce(0, +)
        if state.shards.allSatisfy({ $0.estimatedUSD == nil }) { cost.estimateUSD = nil }
        cost.estimateUSD = cost.estimateUSD.map { ($0 * 1e6).rounded() / 1e6 }
        cost.maxUSD = maxUSD
        var summary = BatchRunSummary(
            runID: state.runID, scenario: state.scenarioName, target: state.target, endpoint: state.endpoint,
            model: state.model, startedAt: state.startedAt,
            endedAt: UTCTimestamp.iso8601(unixNanos: Int64(now.timeIntervalSince1970 * 1e9)), lines: state.totalLines,
            cost: cost, wallS: (now.timeIntervalSince(started) * 1000).rounded() / 1000, rounds: state.lastRound)
        let inputs = state.shards.compactMap { shard -> BatchRunSummary.Input? in
            guard let json = shard.batch, let batch = try? BatchObject(json: json) else { return nil }
            return BatchRunSummary.Input(batch: batch, round: shard.round, parentBatch: shard.parentBatch,
                                         lines: shard.lineCount)
        }
        summary.fill(batches: inputs, tally: tally, lineUsageFallback: fallback, price: price)
        summary.anomalyExamples = summary.anomalyExamples.map { redactor.redact($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(summary)
        } catch {
            throw .engine(.cannotWrite(path: directory + "/summary.json", reason: "cannot encode the summary: \(error)"))
        }
        let text = redactor.redact(String(decoding: data, as: UTF8.self))
        do {
            try BatchFileIO.writeAtomically(Array(text.utf8), to: directory + "/summary.json")
        } catch {
            throw .engine(error)
        }
        return (summary, text)
    }

    /// One results.jsonl line.
    static func line(number: Int, customID: String, result: BatchReconciler.LineResult, batchID: String?, round: Int,
                     redactor: SecretRedactor) -> String {
        var members: [JSONValue.Member] = [
            .init("line", .int(number)), .init("custom_id", .string(customID)),
            .init("outcome", .string(result.outcome.rawValue)),
            .init("status", result.status.map(JSONValue.int) ?? .null),
            .init("batch_id", batchID.map(JSONValue.string) ?? .null), .init("round", .int(round)),
        ]
        if let usage = result.usage {
            members.append(.init("prompt_tokens", .int(usage.prompt)))
            members.append(.init("completion_tokens", .int(usage.completion)))
            members.append(.init("cached_tokens", .int(usage.cachedPrompt)))
        }
        members.append(.init("error_code", result.errorCode.map { .string(redactor.redact($0)) } ?? .null))
        members.append(.init("error", result.errorMessage.map { .string(redactor.redact($0)) } ?? .null))
        return JSONValue.object(members).jsonText
    }
}
