import TierbenchCore

/// libFuzzer entry point: `tierbench trace import` — byte 0 picks the format (Azure, BurstGPT, Mooncake, LiteLLM,
/// Langfuse), the rest is the file; an imported trace is written as JSONL and read back by the replay parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraceImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let formats = TraceImportFormat.allCases
    let format = formats[Int(data[0]) % formats.count]
    let text = String(decoding: UnsafeRawBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    guard let result = try? TraceImporter.parse(text, format: format, file: "fuzz") else { return 0 }
    _ = result.failedCount
    _ = result.problems.count
    let jsonl = result.jsonl
    _ = try? TraceParser.parse(jsonl, format: .jsonl, file: "fuzz")
    return 0
}
