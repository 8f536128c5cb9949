import NIOCore

/// HTTP/1.1 chunked transfer coding: `<hex length>\r\n<bytes>\r\n` per chunk, `0\r\n\r\n` at the end.
enum ChunkedEncoding {
    static func writeChunkHead(_ length: Int, into buffer: inout ByteBuffer) {
        let digits: StaticString = "0123456789abcdef"
        let value = max(length, 0)
        var shift = 0
        while (value >> shift) > 15 { shift += 4 }
        while shift >= 0 {
            buffer.writeInteger(digits.utf8Start[(value >> shift) & 15])
            shift -= 4
        }
        buffer.writeStaticString("\r\n")
    }
}
