import Testing
@testable import TierbenchCore

/// `FlatJSONScanner` on its own: escapes, nested values, numbers, duplicate keys; and the rows built from it.
struct AnalyzeScannerTests {
    /// One scanned line: the scan's verdict and typed access to its members.
    struct Scanned {
        let bytes: [UInt8]
        var scanner = FlatJSONScanner()
        var reason: String?

        init(_ line: String) {
            bytes = Array(line.utf8)
            var scanner = FlatJSONScanner()
            reason = bytes.withUnsafeBytes { scanner.scan($0) }
            self.scanner = scanner
        }

        var kinds: [FlatJSONScanner.Kind] { scanner.members.map(\.kind) }

        func member(_ key: StaticString) -> FlatJSONScanner.Member? {
            bytes.withUnsafeBytes { scanner.member($0, key) }
        }

        func text(_ key: StaticString) -> String? {
            guard let member = member(key) else { return "<missing>" }
            return bytes.withUnsafeBytes { FlatJSONScanner.text($0, member) }
        }

        func textByteCount(_ key: StaticString) -> Int? {
            guard let member = member(key) else { return nil }
            return bytes.withUnsafeBytes { FlatJSONScanner.textByteCount($0, member) }
        }

        func number(_ key: StaticString) -> Double? {
            guard let member = member(key) else { return -1 }
            return bytes.withUnsafeBytes { FlatJSONScanner.number($0, member) }
        }
    }

    @Test func escapedStringsAreUnescaped() {
        let line = #"{"model":"gpt-\"4o\"\\mini","error":"tab\there","plain":"x","emoji":"\ud83d\ude00 \u00e9","bad":"\q"}"#
        let scanned = Scanned(line)
        #expect(scanned.reason == nil)
        #expect(scanned.text("model") == #"gpt-"4o"\mini"#)
        #expect(scanned.text("error") == "tab\there")
        #expect(scanned.text("plain") == "x")
        #expect(scanned.text("emoji") == "😀 é")
        #expect(scanned.text("bad") == nil)
        #expect(scanned.textByteCount("emoji") == 7)
        #expect(scanned.textByteCount("plain") == 1)
    }

    @Test func nestedValuesWithBracesInStrings() {
        let scanned = Scanned(#"{"a":[1,{"b":"}"},"]"],"c":{"d":"}{"},"e":2}"#)
        #expect(scanned.reason == nil)
        #expect(scanned.kinds == [.nested, .nested, .number])
        #expect(scanned.number("e") == 2)
        #expect(Scanned(#"{"a":[1,"}"}"#).reason != nil)
    }

    @Test func numbersAndDuplicateKeys() {
        let scanned = Scanned(#"{"x":1.5e3,"y":-2E-2,"x":7,"big":1e400,"n":12345678901234567890}"#)
        #expect(scanned.reason == nil)
        #expect(scanned.number("x") == 7)  // the last of a repeated key wins
        #expect(scanned.number("y") == -0.02)
        #expect(scanned.number("big") == nil)
        #expect(scanned.number("n") == 12345678901234567890)
        #expect(scanned.kinds.count == 5)
        #expect(Scanned(#"{"x":1.5e3}"#).number("x") == 1_500)
        for bad in [#"{"x":1e}"#, #"{"x":05}"#, #"{"x":.5}"#, #"{"x":1.}"#] {
            #expect(Scanned(bad).reason != nil, "\(bad)")
        }
    }

    @Test func rowsUseUnescapedText() throws {
        let lines = [
            #"{"t_ms":0,"latency_ms":5,"status":500,"error":"http_5xx","model":"gpt-4o-mini"}"#,
            #"{"t_ms":10,"latency_ms":5,"status":500,"error":"http\u005f5xx","model":"gpt\u002d4o-mini"}"#,
            #"{"t_ms":20,"latency_ms":1e400,"status":200}"#,
        ]
        let analysis = AnalyzeTestSupport.analyze([("r.jsonl", lines)])
        let requests = try #require(analysis.requests)
        #expect(requests.byModel.map(\.model) == ["gpt-4o-mini"])
        #expect(requests.byErrorClass == ["http_5xx": 2])
        #expect(analysis.badRows == 1)
        #expect(analysis.badRowsListed.first?.reason == "latency_ms is not a number")
        // A trace prompt's size counts its unescaped bytes: "\u00e9" is 2 bytes, "\n" 1; 400 + 400 = 800 bytes.
        let prompt = String(repeating: #"\u00e9"#, count: 200) + String(repeating: #"\n"#, count: 400)
        let trace = AnalyzeTestSupport.analyze([("t.jsonl", [#"{"timestamp":0,"prompt":"\#(prompt)"}"#])])
        #expect(trace.requests?.promptTokens?.sum == TokenEstimator.tokens(utf8Count: 800))
    }
}
