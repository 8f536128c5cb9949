import Testing

@testable import TierbenchMock

/// The reader's shortcuts (strings without escapes, short integers) give what the general paths give.
@Suite struct JSONReaderTests {
    private func read<T>(_ json: String, _ body: (inout JSONReader) throws(MockAPIError) -> T) throws -> T {
        var json = json
        return try json.withUTF8 { utf8 in
            var reader = JSONReader(UnsafeRawBufferPointer(utf8))
            let value = try body(&reader)
            try reader.expectEnd()
            return value
        }
    }

    @Test(arguments: [
        (#""gpt-4o-mini""#, "gpt-4o-mini"),
        (#"  "user" "#, "user"),
        (#""""#, ""),
        (#""a long string that does not fit in a small Swift string""#, "a long string that does not fit in a small Swift string"),
        (#""tab\tand \"quotes\" and \\""#, "tab\tand \"quotes\" and \\"),
        (#""caf\u00e9 \ud83d\ude00""#, "café 😀"),
        (#""naïve""#, "naïve"),
    ])
    func strings(_ json: String, _ expected: String) throws {
        #expect(try read(json) { reader throws(MockAPIError) in try reader.readString() } == expected)
    }

    @Test(arguments: ["\"unterminated", "\"control \u{01} char\"", "\"bad \\x escape\"", "7"])
    func badStringsAreInvalidJSON(_ json: String) {
        #expect(throws: MockAPIError.self) { try read(json) { reader throws(MockAPIError) in try reader.readString() } }
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("16", 16), ("-42", -42), ("999999999999999", 999_999_999_999_999),
        ("1234567890123456789", 1_234_567_890_123_456_789), ("0.7", 0.7), ("-1.5e3", -1500), ("2E-2", 0.02),
    ])
    func numbers(_ json: String, _ expected: Double) throws {
        let value = try read(json) { reader throws(MockAPIError) in try reader.readNumber() }
        #expect(value == expected && value.sign == expected.sign)
    }

    @Test(arguments: ["-", "01", "1.", ".5", "1e", "--1"])
    func badNumbersAreInvalidJSON(_ json: String) {
        #expect(throws: MockAPIError.self) { try read(json) { reader throws(MockAPIError) in try reader.readNumber() } }
    }
}
