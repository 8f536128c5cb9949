/// Imports BurstGPT (`data/BurstGPT_*.csv`): CSV `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`,
/// `Timestamp` in seconds from 00:00 of the trace's first day.
///
/// `Request tokens` → `prompt_tokens`, `Response tokens` → `max_tokens`. A row with `Response tokens` 0 is a failed
/// request: it is kept (it loaded the server) with failure `failed` and no `max_tokens`. `Model`, `Total tokens` and
/// `Log Type` are not replayed.
public enum BurstGPTTraceImporter {
    public static func parse(_ text: String, file: String) throws(TraceImportError) -> TraceImportResult {
        let table = try TraceImportRows.table(text, file: file)
        let header = table[0]
        let columns = try TraceImportRows.columns(header, required: ["Timestamp", "Request tokens", "Response tokens"],
                                                  optional: ["Model", "Log Type"], file: file, format: .burstgpt)
        return try TraceImportRows.eachRow(of: table, file: file) { row throws(TraceImportRows.RowProblem) in
            let stamp = row.fields[columns["Timestamp", default: 0]].importTrimmed
            guard let seconds = Double(stamp) else { throw TraceImportRows.RowProblem("Timestamp '\(stamp)' is not a number of seconds") }
            let instant = try TraceImportRows.instant(seconds, scale: 1, column: "Timestamp")
            let input = try TraceImportRows.tokens(row.fields[columns["Request tokens", default: 0]], column: "Request tokens", minimum: 1)
            let output = try TraceImportRows.tokens(row.fields[columns["Response tokens", default: 0]], column: "Response tokens")
            return .init(instant: instant, inputTokens: input, outputTokens: output, status: output == 0 ? "failed" : nil)
        }
    }
}
