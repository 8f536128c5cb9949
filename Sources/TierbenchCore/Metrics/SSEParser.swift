/// An incremental Server-Sent Events parser for OpenAI-style streams, fed raw byte chunks as they arrive.
///
/// Chunks may split anywhere, even inside a CR LF. Lines end in LF, CR LF or CR; `data:` lines of one event are
/// joined with LF; a blank line dispatches the event; comments (`:`) and other fields are ignored except
/// `event: error`. For each dispatched payload the parser notes whether it is `[DONE]`, whether it carries content
/// (see `StreamChunkInspector`), its `usage` (the final `include_usage` chunk) and whether it is an error event.
/// Buffers are reused, so steady-state parsing does not allocate. An event that is one `data:` line followed by its
/// blank line in the same chunk (nearly every OpenAI chunk) is read in place: neither buffer is touched, which at
/// thousands of streams saves two cache misses per chunk.
public struct SSEParser: Sendable {
    /// Largest event payload kept (bytes); a longer event is dropped and flagged in `oversizedEvents`.
    public let maxEventBytes: Int
    /// `data: [DONE]` was seen.
    public private(set) var done = false
    /// Data events dispatched, `[DONE]` excluded.
    public private(set) var dataEvents = 0
    /// Data events that carried content.
    public private(set) var contentChunks = 0
    /// Usage from the last chunk that had a `usage` object.
    public private(set) var usage: TokenUsage?
    /// The first error event (`{"error": ...}` payload or `event: error`).
    public private(set) var error: APIErrorInfo?
    /// Events dropped for exceeding `maxEventBytes`.
    public private(set) var oversizedEvents = 0
    /// Data events (other than `[DONE]`) that are visibly not a JSON object (see `StreamChunkInspector`).
    public private(set) var malformedEvents = 0
    /// The first out-of-range usage figure seen (see `UsageScanner.read`); such a usage is never kept in `usage`.
    public private(set) var invalidUsage: String?

    private var line: [UInt8] = []
    /// `line` holds the start of a line that continues in the next chunk (kept apart from `line.isEmpty`, which
    /// reads the buffer).
    private var lineIsPending = false
    private var data: [UInt8] = []
    /// `data` was written since the last dispatch.
    private var dataIsUsed = false
    /// The pending event's payload while it is a single `data:` line of the chunk being fed, as a range of that
    /// chunk (read in place); copied into `data` when the event goes on or the chunk ends first.
    private var borrowed: Range<Int>?
    private var hasData = false
    private var errorEvent = false
    private var overflow = false
    private var afterCR = false

    public init(maxEventBytes: Int = 1 << 20) {
        self.maxEventBytes = maxEventBytes
        line.reserveCapacity(4_096)
        data.reserveCapacity(4_096)
    }

    /// Parses `bytes`; returns how many content chunks completed in them (0 if none).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Int {
        feed(bytes) { _ in }
    }

    /// Parses `bytes`, passing each dispatched payload (`[DONE]` included) to `onData` while it is valid.
    /// - Returns: how many content chunks completed in `bytes`.
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, onData: (UnsafeRawBufferPointer) -> Void) -> Int {
        let before = contentChunks
        var index = 0
        while index < bytes.count {
            if afterCR {
                afterCR = false
                if bytes[index] == 0x0A {  // the LF of a CR LF split across lines or chunks
                    index += 1
                    continue
                }
            }
            var end = index
            while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
            let piece = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
            guard end < bytes.count else {
                appendToLine(piece)  // an unfinished line: keep it for the next chunk
                break
            }
            afterCR = bytes[end] == 0x0D
            if !lineIsPending {
                processLine(piece, chunk: bytes, onData)  // the whole line is in this chunk: no copy
            } else {
                appendToLine(piece)
                processPendingLine(onData)
            }
            index = end + 1
        }
        if borrowed != nil { keepBorrowed(bytes) }  // the event goes on in the next chunk
        return contentChunks - before
    }

    /// Copies the borrowed payload out of `chunk` into `data`.
    private mutating func keepBorrowed(_ chunk: UnsafeRawBufferPointer) {
        guard let range = borrowed else { return }
        borrowed = nil
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[range]))
        dataIsUsed = true
    }

    /// Ends the stream: dispatches an event left without its closing blank line (lenient; the SSE spec drops it).
    /// - Returns: 1 if that event carried content, else 0.
    @discardableResult
    public mutating func finish(onData: (UnsafeRawBufferPointer) -> Void = { _ in }) -> Int {
        let before = contentChunks
        if lineIsPending { processPendingLine(onData) }
        dispatch(onData)
        return contentChunks - before
    }

    /// Processes the line assembled in `line`, then empties it (the buffer is swapped out, not copied).
    private mutating func processPendingLine(_ onData: (UnsafeRawBufferPointer) -> Void) {
        var pending: [UInt8] = []
        swap(&pending, &line)
        pending.withUnsafeBytes { processLine($0, chunk: nil, onData) }
        pending.removeAll(keepingCapacity: true)
        swap(&pending, &line)
        lineIsPending = false
    }

    /// Keeps part of a line that continues in the next chunk (bounded by `maxEventBytes`).
    private mutating func appendToLine(_ piece: UnsafeRawBufferPointer) {
        let room = maxEventBytes + 1 - line.count
        if room > 0 { line.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece.prefix(room))) }
        if !piece.isEmpty { lineIsPending = true }  // (with no room left, `line` is full already)
    }

    /// Handles one complete line (without its line end); `chunk` is the chunk being fed when the line lies in it
    /// (then a first `data:` line is borrowed, not copied), nil for a line assembled in `line`.
    private mutating func processLine(
        _ line: UnsafeRawBufferPointer, chunk: UnsafeRawBufferPointer?, _ onData: (UnsafeRawBufferPointer) -> Void
    ) {
        if line.isEmpty {
            dispatch(chunk: chunk, onData)
            return
        }
        guard line[0] != UInt8(ascii: ":") else { return }  // comment
        let colon = line.firstIndex(of: JSONBytes.colon) ?? line.count
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count && line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if JSONBytes.equals(line, 0..<colon, "data") {
            if !hasData, let chunk, let start = value.baseAddress, let base = chunk.baseAddress {
                // The event's first data line (`data` is empty): borrow it from the chunk.
                hasData = true
                if value.count > maxEventBytes || line.count > maxEventBytes {
                    overflow = true
                } else {
                    let offset = base.distance(to: start)
                    borrowed = offset..<(offset + value.count)
                }
                return
            }
            if let chunk { keepBorrowed(chunk) }  // a second data line: the payload goes on in `data`
            if hasData {
                data.append(0x0A)
                dataIsUsed = true
            }
            hasData = true
            if data.count + value.count > maxEventBytes || line.count > maxEventBytes {
                overflow = true
            } else {
                data.append(contentsOf: value)
                dataIsUsed = true
            }
        } else if JSONBytes.equals(line, 0..<colon, "event") {
            errorEvent = JSONBytes.equals(value, 0..<value.count, "error")
        }
    }

    /// Dispatches the pending event; `chunk` is the chunk being fed (where a borrowed payload lies), if any.
    private mutating func dispatch(chunk: UnsafeRawBufferPointer? = nil, _ onData: (UnsafeRawBufferPointer) -> Void) {
        guard hasData else {
            errorEvent = false  // nothing pending: leave the buffers untouched (no copy-on-write)
            return
        }
        defer {
            if dataIsUsed { data.removeAll(keepingCapacity: true) }
            dataIsUsed = false
            borrowed = nil
            hasData = false
            errorEvent = false
            overflow = false
        }
        guard !overflow else {
            oversizedEvents += 1
            return
        }
        let isError = errorEvent
        if let range = borrowed, let chunk {
            handle(UnsafeRawBufferPointer(rebasing: chunk[range]), isError: isError, onData)
        } else {
            data.withUnsafeBytes { handle($0, isError: isError, onData) }
        }
    }

    /// Notes what one dispatched payload is: `[DONE]`, content, usage, an error.
    private mutating func handle(
        _ payload: UnsafeRawBufferPointer, isError: Bool, _ onData: (UnsafeRawBufferPointer) -> Void
    ) {
        onData(payload)
        if Self.isDone(payload) {
            done = true
            return
        }
        dataEvents += 1
        let inspection = StreamChunkInspector.inspect(payload)
        if inspection.hasContent { contentChunks += 1 }
        if inspection.isMalformed { malformedEvents += 1 }
        // Most chunks carry no usage: a chunk without the bytes `"usage"` (a memchr scan) skips the scanner.
        if JSONBytes.contains(payload, "\"usage\"") {
            switch UsageScanner.read(payload) {
            case .valid(let found): usage = found
            case .invalid(let problem): if invalidUsage == nil { invalidUsage = problem }
            case .absent: break
            }
        }
        if (inspection.isError || isError) && error == nil {
            error = ErrorBodyParser.parse(payload)
                ?? APIErrorInfo(message: String(decoding: payload, as: UTF8.self))
        }
    }

    private static func isDone(_ payload: UnsafeRawBufferPointer) -> Bool {
        var lower = 0
        var upper = payload.count
        while lower < upper && JSONBytes.isWhitespace(payload[lower]) { lower += 1 }
        while upper > lower && JSONBytes.isWhitespace(payload[upper - 1]) { upper -= 1 }
        return JSONBytes.equals(payload, lower..<upper, "[DONE]")
    }
}
