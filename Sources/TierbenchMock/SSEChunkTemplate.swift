import NIOCore
import TierbenchCore

/// A stream's SSE bytes built once, when the stream starts: what goes before the first token (chat's role chunks),
/// each choice's content chunk around its token text, and everything after the last token (finish chunks, the
/// usage chunk, `[DONE]`). A chunk on the hot path is then a copy of prebuilt bytes and the token's text — no
/// formatting, no JSON building.
struct SSEChunkTemplate {
    /// Before the first token: role chunks (chat), or the corrupt chunk of a malformed stream.
    let opening: [UInt8]
    /// Per choice: a content chunk's bytes before and after the token text.
    let heads: [[UInt8]]
    let tails: [[UInt8]]
    /// After the last token.
    let closing: [UInt8]

    init(_ stream: SSEStream) {
        var buffer = ByteBuffer()
        if stream.malformed {
            buffer.writeBytes(stream.prefix)
            buffer.writeStaticString("{\"index\":0,\"delta\":{\"content\":\n\n")
        }
        if stream.kind == .chat {
            for index in stream.choices.indices { stream.writeRoleChunk(index: index, into: &buffer) }
        }
        opening = Array(buffer.readableBytesView)
        var heads: [[UInt8]] = []
        var tails: [[UInt8]] = []
        // A content chunk with a one-byte marker for the text, split around it (the marker is not a byte any
        // prefix or JSON punctuation here contains: 0x01).
        let marker: [UInt8] = [1]
        for index in stream.choices.indices {
            buffer.clear()
            stream.writeContentChunk(index: index, text: marker[...], into: &buffer)
            let bytes = Array(buffer.readableBytesView)
            let at = bytes.lastIndex(of: 1) ?? bytes.count
            heads.append(Array(bytes[..<at]))
            tails.append(at < bytes.count ? Array(bytes[(at + 1)...]) : [])
        }
        self.heads = heads
        self.tails = tails
        buffer.clear()
        for (index, choice) in stream.choices.enumerated() {
            stream.writeFinishChunk(index: index, reason: choice.finish, into: &buffer)
        }
        stream.writeUsageChunk(into: &buffer)
        buffer.writeStaticString("data: [DONE]\n\n")
        closing = Array(buffer.readableBytesView)
    }
}
