#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TierbenchCore

/// Streaming clients on raw loopback sockets, all read on the calling thread with `poll()`: every SSE event is
/// stamped with the monotonic time of the read that brought its last byte, so gaps between chunks are measured as
/// a client sees them. Bounded: throws when the streams are not all complete by `timeout`.
enum StreamProbe {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One response as received.
    struct Stream {
        /// The status line and headers.
        var head = ""
        /// `data:` payloads in order, with their arrival (monotonic ns).
        var events: [(at: UInt64, data: String)] = []
        /// When the request was sent (monotonic ns).
        var sentAt: UInt64 = 0
        /// The terminating chunk arrived.
        var done = false

        var contents: [String] { events.map(\.data) }
    }

    private struct Connection {
        var fd: Int32
        var bytes: [UInt8] = []
        var offset = 0
        var stream = Stream()
    }

    /// A streaming chat request (HTTP/1.1, keep-alive).
    static func chatRequest(extra: String = "", content: String = "hi") -> String {
        let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"\#(content)"}]\#(extra)}"#
        return request(path: "/v1/chat/completions", body: body)
    }

    /// A POST of `body` to `path` (HTTP/1.1, keep-alive).
    static func request(path: String, body: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// Opens one connection per request, sends each (`spacing` ns apart), and reads every response to its end.
    static func run(port: Int, requests: [String], spacing: UInt64 = 0, timeout: Double = 20) throws -> [Stream] {
        var connections: [Connection] = []
        defer { for connection in connections { close(connection.fd) } }
        for _ in requests { connections.append(Connection(fd: try openSocket(port: port))) }
        for index in requests.indices {
            if spacing > 0 && index > 0 { usleep(useconds_t(spacing / 1_000)) }
            connections[index].stream.sentAt = MonotonicClock.now()
            try send(requests[index], to: connections[index].fd)
        }
        let deadline = MonotonicClock.now() + UInt64(timeout * 1e9)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while connections.contains(where: { !$0.stream.done }) {
            guard MonotonicClock.now() < deadline else {
                throw Failure(description: "streams not complete after \(timeout) s: "
                    + "\(connections.filter { !$0.stream.done }.count) of \(connections.count) open")
            }
            var fds = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            guard ready > 0 else { continue }
            for index in fds.indices where fds[index].revents != 0 && !connections[index].stream.done {
                let count = buffer.withUnsafeMutableBytes { recv(fds[index].fd, $0.baseAddress, $0.count, 0) }
                let now = MonotonicClock.now()
                guard count > 0 else { throw Failure(description: "connection \(index) closed before the end") }
                connections[index].bytes += buffer[..<count]
                try parse(&connections[index], at: now)
            }
        }
        return connections.map(\.stream)
    }

    /// Consumes the head and every complete chunk read so far.
    private static func parse(_ connection: inout Connection, at now: UInt64) throws {
        let bytes = connection.bytes
        if connection.stream.head.isEmpty {
            guard let end = find([13, 10, 13, 10], in: bytes, from: 0) else { return }
            connection.stream.head = String(decoding: bytes[..<end], as: UTF8.self)
            guard connection.stream.head.lowercased().contains("transfer-encoding: chunked") else {
                throw Failure(description: "not a chunked stream: \(connection.stream.head)")
            }
            connection.offset = end + 4
        }
        while let lineEnd = find([13, 10], in: bytes, from: connection.offset) {
            let sizeText = String(decoding: bytes[connection.offset..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16) else { throw Failure(description: "bad chunk size \(sizeText)") }
            guard bytes.count >= lineEnd + 2 + size + 2 else { return }
            guard bytes[lineEnd + 2 + size] == 13 && bytes[lineEnd + 3 + size] == 10 else {
                throw Failure(description: "chunk of \(size) bytes not followed by CRLF")
            }
            let payload = String(decoding: bytes[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self)
            connection.offset = lineEnd + 2 + size + 2
            if size == 0 {
                connection.stream.done = true
                return
            }
            for event in payload.components(separatedBy: "\n\n") where event.hasPrefix("data: ") {
                connection.stream.events.append((now, String(event.dropFirst(6))))
            }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if Array(bytes[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }

    static func openSocket(port: Int) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect() failed: errno \(errno)")
        }
        return fd
    }

    private static func send(_ text: String, to fd: Int32) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "write() failed: errno \(errno)") }
            sent += count
        }
    }
}
