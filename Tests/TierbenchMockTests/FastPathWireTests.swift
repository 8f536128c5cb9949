#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The fast path on the wire: raw bytes over a TCP socket to a real `MockServer`, so pipelining, split reads,
    /// the hand-over to Hummingbird and `Connection: close` are exercised as a client would.
    @Suite struct FastPathWireTests {
        static let chat = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"#

        static func post(_ extraHeaders: String = "", body: String = chat) -> String {
            "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
        }

        static func chunked(_ body: String = chat) -> String {
            "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(body.utf8.count, radix: 16) + "\r\n\(body)\r\n0\r\n\r\n"
        }

        /// Runs `body` with a fresh server (tier limits on, so every response carries x-ratelimit headers).
        static func withServer(_ body: (Int, MockServer) throws -> Void) async throws {
            var settings = MockSettings()
            settings.tier = "tier1"
            let server = MockServer(settings: settings)
            let port = try await server.start()
            do {
                try body(port, server)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        @Test func pipelinedSplitAndHandedOverRequestsAllGetAnswersInOrder() async throws {
            try await Self.withServer { port, server in
                let socket = try WireSocket(port: port)
                // Two requests in one write, then one split in the middle of its body.
                try socket.send(Self.post() + Self.post("X-Stainless-Retry-Count: 1\r\n"))
                let split = Array(Self.post().utf8)  // bytes: "\r\n" is one Character in a String
                try socket.send(split.dropLast(10))
                usleep(50_000)
                try socket.send(split.suffix(10))
                var text = try socket.receive(responses: 3)
                // A chunked request is passed on to Hummingbird; later requests on the connection follow it.
                try socket.send(Self.chunked() + Self.post())
                text += try socket.receive(responses: 2)
                let heads = text.components(separatedBy: "HTTP/1.1 ").dropFirst()
                #expect(heads.count == 5, "\(text)")
                for head in heads {
                    #expect(head.hasPrefix("200 OK"), "\(head)")
                    #expect(head.lowercased().contains("x-ratelimit-remaining-requests: "), "\(head)")
                    #expect(head.contains("\"object\":\"chat.completion\""), "\(head)")
                }
                let stats = server.stats()
                #expect(stats.requests == 5 && stats.succeeded == 5 && stats.retries == 1, "\(stats)")
            }
        }

        @Test func connectionCloseIsAnsweredThenClosed() async throws {
            try await Self.withServer { port, _ in
                let socket = try WireSocket(port: port)
                try socket.send(Self.post("Connection: close\r\n") + Self.post())
                let text = try socket.receiveUntilClosed()
                #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 2, "\(text)")
                #expect(text.contains("connection: close\r\n"), "\(text)")
            }
        }

        @Test func malformedJSONIsA400OnTheFastPath() async throws {
            try await Self.withServer { port, server in
                let socket = try WireSocket(port: port)
                try socket.send(Self.post(body: "{nope") + Self.post())
                let text = try socket.receive(responses: 2)
                #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(text)")
                #expect(text.contains("\"type\":\"invalid_request_error\""), "\(text)")
                #expect(server.stats().byStatus == ["400": 1, "200": 1])
            }
        }
    }
}

/// A blocking loopback TCP client with a 10 s receive timeout.
struct WireSocket: ~Copyable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // On failure the descriptor is closed by `deinit`.
        guard connected == 0 else { throw Failure(description: "connect() failed: errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        try send(Array(text.utf8)[...])
    }

    func send(_ bytes: ArraySlice<UInt8>) throws {
        let bytes = Array(bytes)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "write() failed: errno \(errno)") }
            sent += count
        }
    }

    /// Reads until `responses` complete responses (framed by `content-length`) have arrived.
    func receive(responses: Int) throws -> String {
        var text = ""
        while Self.completeResponses(in: text) < responses {
            guard let chunk = try read() else { throw Failure(description: "closed early after: \(text)") }
            text += chunk
        }
        return text
    }

    /// Closes the sending side (`shutdown(SHUT_WR)`): the server reads end-of-file, the socket still receives.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    func receiveUntilClosed() throws -> String {
        var text = ""
        while let chunk = try read() { text += chunk }
        return text
    }

    private func read() throws -> String? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw Failure(description: "recv() failed or timed out: errno \(errno)") }
        return count == 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Complete responses in `text`, each framed by its `content-length`.
    static func completeResponses(in text: String) -> Int {
        var rest = Substring(text)
        var count = 0
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound].lowercased()
            guard let field = head.range(of: "content-length: ") else { return count }
            let digits = head[field.upperBound...].prefix { $0.isNumber }
            guard let length = Int(digits) else { return count }
            let body = rest[headEnd.upperBound...]
            guard body.utf8.count >= length else { return count }
            rest = body.dropFirst(length)  // ASCII bodies: characters and bytes agree
            count += 1
        }
        return count
    }
}
