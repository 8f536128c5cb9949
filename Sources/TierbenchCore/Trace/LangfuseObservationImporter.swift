/// Imports a Langfuse observations export (UI table or blob export, CSV).
///
/// Columns used: `startTime` (UTC `YYYY-MM-DD HH:MM:SS.ffffff`, or ISO 8601); token counts from `usageDetails` (a JSON
/// object: `input` → `prompt_tokens`, `output` → `max_tokens`) or, when that column is absent or empty, from
/// `promptTokens`/`completionTokens`; `level` `ERROR` marks a failed request (kept, with `statusMessage` when given);
/// when a `type` column exists, only `GENERATION` rows are requests and other types (SPAN, EVENT) are skipped and
/// reported. Other columns (`model`, `costDetails`, `endTime`, `session_id`, …) are not replayed.
public enum LangfuseObservationImporter {
    public static func parse(_ text: String, file: String) throws(TraceImportError) -> TraceImportResult {
        let table = try TraceImportRows.table(text, file: file)
        let header = table[0]
        let columns = try TraceImportRows.columns(
            header, required: ["startTime"],
            optional: ["usageDetails", "promptTokens", "completionTokens", "level", "statusMessage", "type"],
            file: file, format: .langfuse)
        guard columns["usageDetails"] != nil || columns["promptTokens"] != nil else {
            throw TraceImportError(file: file, line: header.line, message: "the header has neither usageDetails nor promptTokens",
                                   hint: "export the observations with their usage columns")
        }
        return try TraceImportRows.eachRow(of: table, file: file) { row throws(TraceImportRows.RowProblem) in
            func field(_ name: String) -> String? {
                guard let index = columns[name] else { return nil }
                let value = row.fields[index].importTrimmed
                return value.isEmpty ? nil : value
            }
            if let type = field("type"), type.uppercased() != "GENERATION" {
                throw TraceImportRows.RowProblem("type \(type) is not a GENERATION (not a model request)")
            }
            let instant = try TraceImportRows.datetime(field("startTime") ?? "", column: "startTime")
            let (inputText, outputText) = try usage(field("usageDetails"), prompt: field("promptTokens"),
                                                    completion: field("completionTokens"))
            let input = try TraceImportRows.tokens(inputText, column: "input tokens", minimum: 1)
            var output: Int?
            if let outputText { output = try TraceImportRows.tokens(outputText, column: "output tokens") }
            var failure: String?
            if let level = field("level"), level.uppercased() == "ERROR" {
                failure = field("statusMessage").map { "ERROR: \($0)" } ?? "ERROR"
            }
            return .init(instant: instant, inputTokens: input, outputTokens: output, status: failure)
        }
    }

    /// The input and output token texts from `usageDetails` JSON, else from the flat columns.
    private static func usage(_ details: String?, prompt: String?,
                              completion: String?) throws(TraceImportRows.RowProblem) -> (String, String?) {
        guard let details else {
            guard let prompt else { throw TraceImportRows.RowProblem("the row has no usageDetails and no promptTokens") }
            return (prompt, completion)
        }
        let value: JSONValue
        do {
            value = try JSONValueParser.parse(details)
        } catch {
            throw TraceImportRows.RowProblem("usageDetails is not valid JSON (\(error.message))")
        }
        func text(_ key: String) throws(TraceImportRows.RowProblem) -> String? {
            switch value[key] {
            case .int(let number)?: return String(number)
            case .double(let number)?: return String(number)
            case nil, .null?: return nil
            default: throw TraceImportRows.RowProblem("usageDetails.\(key) is not a number")
            }
        }
        guard let input = try text("input") else { throw TraceImportRows.RowProblem("usageDetails has no input count") }
        return (input, try text("output"))
    }
}
