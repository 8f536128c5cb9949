import Testing
import TierbenchCore
@testable import TierbenchCurl

@Suite("CurlClient", .timeLimit(.minutes(1)))
struct CurlClientTests {
    @Test func sendReturnsTheResponseToAsyncCode() async throws {
        try await TestServer.with { port in
            let client = CurlClient()
            defer { client.shutdown() }
            let request = try PreparedRequest(
                url: "http://127.0.0.1:\(port)/v1/chat/completions", body: Array(#"{"model":"m"}"#.utf8))
            let (result, headers, body) = await client.send(request)
            #expect(result.status == 200 && result.succeeded)
            #expect(String(decoding: body, as: UTF8.self) == TestServer.chatJSON)
            #expect(headers.first?.hasPrefix("HTTP/1.1 200") == true)
            #expect(headers.contains("X-Body-Bytes: 13") || headers.contains("x-body-bytes: 13"))
        }
    }

    @Test func manyConcurrentSendsAllComplete() async throws {
        try await TestServer.with { port in
            let client = CurlClient(concurrency: 4)
            defer { client.shutdown() }
            let ok = try PreparedRequest(url: "http://127.0.0.1:\(port)/delay/10", method: "GET")
            let missing = try PreparedRequest(url: "http://127.0.0.1:\(port)/status/404", method: "GET")
            let statuses = await withTaskGroup(of: Int.self) { group in
                for index in 0..<20 { group.addTask { await client.send(index % 2 == 0 ? ok : missing).0.status } }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 20)
            #expect(statuses.filter { $0 == 200 }.count == 10)
            #expect(statuses.filter { $0 == 404 }.count == 10)
        }
    }

    @Test func sendAfterShutdownFailsAtOnce() async throws {
        let client = CurlClient()
        client.shutdown()
        let request = try PreparedRequest(url: "http://127.0.0.1:9/", method: "GET")
        let (result, _, _) = await client.send(request)
        #expect(result.errorClass == .other)
        #expect(result.errorMessage == "client shut down")
    }
}
