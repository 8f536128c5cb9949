import TierbenchCore

/// libFuzzer entry point: a streamed response body through `SSEParser`, as the load thread feeds it.
///
/// The first byte picks where the body is cut into chunks (the network may split anywhere, even inside a CR LF);
/// the same body is also parsed in one piece, and both parses must agree (the parser's promise that splitting does
/// not matter). Bodies stay far below the default 1 MiB event limit, so no line is truncated in either parse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let first = input.first else { return 0 }
    let body = UnsafeRawBufferPointer(rebasing: input.dropFirst())

    var whole = SSEParser()
    var wholeChunks = whole.feed(body)
    wholeChunks += whole.finish()

    // Chunk lengths cycle through 1…(first % 16 + 1), so short bodies are still cut in many places.
    var split = SSEParser()
    var splitChunks = 0
    var index = 0
    var step = 1
    while index < body.count {
        let end = min(body.count, index + step)
        splitChunks += split.feed(UnsafeRawBufferPointer(rebasing: body[index..<end]))
        index = end
        step = step % (Int(first) % 16 + 1) + 1
    }
    splitChunks += split.finish()

    precondition(wholeChunks == whole.contentChunks && splitChunks == split.contentChunks, "content chunk counts")
    precondition(whole.done == split.done && whole.dataEvents == split.dataEvents
                 && whole.contentChunks == split.contentChunks && whole.usage == split.usage
                 && whole.error == split.error && whole.oversizedEvents == split.oversizedEvents,
                 "chunking changed the parse")

    // A small event limit exercises the oversized-event path (lines cut at the limit).
    var small = SSEParser(maxEventBytes: Int(first) % 64)
    small.feed(body)
    small.finish()
    return 0
}
