import Foundation
import Testing
import TierbenchCore
@testable import TierbenchCurl

/// `CurlClient.send(_:bodyTo:)` (batch downloads) and `PreparedRequest(bodyCount:fill:)` (batch uploads).
@Suite("CurlClient body sink", .timeLimit(.minutes(1)))
struct CurlClientSinkTests {
    @Test func theBodyGoesToTheFileNotToMemory() async throws {
        try await TestServer.with { port in
            let client = CurlClient()
            defer { client.shutdown() }
            let path = NSTemporaryDirectory() + "tierbench-sink-" + UUID().uuidString
            defer { unlink(path) }
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(fd >= 0)
            let body = Array(#"{"model":"m"}"#.utf8)
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", bodyCount: body.count
            ) { buffer throws(CurlError) in
                buffer.copyBytes(from: body)
            }
            let (result, _, collected) = await client.send(request, bodyTo: fd)
            close(fd)
            #expect(result.succeeded && result.status == 200)
            #expect(collected.isEmpty)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == TestServer.chatJSON)
        }
    }

    @Test func aFailedWriteFailsTheTransfer() async throws {
        try await TestServer.with { port in
            let client = CurlClient()
            defer { client.shutdown() }
            let request = try PreparedRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Array("{}".utf8))
            let fd = open("/dev/null", O_RDONLY)  // writes fail with EBADF
            defer { close(fd) }
            let (result, _, _) = await client.send(request, bodyTo: fd)
            #expect(!result.succeeded)
            #expect(result.errorMessage?.contains("cannot write the response body") == true)
        }
    }
}
