#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The head of one HTTP/1.1 request read straight from the socket's bytes, for the mock's fast path.
///
/// Only the plain shape the fast path answers is accepted: `GET` or `POST`, `HTTP/1.1`, an optional
/// `Content-Length`, no `Transfer-Encoding`, no `Expect`, no `Upgrade`, `Connection` absent, `keep-alive` or
/// `close`. Anything else is `.unsupported` and the connection is handed to NIO's HTTP decoder and Hummingbird,
/// which answer (or reject) it as before. All ranges index the buffer given to `parse`.
struct RawRequestHead: Equatable {
    var isGet: Bool
    var isPost: Bool
    /// The request target (path and query).
    var path: Range<Int>
    /// Bytes of the request line and headers, including the blank line that ends them.
    var headLength: Int
    /// `Content-Length`, 0 when absent.
    var contentLength = 0
    /// The `Authorization` value, trimmed.
    var authorization: Range<Int>?
    /// The `x-stainless-retry-count` value, trimmed.
    var retryCount: Range<Int>?
    /// False with `Connection: close`.
    var keepAlive = true

    /// What `parse` found at the start of the bytes.
    enum Parse: Equatable {
        /// The head is not complete yet: wait for more bytes.
        case incomplete
        /// Not a shape the fast path reads: hand the bytes to the HTTP decoder.
        case unsupported
        case head(RawRequestHead)
    }

    /// Heads longer than this are left to NIO's decoder (which applies its own limits).
    static let maxHeadBytes = 16 * 1024

    /// Parses the request head at the start of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Parse {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .incomplete }
        let searched = min(bytes.count, maxHeadBytes)
        // The request line.
        guard let lineEnd = findLineEnd(base, from: 0, to: searched) else {
            return bytes.count >= maxHeadBytes ? .unsupported : .incomplete
        }
        guard lineEnd > 0 else { return .unsupported }
        var head: RawRequestHead
        if startsWith(base, 0, lineEnd, "POST ") {
            head = RawRequestHead(isGet: false, isPost: true, path: 5..<5, headLength: 0)
        } else if startsWith(base, 0, lineEnd, "GET ") {
            head = RawRequestHead(isGet: true, isPost: false, path: 4..<4, headLength: 0)
        } else {
            return .unsupported
        }
        let version: StaticString = " HTTP/1.1"
        let pathEnd = lineEnd - version.utf8CodeUnitCount
        guard pathEnd > head.path.lowerBound, bytes[head.path.lowerBound] == UInt8(ascii: "/"),
            startsWith(base, pathEnd, lineEnd, version)
        else { return .unsupported }
        for index in head.path.lowerBound..<pathEnd where bytes[index] <= 0x20 || bytes[index] == 0x7F {
            return .unsupported
        }
        head.path = head.path.lowerBound..<pathEnd
        // Header lines up to the empty one.
        var start = lineEnd + 2
        var sawLength = false
        while true {
            guard let end = findLineEnd(base, from: start, to: searched) else {
                return bytes.count >= maxHeadBytes ? .unsupported : .incomplete
            }
            guard end >= start else { return .unsupported }
            if end == start {
                head.headLength = end + 2
                return .head(head)
            }
            guard let colon = memchr(base + start, Int32(UInt8(ascii: ":")), end - start) else { return .unsupported }
            let nameEnd = base.distance(to: UnsafeRawPointer(colon))
            guard nameEnd > start else { return .unsupported }
            for index in start..<nameEnd where bytes[index] <= 0x20 || bytes[index] >= 0x7F {
                return .unsupported  // obsolete line folding, spaces before the colon, control bytes
            }
            var valueStart = nameEnd + 1
            var valueEnd = end
            while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let name = start..<nameEnd
            let value = valueStart..<valueEnd
            if equalsLowercase(bytes, name, "content-length") {
                guard !sawLength, let length = decimal(bytes, value) else { return .unsupported }
                sawLength = true
                head.contentLength = length
            } else if equalsLowercase(bytes, name, "authorization") {
                head.authorization = value
            } else if equalsLowercase(bytes, name, "x-stainless-retry-count") {
                head.retryCount = value
            } else if equalsLowercase(bytes, name, "connection") {
                if equalsLowercase(bytes, value, "close") {
                    head.keepAlive = false
                } else if !equalsLowercase(bytes, value, "keep-alive") {
                    return .unsupported
                }
            } else if equalsLowercase(bytes, name, "transfer-encoding") || equalsLowercase(bytes, name, "expect")
                || equalsLowercase(bytes, name, "upgrade")
            {
                return .unsupported
            }
            start = end + 2
        }
    }

    /// Index of the `\r` of the first line end in `from..<to`; nil when no `\n` has arrived yet, -1 for a bare `\n`
    /// (which the fast path leaves to NIO's decoder).
    private static func findLineEnd(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        guard from < to, let newline = memchr(base + from, Int32(UInt8(ascii: "\n")), to - from) else { return nil }
        let index = base.distance(to: UnsafeRawPointer(newline))
        guard index > from, base.load(fromByteOffset: index - 1, as: UInt8.self) == UInt8(ascii: "\r") else {
            return -1
        }
        return index - 1
    }

    private static func startsWith(_ base: UnsafeRawPointer, _ from: Int, _ to: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        return to - from >= count && memcmp(base + from, literal.utf8Start, count) == 0
    }

    /// Case-insensitive ASCII comparison with a lowercase literal.
    static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let letters = literal.utf8Start
        for (offset, index) in range.enumerated() {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != letters[offset] { return false }
        }
        return true
    }

    /// A non-negative decimal of at most 12 digits.
    static func decimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 12 else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
