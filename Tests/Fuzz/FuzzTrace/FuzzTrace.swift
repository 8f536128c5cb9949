import TierbenchCore

/// libFuzzer entry point: a `load.trace` file through `TraceParser.parse` (the first byte picks JSONL or CSV), then
/// what the load plan does with a trace that parses: send offsets and the busiest second, at the slowest, default
/// and fastest replay speeds a scenario may give.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let first = input.first else { return 0 }
    let format: TraceSettings.Format = first & 1 == 0 ? .jsonl : .csv
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: input.dropFirst()), as: UTF8.self)
    do {
        let trace = try TraceParser.parse(text, format: format, file: "fuzz.trace")
        for speed in [1e-9, 1, 1_000_000] {
            _ = trace.sendOffsets(speed: speed)
            _ = trace.peakPerSecond(speed: speed)
        }
    } catch {
        _ = error.description
    }
    return 0
}
