/// Reads one JSON Lines row — a JSON object — member by member, in place, without building a tree.
///
/// `analyze` reads a million rows in seconds, so it does not decode each line into a `JSONValue`: `scan` walks the
/// top-level object once, checks its grammar (keys are strings, `:` and `,` where they belong, numbers and literals
/// well formed, strings closed) and records each member's key and value as byte ranges in a reused buffer. Values
/// nested inside an object or array member are only checked for balanced brackets (no field `analyze` reads is
/// nested). Keys are compared as raw bytes; string values are unescaped when read (`text`).
struct FlatJSONScanner {
    /// The kind of a member's value.
    enum Kind: Equatable {
        case string, number, bool, null, nested
    }

    /// One member: the key's bytes (without quotes) and the value's bytes (a string without its quotes).
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
        var kind: Kind
    }

    /// The members of the last scanned line (reused between lines).
    private(set) var members: [Member] = []

    init() {
        members.reserveCapacity(32)
    }

    /// Scans `bytes` as one JSON object; returns nil on success or a short reason naming what is wrong.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> String? {
        members.removeAll(keepingCapacity: true)
        var index = JSONBytes.skipWhitespace(bytes, from: 0)
        guard index < bytes.count, bytes[index] == JSONBytes.openBrace else { return "not a JSON object" }
        index = JSONBytes.skipWhitespace(bytes, from: index + 1)
        if index < bytes.count, bytes[index] == JSONBytes.closeBrace {
            return trailing(bytes, after: index + 1)
        }
        while true {
            guard index < bytes.count, bytes[index] == JSONBytes.quote,
                  let keyEnd = JSONBytes.endOfString(bytes, openingQuote: index)
            else { return "expected a quoted key at byte \(index)" }
            let key = (index + 1)..<(keyEnd - 1)
            index = JSONBytes.skipWhitespace(bytes, from: keyEnd)
            guard index < bytes.count, bytes[index] == JSONBytes.colon else { return "expected ':' at byte \(index)" }
            index = JSONBytes.skipWhitespace(bytes, from: index + 1)
            guard let (value, kind, end) = Self.value(bytes, at: index) else { return "bad value at byte \(index)" }
            members.append(Member(key: key, value: value, kind: kind))
            index = JSONBytes.skipWhitespace(bytes, from: end)
            guard index < bytes.count else { return "the object is not closed" }
            if bytes[index] == JSONBytes.comma {
                index = JSONBytes.skipWhitespace(bytes, from: index + 1)
                continue
            }
            guard bytes[index] == JSONBytes.closeBrace else { return "expected ',' or '}' at byte \(index)" }
            return trailing(bytes, after: index + 1)
        }
    }

    private func trailing(_ bytes: UnsafeRawBufferPointer, after index: Int) -> String? {
        JSONBytes.skipWhitespace(bytes, from: index) == bytes.count ? nil : "text after the object"
    }

    /// The value starting at `index`: its range, kind and the index just past it.
    private static func value(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (Range<Int>, Kind, Int)? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case JSONBytes.quote:
            guard let end = JSONBytes.endOfString(bytes, openingQuote: index) else { return nil }
            for position in (index + 1)..<(end - 1) where bytes[position] < 0x20 { return nil }
            return ((index + 1)..<(end - 1), .string, end)
        case JSONBytes.openBrace, JSONBytes.openBracket:
            guard let end = JSONBytes.skipValue(bytes, from: index) else { return nil }
            return (index..<end, .nested, end)
        case UInt8(ascii: "t"):
            return literal(bytes, index, "true").map { ($0, .bool, $0.upperBound) }
        case UInt8(ascii: "f"):
            return literal(bytes, index, "false").map { ($0, .bool, $0.upperBound) }
        case UInt8(ascii: "n"):
            return literal(bytes, index, "null").map { ($0, .null, $0.upperBound) }
        default:
            guard let end = numberEnd(bytes, from: index) else { return nil }
            return (index..<end, .number, end)
        }
    }

    private static func literal(_ bytes: UnsafeRawBufferPointer, _ index: Int, _ word: StaticString) -> Range<Int>? {
        let range = index..<(index + word.utf8CodeUnitCount)
        return JSONBytes.equals(bytes, range, word) ? range : nil
    }

    /// The end of an RFC 8259 number starting at `index` (`-? int frac? exp?`), or nil when it is malformed.
    static func numberEnd(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        var position = index
        func digits() -> Int {
            let start = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            return position - start
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let leadingZero = position < bytes.count && bytes[position] == 0x30
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return nil }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { return nil }
        }
        return position
    }

    // MARK: reading members

    /// The member whose key equals `key`, if the line has one (the last one when repeated).
    func member(_ bytes: UnsafeRawBufferPointer, _ key: StaticString) -> Member? {
        var found: Member?
        for member in members where JSONBytes.equals(bytes, member.key, key) { found = member }
        return found
    }

    /// The value of a number member as a Double (nil when the member is not a number).
    static func number(_ bytes: UnsafeRawBufferPointer, _ member: Member) -> Double? {
        guard member.kind == .number else { return nil }
        let range = member.value
        var start = range.lowerBound
        let negative = bytes[start] == UInt8(ascii: "-")
        if negative { start += 1 }
        if let (value, end) = ByteNumber.leadingDecimal(bytes, start..<range.upperBound), end == range.upperBound,
           range.count <= 17 {
            return negative ? -value : value
        }
        // Exponents and long mantissas: the standard library's correctly rounded parser.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        // Out of Double's range (1e400) is no number: callers range-check finite values only.
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The text of a string member, escapes decoded (`\"`, `\\`, `\n`, `\u00e9`, surrogate pairs); nil when the
    /// member is not a string or holds a malformed escape.
    static func text(_ bytes: UnsafeRawBufferPointer, _ member: Member) -> String? {
        guard member.kind == .string else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[member.value])
        guard raw.contains(JSONBytes.backslash) else { return String(decoding: raw, as: UTF8.self) }
        return unescape(raw)
    }

    /// The UTF-8 length of a string member's text once unescaped (nil as for `text`).
    static func textByteCount(_ bytes: UnsafeRawBufferPointer, _ member: Member) -> Int? {
        guard member.kind == .string else { return nil }
        guard bytes[member.value].contains(JSONBytes.backslash) else { return member.value.count }
        return text(bytes, member)?.utf8.count
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<(at + 4)] {
                guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == JSONBytes.backslash else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { return nil }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4(index) else { return nil }
                index += 4
                if (0xD800...0xDBFF).contains(code), index + 1 < raw.count, raw[index] == JSONBytes.backslash,
                   raw[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00...0xDFFF).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                // A lone surrogate becomes U+FFFD, as Foundation's decoder would refuse it.
                out.append(contentsOf: String(Character(UnicodeScalar(code) ?? "\u{FFFD}")).utf8)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
