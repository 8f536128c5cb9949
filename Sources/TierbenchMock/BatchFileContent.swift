import NIOCore

/// A stored file's bytes as a few large chunks: an upload is one chunk (a slice of the request body), a batch's
/// output grows chunk by chunk, so a 50 MB output file is never copied to grow (docs/mock.md, "Memory").
struct BatchFileContent: Sendable {
    /// Size a growing chunk reaches before a new one starts.
    static let chunkBytes = 1 << 20

    private(set) var chunks: [ByteBuffer] = []
    private(set) var count = 0

    init() {}

    /// One chunk holding `buffer` (no copy).
    init(_ buffer: ByteBuffer) {
        chunks = [buffer]
        count = buffer.readableBytes
    }

    var isEmpty: Bool { count == 0 }

    /// Appends `bytes` to the last chunk, starting a new one when it is full.
    mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        count += bytes.readableBytes
        if let last = chunks.indices.last, chunks[last].readableBytes + bytes.readableBytes <= Self.chunkBytes {
            chunks[last].writeBuffer(&bytes)
            return
        }
        var chunk = ByteBuffer()
        chunk.reserveCapacity(max(Self.chunkBytes, bytes.readableBytes))
        chunk.writeBuffer(&bytes)
        chunks.append(chunk)
    }

    /// The whole content as one buffer: the chunk itself for an upload, a copy for a batch's output.
    var joined: ByteBuffer {
        if chunks.count == 1 { return chunks[0] }
        var all = ByteBuffer()
        all.reserveCapacity(count)
        for var chunk in chunks { all.writeBuffer(&chunk) }
        return all
    }
}
