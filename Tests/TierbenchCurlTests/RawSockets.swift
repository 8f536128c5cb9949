#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TierbenchCurl

/// Plain-socket helpers for failures Hummingbird cannot produce: a port nobody listens on, a server that closes
/// the connection in the middle of a response body.
enum RawSockets {
    /// A loopback port that was free a moment ago and has no listener now (bound, then closed).
    static func closedPort() throws -> Int {
        let fd = try listener()
        let port = try localPort(fd)
        close(fd)
        return port
    }

    /// Starts a server that answers each of `connections` connections with headers promising 1000 body bytes,
    /// sends 10, and closes. Returns its port; the server thread ends after the last connection.
    static func truncatingServer(connections: Int) throws -> Int {
        let fd = try listener()
        let port = try localPort(fd)
        try CurlThread.detach {
            defer { close(fd) }
            for _ in 0..<connections {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                var received: [UInt8] = []
                while !received.containsHeaderEnd {
                    let count = read(client, &buffer, buffer.count)
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nX-Test: truncated\r\n\r\n0123456789".utf8)
                _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
        }
        return port
    }

    /// Starts a server that answers one connection with headers promising 1000 body bytes, sends 10, and then holds
    /// the connection open (up to `holdSeconds`) without sending more. Returns its port.
    static func holdingServer(holdSeconds: Double) throws -> Int {
        let fd = try listener()
        let port = try localPort(fd)
        try CurlThread.detach {
            defer { close(fd) }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            var received: [UInt8] = []
            while !received.containsHeaderEnd {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { return }
                received += buffer[0..<count]
            }
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789".utf8)
            _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            // Hold until the client closes or the time is up.
            var waited = 0.0
            while waited < holdSeconds {
                var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 50) > 0, read(client, &buffer, buffer.count) <= 0 { return }
                waited += 0.05
            }
        }
        return port
    }

    private static func listener() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure("bind/listen failed: errno \(errno)")
        }
        return fd
    }

    private static func localPort(_ fd: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw TestFailure("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        return (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
