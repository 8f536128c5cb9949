import TierbenchCore

/// libFuzzer entry point: the Batch API text tierbench reads — a batch input file line by line through
/// `BatchLineValidator` (what `batch prepare` and the mock's validating phase run on a user's file), and each line
/// as a server's Batch object, File object and output/error-file line (what the client decodes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    var validator = BatchLineValidator(endpoint: "/v1/chat/completions") { !BatchLimits.unsupportedModels.contains($0) }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if let info = validator.check(line, number: index + 1) { _ = info.inputTokens }
        if let value = try? JSONValue.parse(line) {
            if let batch = try? BatchObject(json: value) { _ = batch.jsonText; _ = batch.usage?.totalTokens }
            if let file = try? FileObject(json: value) { _ = file.jsonText }
        }
        if let output = try? BatchOutputLine(parsing: line) { _ = output.outcome }
    }
    validator.finish()
    _ = validator.errors.count
    return 0
}
