import TierbenchCore

/// A forward-only reader over a request body that pulls out the few fields the mock needs, without building a tree.
///
/// Every value it skips is still checked against the JSON grammar, so malformed bodies are refused with the real
/// API's 400 (`MockAPIError.invalidJSON`) wherever the error is. Nesting deeper than `maxDepth` is refused too.
struct JSONReader {
    /// The kinds of JSON value, named as the real API names them in "Invalid type" messages.
    enum Kind {
        case object, array, string, number, bool, null

        /// "an object", "a string"…: the wording of the real API's type errors.
        var article: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    /// Deepest nesting accepted while skipping values.
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// A reader over a whole request body, which must be UTF-8 (RFC 8259 §8.1): invalid UTF-8 is the real API's
    /// "could not parse the JSON body" 400. Checked once up front, so the reader's in-place string shortcuts (which
    /// would repair bad bytes) never see any.
    static func validating(_ bytes: UnsafeRawBufferPointer) throws(MockAPIError) -> JSONReader {
        guard isValidUTF8(bytes) else { throw .invalidJSON }
        return JSONReader(bytes)
    }

    /// Whether `bytes` are well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates or scalars
    /// above U+10FFFF. ASCII runs are skipped eight bytes at a time.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index < count {
            if index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0  // no overlong forms
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F  // no surrogates
            case 0xF0: length = 4; low = 0x90  // no overlong forms
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F  // nothing above U+10FFFF
            default: return false  // continuation byte, C0, C1, F5…FF
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= low && second <= high else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    // MARK: Structure

    /// The kind of the next value (after whitespace), without consuming it.
    mutating func peekKind() throws(MockAPIError) -> Kind {
        skipWhitespace()
        guard position < bytes.count else { throw .invalidJSON }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw .invalidJSON
        }
    }

    /// Calls `body` for each member of the object at the cursor; `body` must consume the member's value.
    mutating func forEachMember(_ body: (inout JSONReader, JSONKey) throws(MockAPIError) -> Void) throws(MockAPIError) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return }
        while true {
            skipWhitespace()
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"))
            return
        }
    }

    /// Calls `body` with each element index of the array at the cursor; `body` must consume the element.
    mutating func forEachElement(_ body: (inout JSONReader, Int) throws(MockAPIError) -> Void) throws(MockAPIError) {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        while true {
            try body(&self, index)
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    /// The byte offset where the next value starts (after whitespace).
    mutating func valueStart() -> Int {
        skipWhitespace()
        return position
    }

    /// The cursor's byte offset.
    var offset: Int { position }

    /// Checks that nothing but whitespace follows the top-level value.
    mutating func expectEnd() throws(MockAPIError) {
        skipWhitespace()
        guard position == bytes.count else { throw .invalidJSON }
    }

    // MARK: Scalars

    /// Reads a string value, decoding escapes.
    mutating func readString() throws(MockAPIError) -> String {
        skipWhitespace()
        // Without escapes (model names, roles) the string is its bytes: no intermediate array.
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            var end = position + 1
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<end]), as: UTF8.self)
                    position = end + 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                end += 1
            }
        }
        var out: [UInt8] = []
        try scanString { out.append($0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Consumes a string value and returns its length in UTF-8 bytes after decoding escapes, without allocating.
    mutating func stringUTF8Count() throws(MockAPIError) -> Int {
        var count = 0
        try scanString { _ in count += 1 }
        return count
    }

    /// Consumes a string value and returns its token estimate and an FNV-1a hash of its decoded bytes.
    mutating func measureString() throws(MockAPIError) -> PromptMeasure {
        var count = 0
        var hash = PromptMeasure.emptyHash
        try scanString { byte in
            count += 1
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return PromptMeasure(tokens: TokenEstimator.tokens(utf8Count: count), hash: hash)
    }

    /// Reads a number value.
    mutating func readNumber() throws(MockAPIError) -> Double {
        let start = position
        try scanNumber()
        // Integers of up to 15 digits (every count and limit) are exact in a Double: no String, no parser.
        let negative = bytes[start] == UInt8(ascii: "-")
        let digitsStart = negative ? start + 1 : start
        if position - digitsStart <= 15 {
            var value: Int64 = 0
            var index = digitsStart
            while index < position, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            if index == position { return negative ? -Double(value) : Double(value) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .invalidJSON }
        return value
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(MockAPIError) -> Bool {
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw .invalidJSON
    }

    /// Consumes any value, checking its grammar.
    mutating func skipValue(depth: Int = 0) throws(MockAPIError) {
        guard depth < Self.maxDepth else { throw .invalidJSON }
        switch try peekKind() {
        case .object: try forEachMember { reader, _ throws(MockAPIError) in try reader.skipValue(depth: depth + 1) }
        case .array: try forEachElement { reader, _ throws(MockAPIError) in try reader.skipValue(depth: depth + 1) }
        case .string: try scanString { _ in }
        case .number: try scanNumber()
        case .bool: _ = try readBool()
        case .null: guard consumeLiteral("null") else { throw .invalidJSON }
        }
    }

    /// Consumes `null` if it is next; returns whether it did.
    mutating func consumeNull() -> Bool {
        skipWhitespace()
        return consumeLiteral("null")
    }

    // MARK: Lexing

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws(MockAPIError) {
        skipWhitespace()
        guard consume(byte) else { throw .invalidJSON }
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let literalBytes = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        guard bytes[position..<(position + count)].elementsEqual(literalBytes) else { return false }
        position += count
        return true
    }

    private mutating func readKey() throws(MockAPIError) -> JSONKey {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw .invalidJSON }
        let start = position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONKey(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        // A key with escapes: decode it (rare).
        return JSONKey(decoded: try readString())
    }

    private mutating func scanNumber() throws(MockAPIError) {
        _ = consume(UInt8(ascii: "-"))
        guard position < bytes.count else { throw .invalidJSON }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard scanDigits() > 0 else { throw .invalidJSON }
        }
        if consume(UInt8(ascii: ".")) {
            guard scanDigits() > 0 else { throw .invalidJSON }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard scanDigits() > 0 else { throw .invalidJSON }
        }
    }

    private mutating func scanDigits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    /// Scans a string at the cursor, handing each decoded UTF-8 byte to `emit`.
    private mutating func scanString(_ emit: (UInt8) -> Void) throws(MockAPIError) {
        skipWhitespace()
        guard consume(UInt8(ascii: "\"")) else { throw .invalidJSON }
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                try scanEscape(emit)
            case 0..<0x20:
                throw .invalidJSON
            default:
                emit(byte)
            }
        }
        throw .invalidJSON
    }

    private mutating func scanEscape(_ emit: (UInt8) -> Void) throws(MockAPIError) {
        guard position < bytes.count else { throw .invalidJSON }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): emit(byte)
        case UInt8(ascii: "b"): emit(0x08)
        case UInt8(ascii: "f"): emit(0x0C)
        case UInt8(ascii: "n"): emit(0x0A)
        case UInt8(ascii: "r"): emit(0x0D)
        case UInt8(ascii: "t"): emit(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else { throw .invalidJSON }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .invalidJSON }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw .invalidJSON
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .invalidJSON }
            for unit in UTF8.encode(unicode) ?? UTF8.EncodedScalar() { emit(unit) }
        default:
            throw .invalidJSON
        }
    }

    private mutating func readHex4() throws(MockAPIError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .invalidJSON }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalidJSON
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// An object key as read from the body: the raw bytes when it had no escapes, else the decoded text.
struct JSONKey {
    private let raw: UnsafeRawBufferPointer?
    private let decoded: String?

    init(raw: UnsafeRawBufferPointer) {
        self.raw = raw
        self.decoded = nil
    }

    init(decoded: String) {
        self.raw = nil
        self.decoded = decoded
    }

    /// Whether the key equals `name`.
    func matches(_ name: StaticString) -> Bool {
        let nameBytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        if let raw { return raw.elementsEqual(nameBytes) }
        return decoded?.utf8.elementsEqual(nameBytes) ?? false
    }
}

/// What the mock keeps of a prompt: its estimated tokens and a hash that makes generated output depend on it.
struct PromptMeasure: Sendable, Equatable {
    var tokens: Int
    var hash: UInt64

    /// FNV-1a's offset basis: the hash of nothing.
    static let emptyHash: UInt64 = 0xCBF2_9CE4_8422_2325

    /// Folds another hash into this one (order-sensitive).
    mutating func combine(_ other: UInt64) {
        hash = (hash ^ other) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
    }
}
