import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed `multipart/form-data` body (RFC 7578): its parts in order, each a slice of the body (no copy).
struct MultipartForm: Sendable {
    /// One part: its field name, the filename when it is a file, its content type and bytes.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: ByteBuffer

        /// The part's bytes as UTF-8 text (for plain fields).
        var text: String { String(buffer: data) }
    }

    var parts: [Part]

    /// At most this many parts (the upload has 2–4) and this many header bytes per part.
    static let maxParts = 16
    static let maxHeaderBytes = 16 << 10

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` value (quoted or not); nil when the type
    /// is not multipart/form-data or names no boundary.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingSpaces }
        guard let type = pieces.first, type.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingSpaces.lowercased()
            guard key == "boundary" else { continue }
            var value = piece[piece.index(after: equals)...].trimmingSpaces
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Parses `body` with `boundary`. Throws a 400 in OpenAI's envelope for anything malformed.
    static func parse(_ body: ByteBuffer, boundary: String) throws(MockAPIError) -> MultipartForm {
        let delimiter = Array("--\(boundary)".utf8)
        let bytes = body.readableBytesView
        let base = body.readerIndex
        // The first delimiter may follow a preamble; later ones follow CRLF.
        guard var position = find(delimiter, in: body, from: 0) else { throw malformed("no multipart boundary found") }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 2 <= bytes.count, bytes[base + position] == UInt8(ascii: "-"),
                bytes[base + position + 1] == UInt8(ascii: "-")
            {
                break
            }
            guard let afterLine = skipLineEnd(bytes, base: base, at: position) else {
                throw malformed("a boundary is not followed by a line end")
            }
            position = afterLine
            guard parts.count < maxParts else { throw malformed("more than \(maxParts) parts") }
            guard let headEnd = find(Array("\r\n\r\n".utf8), in: body, from: position) else {
                throw malformed("a part has no header end")
            }
            guard headEnd - position <= maxHeaderBytes else {
                throw malformed("a part's headers are larger than \(maxHeaderBytes) bytes")
            }
            let head = String(decoding: bytes[(base + position)..<(base + headEnd)], as: UTF8.self)
            let contentStart = headEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: body, from: contentStart) else {
                throw malformed("a part is not closed by the boundary")
            }
            guard let data = body.getSlice(at: base + contentStart, length: next - contentStart) else {
                throw malformed("a part is out of bounds")
            }
            var part = Part(name: "", filename: nil, contentType: nil, data: data)
            for line in head.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].trimmingSpaces.lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingSpaces
                if name == "content-disposition" {
                    let params = parameters(value)
                    part.name = params["name"] ?? ""
                    part.filename = params["filename"]
                } else if name == "content-type" {
                    part.contentType = value
                }
            }
            guard !part.name.isEmpty else { throw malformed("a part has no Content-Disposition name") }
            parts.append(part)
            position = next + 2
        }
        return MultipartForm(parts: parts)
    }

    /// `form-data; name="file"; filename="a.jsonl"` → ["name": "file", "filename": "a.jsonl"]; values quoted or
    /// not, with `\"` and `\\` unescaped in quoted ones.
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var characters = Substring(value)
        // Skip the disposition type.
        if let semicolon = characters.firstIndex(of: ";") { characters = characters[characters.index(after: semicolon)...] } else { return [:] }
        while !characters.isEmpty {
            characters = characters.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = characters.firstIndex(of: "=") else { break }
            let key = characters[..<equals].trimmingSpaces.lowercased()
            characters = characters[characters.index(after: equals)...].drop { $0 == " " }
            var parsed = ""
            if characters.first == "\"" {
                characters = characters.dropFirst()
                var escaped = false
                var end = characters.endIndex
                for index in characters.indices {
                    let character = characters[index]
                    if escaped {
                        parsed.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        parsed.append(character)
                    }
                }
                characters = end < characters.endIndex ? characters[characters.index(after: end)...] : ""
            } else {
                let end = characters.firstIndex(of: ";") ?? characters.endIndex
                parsed = characters[..<end].trimmingSpaces
                characters = characters[end...]
            }
            if result[key] == nil { result[key] = parsed }
        }
        return result
    }

    /// Offset (from the reader index) of `needle` in `body` at or after `from`.
    private static func find(_ needle: [UInt8], in body: ByteBuffer, from: Int) -> Int? {
        body.withUnsafeReadableBytes { haystack -> Int? in
            guard let start = haystack.baseAddress, let first = needle.first else { return nil }
            return needle.withUnsafeBytes { pattern -> Int? in
                guard let patternStart = pattern.baseAddress else { return nil }
                var index = from
                // memchr finds candidates for the first byte; memcmp checks the rest.
                while index + needle.count <= haystack.count {
                    guard let hit = memchr(start + index, Int32(first), haystack.count - needle.count + 1 - index) else {
                        return nil
                    }
                    let offset = start.distance(to: UnsafeRawPointer(hit))
                    if memcmp(start + offset, patternStart, needle.count) == 0 { return offset }
                    index = offset + 1
                }
                return nil
            }
        }
    }

    /// Skips optional transport padding and the CRLF (or LF) after a delimiter; nil when there is no line end.
    private static func skipLineEnd(_ bytes: ByteBufferView, base: Int, at position: Int) -> Int? {
        var position = position
        while base + position < bytes.endIndex, bytes[base + position] == UInt8(ascii: " ") || bytes[base + position] == UInt8(ascii: "\t") {
            position += 1
        }
        if base + position < bytes.endIndex, bytes[base + position] == UInt8(ascii: "\r") { position += 1 }
        guard base + position < bytes.endIndex, bytes[base + position] == UInt8(ascii: "\n") else { return nil }
        return position + 1
    }

    private static func malformed(_ what: String) -> MockAPIError {
        MockAPIError(status: 400, message: "Could not parse multipart form: \(what).")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
