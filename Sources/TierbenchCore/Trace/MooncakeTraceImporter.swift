/// Imports Mooncake (FAST'25) traces: JSON Lines `{"timestamp": 27482, "input_length": 6955, "output_length": 52,
/// "hash_ids": [46, 47, …]}`, `timestamp` in **milliseconds**.
///
/// `timestamp` ms → seconds, `input_length` → `prompt_tokens`, `output_length` → `max_tokens` (0 → omitted).
/// `hash_ids` (512-token prefix blocks) and any other keys are not replayed. The trace has no status.
public enum MooncakeTraceImporter {
    public static func parse(_ text: String, file: String) throws(TraceImportError) -> TraceImportResult {
        var rows = TraceImportRows(file: file)
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let body = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if body.allSatisfy(\.isWhitespace) { continue }
            do throws(TraceImportRows.RowProblem) {
                let value: JSONValue
                do {
                    value = try JSONValueParser.parse(body)
                } catch {
                    throw TraceImportRows.RowProblem("not valid JSON (\(error.message) at byte \(error.offset))")
                }
                guard case .object = value else { throw TraceImportRows.RowProblem("the line is not a JSON object") }
                func number(_ key: String) throws(TraceImportRows.RowProblem) -> Double {
                    switch value[key] {
                    case .int(let number)?: return Double(number)
                    case .double(let number)?: return number
                    case nil, .null?: throw TraceImportRows.RowProblem("\(key) is missing")
                    default: throw TraceImportRows.RowProblem("\(key) is not a number")
                    }
                }
                let instant = try TraceImportRows.instant(try number("timestamp"), scale: 1000, column: "timestamp")
                let input = try TraceImportRows.tokens(String(try number("input_length")), column: "input_length", minimum: 1)
                let output = try TraceImportRows.tokens(String(try number("output_length")), column: "output_length")
                rows.add(line: line, .init(instant: instant, inputTokens: input, outputTokens: output))
            } catch {
                rows.skip(line: line, error.message)
            }
        }
        return try rows.result()
    }
}
