/// Converts a public trace or gateway log (the text of one file) into tierbench's trace format.
public enum TraceImporter {
    /// Runs the importer for `format` on `text` (the contents of `file`, named in messages).
    /// - Throws: `TraceImportError` when the file as a whole cannot be imported (header, quoting, no usable row, span).
    public static func parse(_ text: String, format: TraceImportFormat, file: String) throws(TraceImportError) -> TraceImportResult {
        switch format {
        case .azure: return try AzureTraceImporter.parse(text, file: file)
        case .burstgpt: return try BurstGPTTraceImporter.parse(text, file: file)
        case .mooncake: return try MooncakeTraceImporter.parse(text, file: file)
        case .litellm: return try LiteLLMSpendLogImporter.parse(text, file: file)
        case .langfuse: return try LangfuseObservationImporter.parse(text, file: file)
        }
    }
}
