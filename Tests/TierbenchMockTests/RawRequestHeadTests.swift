import Testing

@testable import TierbenchMock

extension MockTests {
    /// The fast path's request-head reader: what it accepts, and everything it leaves to NIO's decoder.
    @Suite struct RawRequestHeadTests {
        static func parse(_ text: String) -> RawRequestHead.Parse {
            Array(text.utf8).withUnsafeBytes { RawRequestHead.parse($0) }
        }

        static func text(_ text: String, _ range: Range<Int>?) -> String? {
            range.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
        }

        @Test func readsAPlainPost() throws {
            let request = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nCONTENT-length: 12\r\n"
                + "Authorization:  Bearer sk-1 \r\nX-Stainless-Retry-Count: 2\r\n\r\n{\"a\":1}"
            guard case .head(let head) = Self.parse(request) else {
                Issue.record("not parsed: \(Self.parse(request))")
                return
            }
            #expect(head.isPost && !head.isGet)
            #expect(Self.text(request, head.path) == "/v1/chat/completions")
            #expect(head.contentLength == 12)
            #expect(Self.text(request, head.authorization) == "Bearer sk-1")
            #expect(Self.text(request, head.retryCount) == "2")
            #expect(head.keepAlive)
            #expect(head.headLength == request.utf8.count - 7)
        }

        @Test func readsGetAndConnectionClose() throws {
            let request = "GET /v1/models?x=1 HTTP/1.1\r\nConnection: Close\r\n\r\n"
            guard case .head(let head) = Self.parse(request) else {
                Issue.record("not parsed")
                return
            }
            #expect(head.isGet && !head.keepAlive && head.contentLength == 0)
            #expect(Self.text(request, head.path) == "/v1/models?x=1")
        }

        @Test(arguments: ["", "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", "POST /v1/chat/completions HT"])
        func waitsForTheRestOfTheHead(_ text: String) {
            #expect(Self.parse(text) == .incomplete)
        }

        @Test(arguments: [
            "PUT /v1/chat/completions HTTP/1.1\r\n\r\n",
            "HEAD /v1/models HTTP/1.1\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.0\r\n\r\n",
            "POST v1/chat HTTP/1.1\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\nHost: x\n\n",
            "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET /v1/models HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost : x\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\n folded\r\n\r\n",
        ])
        func leavesOtherShapesToNIO(_ text: String) {
            #expect(Self.parse(text) == .unsupported)
        }

        @Test func leavesHugeHeadsToNIO() {
            let request = "GET /v1/models HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: RawRequestHead.maxHeadBytes)
            #expect(Self.parse(request) == .unsupported)
        }
    }
}
