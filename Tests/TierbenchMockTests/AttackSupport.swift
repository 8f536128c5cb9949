#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Raw loopback connections by the hundred for the "mock under attack" tests: open, trickle bytes, watch for the
/// server closing them. Every descriptor is closed when the set is released; every wait is bounded.
final class AttackConnections {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var fds: [Int32] = []
    /// When each connection was opened (seconds on a monotonic clock).
    private(set) var openedAt: [Double] = []
    /// When the server was seen closing each one (EOF or reset); nil while open.
    private(set) var closedAt: [Double?] = []
    /// Bytes received on each, as text.
    private(set) var received: [String] = []

    deinit {
        for fd in fds where fd >= 0 { close(fd) }
    }

    var count: Int { fds.count }
    var openCount: Int { closedAt.filter { $0 == nil }.count }

    /// Opens one connection to 127.0.0.1:`port` (blocking connect; 2 s send timeout).
    @discardableResult
    func open(port: Int) throws -> Int {
        let fd = try Self.dial(port: port)
        fds.append(fd)
        openedAt.append(Self.now())
        closedAt.append(nil)
        received.append("")
        return fds.count - 1
    }

    /// Closes connection `index` from this side (once: a second `close` could hit a descriptor the in-process
    /// server has reused since).
    func closeConnection(_ index: Int) {
        guard fds[index] >= 0 else { return }
        close(fds[index])
        fds[index] = -1
        if closedAt[index] == nil { closedAt[index] = Self.now() }
    }

    /// Sends `bytes` on connection `index`; false when the server has closed it (no SIGPIPE).
    @discardableResult
    func sendBytes(_ index: Int, _ bytes: [UInt8]) -> Bool {
        guard closedAt[index] == nil, fds[index] >= 0 else { return false }
        return Self.sendAll(fds[index], bytes)
    }

    /// Reads whatever has arrived on the open connections and notes the ones the server closed, waiting up to
    /// `timeout` seconds for the first event.
    func pollOnce(timeout: Double) {
        var polled: [pollfd] = []
        var indices: [Int] = []
        for (index, fd) in fds.enumerated() where closedAt[index] == nil && fd >= 0 {
            polled.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
            indices.append(index)
        }
        guard !polled.isEmpty else { return }
        let ready = poll(&polled, nfds_t(polled.count), Int32(timeout * 1000))
        guard ready > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for (slot, entry) in polled.enumerated() where entry.revents != 0 {
            let index = indices[slot]
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fds[index], $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count > 0 {
                    received[index] += String(decoding: buffer[..<count], as: UTF8.self)
                    continue
                }
                if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closedAt[index] = Self.now() }
                break
            }
        }
    }

    /// Polls until every connection is closed or `deadline` (monotonic seconds) passes, calling `between` after each
    /// round (at most every `interval` seconds).
    func waitAllClosed(until deadline: Double, interval: Double = 0.05, between: () -> Void = {}) {
        var lastTick = Self.now()
        while openCount > 0 && Self.now() < deadline {
            pollOnce(timeout: min(interval, max(0, deadline - Self.now())))
            if Self.now() - lastTick >= interval {
                lastTick = Self.now()
                between()
            }
        }
    }

    // MARK: Single sockets

    static func dial(port: Int) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect() failed: errno \(code)")
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    /// Reads until the server closes the connection or `seconds` pass; returns the text and whether it closed.
    static func receiveUntilClosed(_ fd: Int32, seconds: Double) -> (text: String, closed: Bool) {
        let deadline = now() + seconds
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while now() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(max(1, (deadline - now()) * 1000))) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                text += String(decoding: buffer[..<count], as: UTF8.self)
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return (text, true)
            }
        }
        return (text, false)
    }

    /// One ordinary chat request on a fresh connection: the status line and the seconds it took to answer
    /// (nil status when no complete response came within 5 s).
    static func probe(port: Int) -> (status: String?, seconds: Double) {
        let start = now()
        guard let fd = try? dial(port: port) else { return (nil, now() - start) }
        defer { close(fd) }
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"#
        let request = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        guard sendAll(fd, Array(request.utf8)) else { return (nil, now() - start) }
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = start + 5
        while WireSocket.completeResponses(in: text) < 1 && now() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                text += String(decoding: buffer[..<count], as: UTF8.self)
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                break
            }
        }
        let seconds = now() - start
        guard WireSocket.completeResponses(in: text) >= 1 else { return (nil, seconds) }
        return (text.components(separatedBy: "\r\n").first, seconds)
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: Process limits

    /// Raises the soft open-file limit to the hard one (once); returns the soft limit now in force.
    static let openFileLimit: Int = {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }()

    /// This process's resident memory in bytes (VmRSS).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
}
