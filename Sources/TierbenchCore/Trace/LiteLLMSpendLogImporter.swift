/// Imports a LiteLLM proxy spend-log export (`LiteLLM_SpendLogs` table or `/spend/logs` rows saved as CSV).
///
/// Columns used: `startTime` (UTC datetime, `2024-06-01 12:00:00.123456` or ISO 8601 with `T`/`Z`/offset),
/// `prompt_tokens` → `prompt_tokens`, `completion_tokens` → `max_tokens` (0 or empty → omitted), and `status`
/// (`success`/`failure`; any value other than `success` or empty marks a failed request, which is kept). Other columns
/// (`request_id`, `model`, `spend`, `endTime`, `completionStartTime`, …) are not replayed.
public enum LiteLLMSpendLogImporter {
    public static func parse(_ text: String, file: String) throws(TraceImportError) -> TraceImportResult {
        let table = try TraceImportRows.table(text, file: file)
        let header = table[0]
        let columns = try TraceImportRows.columns(header, required: ["startTime", "prompt_tokens"],
                                                  optional: ["completion_tokens", "status"], file: file, format: .litellm)
        return try TraceImportRows.eachRow(of: table, file: file) { row throws(TraceImportRows.RowProblem) in
            let instant = try TraceImportRows.datetime(row.fields[columns["startTime", default: 0]], column: "startTime")
            let input = try TraceImportRows.tokens(row.fields[columns["prompt_tokens", default: 0]], column: "prompt_tokens", minimum: 1)
            var output: Int?
            if let index = columns["completion_tokens"], !row.fields[index].importTrimmed.isEmpty {
                output = try TraceImportRows.tokens(row.fields[index], column: "completion_tokens")
            }
            var failure: String?
            if let index = columns["status"] {
                let status = row.fields[index].importTrimmed
                if !status.isEmpty, status.lowercased() != "success" { failure = status }
            }
            return .init(instant: instant, inputTokens: input, outputTokens: output, status: failure)
        }
    }
}
