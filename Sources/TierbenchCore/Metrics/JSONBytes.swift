#if canImport(Glibc)
import Glibc
#endif

/// Byte-level JSON helpers for the hot path: skipping values and reading integers without building any objects.
///
/// They assume well-formed input where they can and fail soft (return nil) where they cannot, never reading
/// outside the buffer.
enum JSONBytes {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")

    /// Whether `byte` is JSON whitespace (space, tab, LF, CR).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The first index at or after `index` that is not whitespace (may be `bytes.count`).
    @inline(__always)
    static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
        var position = index
        while position < bytes.count && isWhitespace(bytes[position]) { position += 1 }
        return position
    }

    /// Given the index of an opening quote, the index just past the closing quote; nil if unterminated.
    @inline(__always)
    static func endOfString(_ bytes: UnsafeRawBufferPointer, openingQuote index: Int) -> Int? {
        var position = index + 1
        while let found = firstQuoteOrBackslash(bytes, from: position) {
            if bytes[found] == quote { return found + 1 }
            position = found + 2  // a backslash escapes the byte after it
        }
        return nil
    }

    /// The first index at or after `index` holding a quote or a backslash, or nil: eight bytes per step.
    static func firstQuoteOrBackslash(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        var position = max(index, 0)
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let hits = zeroBytes(word ^ (UInt64(quote) &* ones)) | zeroBytes(word ^ (UInt64(backslash) &* ones))
            if hits != 0 { return position + hits.trailingZeroBitCount / 8 }
            position += 8
        }
        while position < bytes.count {
            if bytes[position] == quote || bytes[position] == backslash { return position }
            position += 1
        }
        return nil
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let sevens: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The high bit of each byte of the result is set exactly where `word` has a zero byte: no carry crosses a
    /// byte, so there is no false match next to a real one (unlike the shorter `(x - 0x01…) & ~x & 0x80…`).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & sevens) &+ sevens) | word | sevens)
    }

    /// Whether the quote at `index` is escaped (preceded by an odd number of backslashes).
    static func isEscaped(_ bytes: UnsafeRawBufferPointer, quoteAt index: Int) -> Bool {
        var backslashes = 0
        var position = index - 1
        while position >= 0 && bytes[position] == backslash {
            backslashes += 1
            position -= 1
        }
        return backslashes % 2 == 1
    }

    /// The index just past the value starting at `index` (string, number, literal, object or array).
    static func skipValue(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first == quote { return endOfString(bytes, openingQuote: index) }
        if first == openBrace || first == openBracket {
            var depth = 0
            var position = index
            while position < bytes.count {
                let byte = bytes[position]
                if byte == quote {
                    guard let end = endOfString(bytes, openingQuote: position) else { return nil }
                    position = end
                    continue
                }
                if byte == openBrace || byte == openBracket {
                    depth += 1
                } else if byte == closeBrace || byte == closeBracket {
                    depth -= 1
                    if depth == 0 { return position + 1 }
                }
                position += 1
            }
            return nil
        }
        var position = index
        while position < bytes.count {
            let byte = bytes[position]
            if byte == comma || byte == closeBrace || byte == closeBracket || isWhitespace(byte) { break }
            position += 1
        }
        return position > index ? position : nil
    }

    /// Reads a JSON integer at `index` (a fractional part is ignored); returns the value and the index after it.
    static func readInteger(_ bytes: UnsafeRawBufferPointer, from index: Int) -> (value: Int, end: Int)? {
        var position = index
        var negative = false
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let digitsStart = position
        var value = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(bytes[position] - 0x30))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
            position += 1
        }
        guard position > digitsStart else { return nil }
        // Skip a fraction or exponent ("12.0", "1e3") up to the next delimiter.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == comma || byte == closeBrace || byte == closeBracket || isWhitespace(byte) { break }
            position += 1
        }
        return (negative ? -value : value, position)
    }

    /// Whether the bytes in `range` equal `literal`.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount, range.lowerBound >= 0, range.upperBound <= bytes.count else {
            return false
        }
        let pointer = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] {
            return false
        }
        return true
    }

    /// Whether `needle` (at least 2 bytes) occurs anywhere in `bytes`: jumps from one occurrence of the needle's
    /// second byte to the next with the C library's `memchr` and compares the whole needle there (`memcmp`).
    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let length = needle.utf8CodeUnitCount
        guard length >= 2, let base = bytes.baseAddress, bytes.count >= length else { return false }
        let anchor = Int32(needle.utf8Start[1])
        var position = 1  // where the needle's second byte may be
        let last = bytes.count - length + 1  // the last such position
        while position <= last {
            guard let hit = memchr(base + position, anchor, last - position + 1) else { return false }
            let start = base.distance(to: UnsafeRawPointer(hit)) - 1
            if memcmp(base + start, needle.utf8Start, length) == 0 { return true }
            position = start + 2
        }
        return false
    }

    /// The index of the last unescaped occurrence of `"key"` that ends before `limit`, searching backwards.
    ///
    /// Jumps from one occurrence of the key's byte at `anchor` (an offset into `key`; best its rarest letter, see
    /// `rarestByteOffset`) to the previous one (`lastIndex(of:in:from:through:)`, 8 bytes at a time), and compares
    /// the whole quoted key there: every start position whose anchor byte matches is tested, in the same descending
    /// order as a plain byte-by-byte scan, so the answer is the same.
    static func lastKeyQuote(
        _ bytes: UnsafeRawBufferPointer, key: StaticString, anchor: Int = 0, before limit: Int
    ) -> Int? {
        let keyLength = key.utf8CodeUnitCount
        let length = keyLength + 2
        let end = min(limit, bytes.count)
        guard keyLength > 0, anchor >= 0, anchor < keyLength, let base = bytes.baseAddress, end >= length else {
            return nil
        }
        let anchorByte = key.utf8Start[anchor]
        let lowest = 1 + anchor  // where the anchor byte sits for a match starting at 0
        var highest = end - length + 1 + anchor  // … and for the last start that ends before `end`
        while highest >= lowest {
            guard let position = lastIndex(of: anchorByte, in: bytes, from: lowest, through: highest) else {
                return nil
            }
            let start = position - 1 - anchor
            if bytes[start] == quote, bytes[start + length - 1] == quote,
               memcmp(base + start + 1, key.utf8Start, keyLength) == 0, !isEscaped(bytes, quoteAt: start) {
                return start
            }
            highest = position - 1
        }
        return nil
    }

    /// The last index in `low...high` (both within `bytes`) whose byte is `byte`, or nil: eight bytes per step, from
    /// the top, with an exact per-byte zero test (no carry crosses a byte, so no false match).
    static func lastIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from low: Int, through high: Int) -> Int? {
        let pattern = UInt64(byte) &* ones
        var top = high  // the highest index not yet looked at
        while top - 7 >= low {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: top - 7, as: UInt64.self)) ^ pattern
            let zero = zeroBytes(word)  // a zero byte of `word` is a match
            if zero != 0 { return top - zero.leadingZeroBitCount / 8 }
            top -= 8
        }
        while top >= low {
            if bytes[top] == byte { return top }
            top -= 1
        }
        return nil
    }

    /// The offset in `key` of its rarest byte in English text and JSON (by letter frequency; any other byte counts
    /// as common): the anchor that makes `lastKeyQuote` jump furthest.
    static func rarestByteOffset(in key: StaticString) -> Int {
        let rarestFirst = Array("zqxjkvbpygfwmucldrhsnioate".utf8)
        var best = 0
        var bestRank = Int.max
        for offset in 0..<key.utf8CodeUnitCount {
            let rank = rarestFirst.firstIndex(of: key.utf8Start[offset]) ?? rarestFirst.count
            if rank < bestRank { (best, bestRank) = (offset, rank) }
        }
        return best
    }
}
