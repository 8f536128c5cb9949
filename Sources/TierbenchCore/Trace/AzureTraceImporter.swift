/// Imports the Azure LLM inference traces (2023 Splitwise and 2024 DynamoLLM week-long files):
/// CSV `TIMESTAMP,ContextTokens,GeneratedTokens`, the timestamp a UTC datetime such as `2023-11-16 18:15:46.6805900`
/// (7 fractional digits, no zone; the 2024 files may add `+00:00`).
///
/// `ContextTokens` → `prompt_tokens`, `GeneratedTokens` → `max_tokens` (0 → omitted). The traces have no status.
public enum AzureTraceImporter {
    public static func parse(_ text: String, file: String) throws(TraceImportError) -> TraceImportResult {
        let table = try TraceImportRows.table(text, file: file)
        let header = table[0]
        let columns = try TraceImportRows.columns(header, required: ["TIMESTAMP", "ContextTokens", "GeneratedTokens"],
                                                  file: file, format: .azure)
        return try TraceImportRows.eachRow(of: table, file: file) { row throws(TraceImportRows.RowProblem) in
            let instant = try TraceImportRows.datetime(row.fields[columns["TIMESTAMP", default: 0]], column: "TIMESTAMP")
            let input = try TraceImportRows.tokens(row.fields[columns["ContextTokens", default: 0]], column: "ContextTokens", minimum: 1)
            let output = try TraceImportRows.tokens(row.fields[columns["GeneratedTokens", default: 0]], column: "GeneratedTokens")
            return .init(instant: instant, inputTokens: input, outputTokens: output)
        }
    }
}
