#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TierbenchCore
@testable import TierbenchCurl

@Suite("Error classes and prepared requests")
struct TransferClassificationTests {
    @Test func transportErrorsMapLikeCorelibs() {
        let classify = TransferResult.classify
        #expect(classify(CurlCode.ok, 0, true, 200) == nil)
        #expect(classify(CurlCode.ok, 0, true, 201) == nil)
        #expect(classify(CurlCode.ok, 0, true, 429) == .rateLimited)
        #expect(classify(CurlCode.couldntConnect, ECONNREFUSED, false, 0) == .connectionRefused)
        #expect(classify(CurlCode.couldntConnect, ETIMEDOUT, false, 0) == .connectTimeout)
        #expect(classify(CurlCode.couldntResolveHost, 0, false, 0) == .dns)
        #expect(classify(CurlCode.operationTimedOut, 0, false, 0) == .connectTimeout)
        #expect(classify(CurlCode.operationTimedOut, 0, true, 0) == .timeout)
        #expect(classify(CurlCode.peerFailedVerification, 0, false, 0) == .tls)
        #expect(classify(CurlCode.sslConnectError, 0, false, 0) == .tls)
        for code in [CurlCode.recvError, CurlCode.sendError, CurlCode.gotNothing, CurlCode.partialFile] {
            #expect(classify(code, ECONNRESET, true, 0) == .connectionReset)
        }
        #expect(classify(CurlCode.abortedByCallback, 0, true, 0) == .other)
    }

    @Test func preparedRequestAddsDefaultHeaders() throws {
        let request = try PreparedRequest(url: "http://127.0.0.1:1/v1/x", headers: [("X-A", "1")], body: [1, 2, 3])
        #expect(request.method == "POST")
        #expect(request.bodyCount == 3)
        #expect(request.headerLines.contains("X-A: 1"))
        #expect(request.headerLines.contains("Content-Type: application/json"))
        #expect(request.headerLines.contains("Expect:"))
        #expect(request.headerLines.contains { $0.hasPrefix("User-Agent: tierbench/") })
        let custom = try PreparedRequest(
            url: "https://example.invalid/", method: "get", headers: [("User-Agent", "me"), ("X-Empty", "")], body: [])
        #expect(custom.method == "GET" && custom.bodyCount == 0)
        #expect(custom.headerLines.contains("User-Agent: me"))
        #expect(custom.headerLines.contains("X-Empty;"))
        #expect(!custom.headerLines.contains { $0.hasPrefix("Content-Type") })
    }

    @Test(arguments: ["ftp://host/x", "127.0.0.1:8080/v1", "http://", "http://bad host/"])
    func preparedRequestRejectsBadURLs(url: String) {
        #expect(throws: CurlError.self) { try PreparedRequest(url: url, body: []) }
    }

    @Test func preparedRequestRejectsHeaderInjection() {
        #expect(throws: CurlError.self) {
            try PreparedRequest(url: "http://h/", headers: [("X-A", "1\r\nX-B: 2")], body: [])
        }
        #expect(throws: CurlError.self) { try PreparedRequest(url: "http://h/", headers: [("Bad Name", "1")], body: []) }
    }

    @Test func loopNeedsASlot() {
        #expect(throws: CurlError.self) { try CurlLoop(options: CurlLoopOptions(), slots: 0) }
    }
}
