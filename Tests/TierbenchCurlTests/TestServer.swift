import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import TierbenchCurl

/// A Hummingbird server on 127.0.0.1 at a free port, with the routes the transport tests need.
enum TestServer {
    /// The body of `POST /v1/chat/completions`: a realistic OpenAI chat completion.
    static let chatJSON = """
        {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}
        """

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let name = HTTPField.Name("X-Body-Bytes") { headers[name] = "\(body.readableBytes)" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: chatJSON)))
        }
        router.get("/delay/{ms}") { _, context -> String in
            let milliseconds = try context.parameters.require("ms", as: Int.self)
            try await Task.sleep(for: .milliseconds(milliseconds))
            return "slept \(milliseconds) ms"
        }
        router.get("/status/{code}") { _, context -> Response in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(
                status: .init(code: code),
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"status \#(code)"}}"#)))
        }
        return router
    }

    /// Runs `body` with the port of a freshly started server, then shuts the server down gracefully.
    static func with<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        var logger = Logger(label: "curl-test-server")
        logger.logLevel = .warning
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let outcome: Result<T, any Error>
            if port > 0 {
                do { outcome = .success(try await body(port)) } catch { outcome = .failure(error) }
            } else {
                outcome = .failure(TestFailure("the test server did not report a port"))
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}

/// A failed test precondition.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
