import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

/// `ByteWriter` (TierbenchCore) with the mock's additions writes exactly what `GoDuration` and JSON expect, and says
/// when its region was too small.
@Suite struct ByteWriterTests {
    private func written(reserving bound: Int = 256, _ body: (inout ByteWriter) -> Void) -> String {
        var buffer = ByteBuffer()
        buffer.writeWithByteWriter(reserving: bound, body)
        return String(buffer: buffer)
    }

    @Test(arguments: [0.0, -1, .nan, .infinity, 0.0004, 0.001, 0.12, 0.913, 0.9999, 1, 1.146, 59.999, 360, 1185.394, 3888])
    func goDurationMatchesTheFormatter(_ seconds: Double) {
        #expect(written { $0.writeGoDuration(seconds: seconds) } == GoDuration.format(seconds: seconds))
    }

    @Test(arguments: [0, 7, 10, 99, 100, 12_345, Int.max, -1, -9_876, Int.min])
    func decimalsMatchSwift(_ value: Int) {
        #expect(written { $0.writeDecimal(value) } == String(value))
    }

    @Test(arguments: [
        ("", #""""#),
        ("gpt-4o-mini", #""gpt-4o-mini""#),
        ("quote \" back \\ nl \n cr \r tab \t bell \u{07}", #""quote \" back \\ nl \n cr \r tab \t bell \u0007""#),
        ("naïve ✓", #""naïve ✓""#),
    ])
    func jsonStringsAreEscaped(_ text: String, _ expected: String) {
        #expect(written(reserving: ByteWriter.jsonStringBound(text)) { $0.writeJSONString(text) } == expected)
        var buffer = ByteBuffer()
        buffer.writeJSONString(text)
        #expect(String(buffer: buffer) == expected)
    }

    @Test func piecesAreAppendedInOrderAndOnlyWhatWasWrittenIsKept() {
        var random = MockRandom(seed: 1, sequence: 0)
        var again = random
        var buffer = ByteBuffer()
        buffer.writeStaticString("<")
        buffer.writeWithByteWriter(reserving: 1024) { writer in
            writer.write("a")
            writer.write(bytes: [UInt8(ascii: "b"), UInt8(ascii: "c")])
            writer.write(string: "dé")
            writer.write(byte: UInt8(ascii: "f"))
            writer.writeHex16(0x0123_4567_89AB_CDEF)
            writer.writeBase62(5, random: &random)
        }
        buffer.writeStaticString(">")
        let text = String(buffer: buffer)
        #expect(text.hasPrefix("<abcdéf" + "fedcba9876543210"))
        #expect(buffer.readableBytes == 1 + 7 + 16 + 5 + 1)  // "é" is 2 bytes
        let id = text.dropFirst(7 + 16).dropLast()  // 7 characters, 16 hex digits
        #expect(id.count == 5 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        var same = ByteBuffer()
        same.writeBase62(5, random: &again)
        #expect(String(buffer: same) == String(id))
    }

    @Test func usageMatchesTheShapeOfTheRealAPI() {
        let text = written(reserving: 300) { $0.writeUsage(promptTokens: 12, completionTokens: 30, details: true) }
        #expect(text.hasPrefix("\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42,"))
        #expect(text.contains("\"prompt_tokens_details\":{\"cached_tokens\":0"))
        #expect(text.hasSuffix("}}"))
    }

    @Test func aRegionTooSmallKeepsWhatFitsAndSaysSo() {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { scratch in
            guard let base = scratch.baseAddress else { return }
            var writer = ByteWriter(base: base, capacity: 8)
            writer.write("12345")
            #expect(!writer.overflowed)
            writer.writeDigits(6789)
            #expect(writer.overflowed)  // 4 digits do not fit in the 3 bytes left: none is written
            writer.write("abcdef")
            #expect(writer.count == 8)
            #expect(String(decoding: UnsafeBufferPointer(start: base, count: writer.count), as: UTF8.self) == "12345abc")
        }
    }
}
