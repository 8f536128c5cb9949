import TierbenchCore

/// `tierbench trace import`: reads a public trace or gateway log, converts it, writes tierbench's trace atomically.
public enum TraceImport {
    /// What was written.
    public struct Outcome: Sendable {
        /// Rows written to the output.
        public var imported: Int
        /// Written rows that recorded a failed request.
        public var failed: Int
        /// Rows skipped, with line and reason.
        public var problems: [TraceImportProblem]
    }

    /// Reads `input`, imports it as `format`, writes the JSONL trace to `output` (temporary file + rename).
    /// - Throws: `EngineError.cannotRead` (exit 65), `.invalidScenario` for an invalid input (exit 65), `.cannotWrite`.
    public static func run(format: TraceImportFormat, input: String, output: String) throws(EngineError) -> Outcome {
        let text = try ScenarioFile.readText(input)
        let result: TraceImportResult
        do {
            result = try TraceImporter.parse(text, format: format, file: input)
        } catch {
            throw EngineError.invalidScenario(error.description)
        }
        try BatchFileIO.writeAtomically(Array(result.jsonl.utf8), to: output)
        return Outcome(imported: result.rows.count, failed: result.failedCount, problems: result.problems)
    }
}
