import TierbenchCore

/// libFuzzer entry point: a non-streamed response body as `SlotState.outcome` reads it: `UsageScanner` (every
/// response) and `ErrorBodyParser` (failures).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = UnsafeRawBufferPointer(start: data, count: size)
    if let usage = UsageScanner.scan(body) {
        _ = usage.total
    }
    if let error = ErrorBodyParser.parse(body) {
        _ = error.message
    }
    return 0
}
