import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 server on 127.0.0.1 (port 0) that misbehaves in one chosen way (`Mode`), for the hostile-server
/// tests. One thread per connection, raw sockets (no framework would send these replies). Every loop is bounded:
/// writes stop when the client goes away (MSG_NOSIGNAL: no SIGPIPE), when `stop()` is called, or after
/// `maximumConnectionSeconds`. For tests only.
final class HostileServer: @unchecked Sendable {
    enum Mode: Sendable {
        /// Bytes that are not HTTP at all, then close.
        case garbage
        /// `Content-Length: 1000`, 10 bytes sent, then close.
        case truncatedBody
        /// A chunked 200 whose chunks never end.
        case endlessChunked
        /// A 200 with a 64 MiB body (a JSON string that never holds a usage object).
        case hugeBody
        /// `Content-Encoding: gzip` of 64 MiB of zeros (~64 KiB on the wire), although nobody asked for gzip.
        case gzipBomb(Data)
        /// A 200 whose header block is 2 MiB of headers.
        case hugeHeaders
        /// The reply's header block, one byte every 100 ms.
        case slowHeaders
        /// Reads the request, then says nothing.
        case silence
        /// Headers promising 1000 bytes, 100 sent, then an RST (SO_LINGER 0).
        case resetMidBody
        /// Reads the request and closes without a byte.
        case emptyReply
        /// A normal status and headers plus `body`, with the given extra header lines ("Name: value").
        case fixed(status: Int, headers: [String], body: [UInt8])
        /// A 307 to the same URL (`Location: <path>`), with `body`.
        case redirectToSelf(body: [UInt8])
        /// A 307 to `/redirected`, which answers 200 with `body`.
        case redirectOnce(body: [UInt8])
        /// A chunked SSE stream: each element is written as its own chunk, with `pause` between writes; when
        /// `close` is false the body is never terminated (no last chunk) and the connection stays open.
        case stream(pieces: [[UInt8]], pause: TimeInterval, close: Bool)
        /// A 401 whose error message echoes the request's Authorization header.
        case echoAuthorization
    }

    /// Longest a connection thread lives, whatever the mode.
    static let maximumConnectionSeconds: TimeInterval = 20

    let port: Int
    private let mode: Mode
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private var requests = 0
    private var openConnections: [Int32] = []

    init(_ mode: Mode) throws {
        self.mode = mode
        (listener, port) = try LoopbackListener.open()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Requests whose head was read so far.
    var requestsSeen: Int { lock.withLock { requests } }

    /// Stops accepting and shuts down every open connection, so each connection thread ends promptly.
    func stop() {
        let open = lock.withLock {
            stopped = true
            return openConnections
        }
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            if isStopped {
                close(connection)
                return
            }
            lock.withLock { openConnections.append(connection) }
            var one: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in
                let started = Date()
                serve(connection, started: started)
                lock.withLock { openConnections.removeAll { $0 == connection } }
                close(connection)
            }.start()
        }
    }

    /// Whether a connection opened at `started` may go on.
    private func mayContinue(_ started: Date) -> Bool {
        !isStopped && Date().timeIntervalSince(started) < Self.maximumConnectionSeconds
    }

    // MARK: - Serving

    /// Serves requests on one connection (keep-alive where the mode allows) until the client leaves or the mode closes.
    private func serve(_ connection: Int32, started: Date) {
        var pending: [UInt8] = []
        while mayContinue(started) {
            guard let head = readRequest(connection, pending: &pending, started: started) else { return }
            lock.withLock { requests += 1 }
            guard respond(connection, head: head, started: started) else { return }
        }
    }

    /// Answers one request; returns whether the connection may serve another.
    private func respond(_ connection: Int32, head: String, started: Date) -> Bool {
        switch mode {
        case .garbage:
            _ = send(connection, Array("\u{00}\u{7F}GARBAGE \u{01}\u{02} NOT HTTP\r\n\r\n".utf8) + [0xFF, 0xFE, 0x00, 0x80])
            return false
        case .truncatedBody:
            _ = send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":\"x\",")
            return false
        case .endlessChunked:
            guard send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            else { return false }
            let chunk = Array("1000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 0x1000) + Array("\r\n".utf8)
            while mayContinue(started) {
                guard send(connection, chunk) else { return false }
                usleep(1_000)
            }
            return false
        case .hugeBody:
            let size = 64 << 20
            guard send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(size)\r\n\r\n")
            else { return false }
            var block = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
            block.replaceSubrange(0..<9, with: Array("{\"data\":\"".utf8))
            var sent = 0
            while sent < size, mayContinue(started) {
                let piece = sent == 0 ? block : [UInt8](repeating: UInt8(ascii: "x"), count: min(1 << 16, size - sent))
                guard send(connection, piece) else { return false }
                sent += piece.count
            }
            return false
        case .gzipBomb(let compressed):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: \(compressed.count)\r\n\r\n"
            return send(connection, Array(head.utf8) + [UInt8](compressed))
        case .hugeHeaders:
            guard send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n") else { return false }
            let line = Array("X-Filler: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 8_000) + Array("\r\n".utf8)
            for _ in 0..<256 where mayContinue(started) {
                guard send(connection, line) else { return false }
            }
            _ = send(connection, "Content-Length: 2\r\n\r\n{}")
            return false
        case .slowHeaders:
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".utf8)
            for byte in reply where mayContinue(started) {
                guard send(connection, [byte]) else { return false }
                usleep(100_000)
            }
            return false
        case .silence:
            while mayContinue(started) {
                var byte: UInt8 = 0
                var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 50) > 0, recv(connection, &byte, 1, Int32(MSG_PEEK)) <= 0 { return false }
            }
            return false
        case .resetMidBody:
            _ = send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                + String(repeating: " ", count: 100))
            usleep(20_000)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        case .emptyReply:
            return false
        case .fixed(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
            for header in headers { head += header + "\r\n" }
            return send(connection, Array((head + "\r\n").utf8) + body)
        case .redirectToSelf(let body):
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let reply = "HTTP/1.1 307 Temporary Redirect\r\nLocation: \(path)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\n\r\n"
            return send(connection, Array(reply.utf8) + body)
        case .redirectOnce(let body):
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            if path == "/redirected" {
                let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                return send(connection, Array(reply.utf8) + body)
            }
            return send(connection, "HTTP/1.1 307 Temporary Redirect\r\nLocation: /redirected\r\nContent-Length: 0\r\n\r\n")
        case .stream(let pieces, let pause, let closeBody):
            guard send(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            else { return false }
            for piece in pieces where mayContinue(started) {
                let chunk = Array(String(piece.count, radix: 16).utf8) + Array("\r\n".utf8) + piece + Array("\r\n".utf8)
                guard send(connection, chunk) else { return false }
                if pause > 0 { usleep(UInt32(pause * 1e6)) }
            }
            if closeBody { return send(connection, "0\r\n\r\n") }
            // Keep the body open: wait (bounded) until the client leaves.
            while mayContinue(started) {
                var byte: UInt8 = 0
                var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 50) > 0, recv(connection, &byte, 1, Int32(MSG_PEEK)) <= 0 { return false }
            }
            return false
        case .echoAuthorization:
            let authorization = head.split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("authorization:") }
                .map { String($0.dropFirst("authorization:".count)).trimmingCharacters(in: .whitespaces) } ?? "none"
            let body = Array(
                #"{"error":{"message":"Incorrect API key provided: \#(authorization) (header was 'Authorization: \#(authorization)')","type":"invalid_request_error","code":"invalid_api_key"}}"#
                    .utf8)
            let reply = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + "WWW-Authenticate: \(authorization)\r\nContent-Length: \(body.count)\r\n\r\n"
            return send(connection, Array(reply.utf8) + body)
        }
    }

    /// Reads one request (head, then Content-Length body bytes); returns its head, or nil when the client left.
    private func readRequest(_ connection: Int32, pending: inout [UInt8], started: Date) -> String? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while mayContinue(started) {
            if let end = headerEnd(pending) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                let length = head.lowercased().split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                while pending.count < end + 4 + length {
                    let count = read(connection, &chunk, chunk.count)
                    if count <= 0 { return nil }
                    pending += chunk[0..<count]
                }
                pending.removeFirst(end + 4 + length)
                return head
            }
            let count = read(connection, &chunk, chunk.count)
            if count <= 0 { return nil }
            pending += chunk[0..<count]
        }
        return nil
    }

    /// Writes all of `bytes`; false when the client is gone (no SIGPIPE).
    private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return Glibc.send(connection, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private func send(_ connection: Int32, _ text: String) -> Bool {
        send(connection, Array(text.utf8))
    }

    private func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}

extension HostileServer {
    /// gzip of `megabytes` MiB of zeros, made by the system's gzip (about 1 KiB per MiB); nil without gzip.
    static func gzipBomb(megabytes: Int) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c \(megabytes * 1_048_576) /dev/zero | gzip -c -1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 && !data.isEmpty ? data : nil
    }
}
