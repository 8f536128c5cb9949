import NIOCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// File contents in memory and spilled to disk read back byte for byte, lines across read boundaries included.
    @Suite struct BatchFileContentTests {
        /// Lines of varying length, 11 MB in all: past the spill threshold, and crossing the 4 MiB read pieces.
        @Test func spilledContentReadsBackExactly() {
            var expected: [String] = []
            var content = BatchFileContent()
            var index = 0
            while content.count < 11_000_000 {
                let line = "line-\(index)-" + String(repeating: "x", count: index % 977)
                expected.append(line)
                content.append(ByteBuffer(string: line + "\n"))
                index += 1
            }
            content.append(ByteBuffer(string: "last-without-newline"))
            expected.append("last-without-newline")
            content.seal()
            var seen: [String] = []
            var rangesMatch = true
            content.forEachLine { range, bytes, _ in
                let text = String(decoding: bytes, as: UTF8.self)
                seen.append(text)
                if String(buffer: content.read(range)) != text { rangesMatch = false }
            }
            #expect(seen == expected)
            #expect(rangesMatch)
            #expect(content.pieces().reduce(0) { $0 + $1.count } == content.count)
            #expect(String(buffer: content.read((content.count - 20)..<content.count)) == "last-without-newline")
        }

        @Test func smallContentStaysInMemoryAndSlices() {
            let content = BatchFileContent(ByteBuffer(string: "a\n\nbc"))
            var lines: [String] = []
            content.forEachLine { _, bytes, _ in lines.append(String(decoding: bytes, as: UTF8.self)) }
            #expect(lines == ["a", "", "bc"])
            #expect(String(buffer: content.read(3..<5)) == "bc")
            #expect(String(buffer: content.joined) == "a\n\nbc")
            #expect(BatchFileContent().isEmpty)
        }
    }
}
