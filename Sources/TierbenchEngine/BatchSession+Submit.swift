import Foundation
import TierbenchCore

extension BatchSession {
    /// Uploads each input file and creates a batch from it (`metadata` added to each). With `runID`, every batch is
    /// also tagged `tierbench_run: runID, tierbench_shard: <position>` (so `batch list --run` finds them).
    /// - Parameter created: called with each batch as soon as it is created (a later failure leaves the earlier
    ///   ones reported).
    public func submit(
        inputFiles: [String], metadata: [JSONValue.Member] = [], runID: String? = nil,
        created: (BatchObject) -> Void = { _ in }
    ) async throws(BatchWorkflowError) -> [BatchObject] {
        var batches: [BatchObject] = []
        let endpoint = BatchPrepare.endpoint(loaded.scenario)
        for (index, path) in inputFiles.enumerated() {
            var tags = metadata
            if let runID {
                tags.append(.init("tierbench_run", .string(runID)))
                tags.append(.init("tierbench_shard", .string(String(index))))
            }
            do {
                let file = try await client.uploadFile(path: path, fileName: (path as NSString).lastPathComponent)
                let batch = try await client.createBatch(inputFileID: file.id, endpoint: endpoint, metadata: tags)
                batches.append(batch)
                created(batch)
            } catch {
                throw .api(error)
            }
        }
        return batches
    }

    /// Checks input files the user gives (`batch submit --input`) line by line as the Batch API would validate
    /// them (`BatchLineValidator`), before anything is uploaded.
    /// - Throws: `.invalidInput` naming up to 20 problems with their file and line (exit 65); `.engine` for an
    ///   unreadable file.
    public func validateInputFiles(_ paths: [String]) throws(BatchWorkflowError) {
        let endpoint = BatchPrepare.endpoint(loaded.scenario)
        var problems: [String] = []
        var total = 0
        for path in paths {
            var validator = BatchPrepare.makeValidator(endpoint)
            do {
                try BatchFileIO.forEachLine(path) { line, number throws(EngineError) in
                    _ = validator.check(line, number: number)
                }
            } catch {
                throw .engine(error)
            }
            validator.finish()
            total += validator.errorCount
            for error in validator.errors where problems.count < 20 { problems.append("\(path): \(error.description)") }
        }
        guard problems.isEmpty else {
            var text = "the batch input would fail validation:\n  " + problems.joined(separator: "\n  ")
            if total > problems.count { text += "\n  … and \(total - problems.count) more" }
            throw .invalidInput(text)
        }
    }
}
