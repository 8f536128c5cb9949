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
    /// The mock under attack (issue 11): slowloris heads and bodies, thousands of idle connections, oversized heads
    /// and bodies, a connection cap, invalid UTF-8 and file-descriptor exhaustion. In each case the mock keeps
    /// answering ordinary requests within 1 s, closes the bad connections within its (short, here) timeouts, and its
    /// memory stays bounded. Raw sockets on 127.0.0.1; every loop is bounded in count and time.
    @Suite struct MockUnderAttackTests {
        /// Connections the idle test opens; with the mock in this process each costs two descriptors.
        static let idleConnections = 2_000
        static let descriptorsNeeded = 2 * idleConnections + 500
        static let enoughDescriptors = AttackConnections.openFileLimit >= descriptorsNeeded

        static let chat = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"#

        static func post(body: String = chat, extraHeaders: String = "") -> [UInt8] {
            Array(("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)").utf8)
        }

        /// Settings with short timeouts; `fastPath: false` adds a capacity limit, which sends every request through
        /// NIO's decoder and Hummingbird instead.
        static func settings(fastPath: Bool) -> MockSettings {
            var settings = MockSettings()
            settings.idleTimeout = .seconds(5)
            settings.headerTimeout = .seconds(5)
            settings.bodyTimeout = .seconds(5)
            if !fastPath { settings.capacity = 1_000 }
            return settings
        }

        static func withServer(_ settings: MockSettings, _ body: (Int, MockServer) async throws -> Void) async throws {
            let server = MockServer(settings: settings)
            let port = try await server.start()
            do {
                try await body(port, server)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        /// An ordinary request answers 200 within 1 s.
        static func expectAnswers(_ port: Int, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let probe = AttackConnections.probe(port: port)
            #expect(probe.status == "HTTP/1.1 200 OK" && probe.seconds < 1,
                    "\(when): \(probe.status ?? "no answer") after \(probe.seconds) s", sourceLocation: sourceLocation)
        }

        /// Waits (bounded) until the server's stats show `count` closures for `reason`.
        static func closures(_ server: MockServer, _ reason: String, atLeast count: Int) async throws -> Int {
            for _ in 0..<100 where (server.stats().connectionsClosed[reason] ?? 0) < count {
                try await Task.sleep(for: .milliseconds(20))
            }
            return server.stats().connectionsClosed[reason] ?? 0
        }

        // MARK: Slow heads and bodies

        @Test(arguments: [true, false])
        func slowlorisHeadsAreClosedAtTheHeaderTimeout(fastPath: Bool) async throws {
            var settings = Self.settings(fastPath: fastPath)
            settings.headerTimeout = .milliseconds(300)
            let timeout = 0.3
            let rssBefore = AttackConnections.residentBytes()
            try await Self.withServer(settings) { port, server in
                let attack = AttackConnections()
                for _ in 0..<500 {
                    let index = try attack.open(port: port)
                    attack.sendBytes(index, Array("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\n".utf8))
                }
                let lastOpened = attack.openedAt.last ?? 0
                Self.expectAnswers(port, "500 slowloris connections open")
                // Each keeps trickling a header line every 100 ms: progress does not extend the header timeout.
                attack.waitAllClosed(until: lastOpened + timeout + 2, interval: 0.1) {
                    for index in 0..<attack.count { attack.sendBytes(index, Array("X-Slow: 1\r\n".utf8)) }
                }
                #expect(attack.openCount == 0, "\(attack.openCount) of 500 slowloris connections still open \(timeout + 2) s on")
                let lifetimes = zip(attack.openedAt, attack.closedAt).compactMap { opened, closed in closed.map { $0 - opened } }
                #expect((lifetimes.min() ?? 0) >= timeout * 0.9, "closed before the timeout: \(lifetimes.min() ?? 0) s")
                #expect(try await Self.closures(server, "header_timeout", atLeast: 500) == 500, "\(server.stats())")
                Self.expectAnswers(port, "after the slowloris")
            }
            let grown = AttackConnections.residentBytes() - rssBefore
            print("\(#function): RSS \(rssBefore >> 20) MiB before, grew \(grown >> 20) MiB")
            #expect(grown < 256 << 20, "RSS grew \(grown >> 20) MiB")
        }

        @Test(arguments: [true, false])
        func slowBodiesAreClosedAtTheBodyTimeout(fastPath: Bool) async throws {
            var settings = Self.settings(fastPath: fastPath)
            settings.bodyTimeout = .milliseconds(300)
            let timeout = 0.3
            try await Self.withServer(settings) { port, server in
                let attack = AttackConnections()
                let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{\"model\":"
                for _ in 0..<100 {
                    let index = try attack.open(port: port)
                    attack.sendBytes(index, Array(head.utf8))
                }
                let lastOpened = attack.openedAt.last ?? 0
                Self.expectAnswers(port, "100 slow bodies open")
                attack.waitAllClosed(until: lastOpened + timeout + 2, interval: 0.1) {
                    for index in 0..<attack.count { attack.sendBytes(index, Array("     ".utf8)) }
                }
                #expect(attack.openCount == 0, "\(attack.openCount) of 100 slow bodies still open \(timeout + 2) s on")
                #expect(try await Self.closures(server, "body_timeout", atLeast: 100) == 100, "\(server.stats())")
                Self.expectAnswers(port, "after the slow bodies")
            }
        }

        /// A response slower than the idle timeout (a latency, a stream) is not cut: a connection is idle only once
        /// its responses have ended. (A guard against the timeouts themselves; the old mock had none to cut with.)
        @Test(arguments: [false, true])
        func responsesSlowerThanTheIdleTimeoutAreNotCut(stream: Bool) async throws {
            var settings = MockSettings()
            settings.idleTimeout = .milliseconds(200)
            settings.headerTimeout = .milliseconds(200)
            settings.bodyTimeout = .milliseconds(200)
            settings.latency.base = .constant(.milliseconds(600))
            settings.latency.ttft = .constant(.milliseconds(600))
            try await Self.withServer(settings) { port, server in
                let fd = try AttackConnections.dial(port: port)
                defer { close(fd) }
                let extra = stream ? #","stream":true"# : ""
                let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4\#(extra)}"#
                let request = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                let start = AttackConnections.now()
                #expect(AttackConnections.sendAll(fd, Array(request.utf8)))
                let reply = AttackConnections.receiveUntilClosed(fd, seconds: 3)
                let seconds = AttackConnections.now() - start
                #expect(reply.text.hasPrefix("HTTP/1.1 200 OK"), "\(reply.text.prefix(300))")
                #expect(stream ? reply.text.contains("data: [DONE]") : reply.text.contains("\"object\":\"chat.completion\""),
                        "\(reply.text)")
                #expect(seconds >= 0.6, "answered after \(seconds) s")
                #expect(server.stats().connectionsClosed.isEmpty, "\(server.stats())")
            }
        }

        // MARK: Idle connections

        @Test(.enabled(if: enoughDescriptors, "needs an open-file hard limit ≥ \(descriptorsNeeded) (ulimit -Hn)"),
              arguments: [true, false])
        func idleConnectionsAreClosedAtTheIdleTimeout(fastPath: Bool) async throws {
            var settings = Self.settings(fastPath: fastPath)
            // Long enough for most of them to be open at once on a busy 2-core machine (opening takes about 1 s, the
            // 1,000 first requests through Hummingbird about as long again).
            settings.idleTimeout = .seconds(3)
            let timeout = 3.0
            let rssBefore = AttackConnections.residentBytes()
            try await Self.withServer(settings) { port, server in
                let attack = AttackConnections()
                // Every other connection sends one request first: idle then counts from its response.
                for index in 0..<Self.idleConnections {
                    try attack.open(port: port)
                    if index % 2 == 0 { attack.sendBytes(index, Self.post()) }
                }
                let lastOpened = attack.openedAt.last ?? 0
                let opening = lastOpened - (attack.openedAt.first ?? 0)
                // Those requests answered (bounded), the connections sit idle: ordinary requests still answer at once.
                let answerDeadline = AttackConnections.now() + 5
                while attack.received.enumerated().contains(where: { $0.offset % 2 == 0 && $0.element.isEmpty && attack.closedAt[$0.offset] == nil }),
                    AttackConnections.now() < answerDeadline
                {
                    attack.pollOnce(timeout: 0.05)
                }
                #expect(attack.openCount >= Self.idleConnections / 2, "only \(attack.openCount) open after \(opening) s of opening")
                Self.expectAnswers(port, "\(attack.openCount) idle connections open")
                attack.pollOnce(timeout: 0)
                #expect(attack.closedAt.last ?? nil == nil, "the newest idle connection closed before its timeout")
                attack.waitAllClosed(until: AttackConnections.now() + timeout + 3)
                #expect(attack.openCount == 0, "\(attack.openCount) of \(Self.idleConnections) idle connections still open")
                let answered = attack.received.enumerated().filter { $0.offset % 2 == 0 && $0.element.hasPrefix("HTTP/1.1 200 OK") }
                #expect(answered.count == Self.idleConnections / 2, "requests before idling answered: \(answered.count)")
                #expect(try await Self.closures(server, "idle_timeout", atLeast: Self.idleConnections) == Self.idleConnections,
                        "\(server.stats())")
                Self.expectAnswers(port, "after the idle connections closed")
                for _ in 0..<100 where server.stats().openConnections != 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(server.stats().openConnections == 0, "\(server.stats())")
            }
            let grown = AttackConnections.residentBytes() - rssBefore
            print("\(#function): RSS \(rssBefore >> 20) MiB before, grew \(grown >> 20) MiB")
            #expect(grown < 256 << 20, "RSS grew \(grown >> 20) MiB")
        }

        // MARK: Oversized heads and bodies

        enum BodyFraming: String, CaseIterable, CustomTestStringConvertible {
            case contentLength, chunked
            var testDescription: String { rawValue }
        }

        @Test(arguments: BodyFraming.allCases)
        func aTwentyMegabyteBodyGets413AndTheConnectionCloses(framing: BodyFraming) async throws {
            let rssBefore = AttackConnections.residentBytes()
            try await Self.withServer(Self.settings(fastPath: true)) { port, server in
                let fd = try AttackConnections.dial(port: port)
                defer { close(fd) }
                let size = 20_000_000
                let framingHeader = framing == .chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(size)"
                let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "\(framingHeader)\r\n\r\n"
                var sent = AttackConnections.sendAll(fd, Array(head.utf8)) ? 0 : -1
                // The body in 64 KiB pieces until the server stops taking it (at most 20 MB, 10 s).
                let piece = [UInt8](repeating: UInt8(ascii: " "), count: 65_536)
                let chunk = Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
                let start = AttackConnections.now()
                while sent >= 0 && sent < size && AttackConnections.now() - start < 10 {
                    guard AttackConnections.sendAll(fd, framing == .chunked ? chunk : piece) else { break }
                    sent += piece.count
                }
                let reply = AttackConnections.receiveUntilClosed(fd, seconds: 1.5)
                #expect(reply.text.hasPrefix("HTTP/1.1 413"), "\(reply.text.prefix(300))")
                #expect(reply.text.contains("\"code\":\"request_too_large\""), "\(reply.text.prefix(600))")
                #expect(reply.text.lowercased().contains("connection: close"), "\(reply.text.prefix(600))")
                #expect(reply.closed, "the connection stayed open after the 413 (\(sent) body bytes sent)")
                #expect(sent < size, "the mock read the whole 20 MB body")
                Self.expectAnswers(port, "after the 20 MB body")
                #expect(try await Self.closures(server, "body_too_large", atLeast: 1) == 1, "\(server.stats())")
            }
            let grown = AttackConnections.residentBytes() - rssBefore
            print("\(#function): RSS \(rssBefore >> 20) MiB before, grew \(grown >> 20) MiB")
            #expect(grown < 128 << 20, "RSS grew \(grown >> 20) MiB")
        }

        @Test(arguments: [(true, 1_000_000, 64 << 10), (false, 1_000_000, 64 << 10), (true, 8_000, 4_096)])
        func anOversizedHeadGets431AndTheConnectionCloses(fastPath: Bool, headBytes: Int, limit: Int) async throws {
            var settings = Self.settings(fastPath: fastPath)
            settings.maxHeaderBytes = limit
            let rssBefore = AttackConnections.residentBytes()
            try await Self.withServer(settings) { port, server in
                let fd = try AttackConnections.dial(port: port)
                defer { close(fd) }
                var head = Array("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\n".utf8)
                // Many ordinary header lines, none over the limit on its own.
                while head.count < headBytes { head += Array("X-Filler: \(String(repeating: "a", count: 990))\r\n".utf8) }
                var offset = 0
                while offset < head.count {
                    let end = min(offset + 65_536, head.count)
                    guard AttackConnections.sendAll(fd, Array(head[offset..<end])) else { break }
                    offset = end
                }
                let reply = AttackConnections.receiveUntilClosed(fd, seconds: 1.5)
                #expect(reply.text.hasPrefix("HTTP/1.1 431"), "\(reply.text.prefix(300))")
                #expect(reply.text.contains("\"type\":\"invalid_request_error\""), "\(reply.text.prefix(600))")
                #expect(reply.closed, "the connection stayed open after the 431")
                Self.expectAnswers(port, "after a \(headBytes)-byte head")
                #expect(try await Self.closures(server, "header_too_large", atLeast: 1) == 1, "\(server.stats())")
            }
            let grown = AttackConnections.residentBytes() - rssBefore
            print("\(#function): RSS \(rssBefore >> 20) MiB before, grew \(grown >> 20) MiB")
            #expect(grown < 128 << 20, "RSS grew \(grown >> 20) MiB")
        }

        // MARK: Connection cap

        @Test(arguments: [true, false])
        func connectionsOverTheCapAreClosedAtOnce(fastPath: Bool) async throws {
            var settings = Self.settings(fastPath: fastPath)
            settings.maxConnections = 50
            try await Self.withServer(settings) { port, server in
                let attack = AttackConnections()
                for _ in 0..<80 { try attack.open(port: port) }
                // The 30 over the cap are closed at once; the first 50 stay (their idle timeout is 5 s).
                attack.waitAllClosed(until: AttackConnections.now() + 1)
                #expect(attack.openCount == 50, "open: \(attack.openCount) of 80 with a cap of 50")
                #expect(try await Self.closures(server, "connection_cap", atLeast: 30) == 30, "\(server.stats())")
                #expect(server.stats().openConnections == 50, "\(server.stats())")
                // Freed places are reused at once.
                if let index = attack.closedAt.firstIndex(where: { $0 == nil }) { attack.closeConnection(index) }
                try await Task.sleep(for: .milliseconds(100))
                Self.expectAnswers(port, "one place freed under the cap")
            }
        }

        // MARK: Invalid UTF-8

        @Test(arguments: [true, false])
        func invalidUTF8InAJSONBodyIs400(fastPath: Bool) async throws {
            try await Self.withServer(Self.settings(fastPath: fastPath)) { port, server in
                let fd = try AttackConnections.dial(port: port)
                defer { close(fd) }
                var body = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"bad "#.utf8)
                body += [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80]  // not UTF-8: a stray byte, a broken pair, a surrogate
                body += Array(#""}]}"#.utf8)
                let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                #expect(AttackConnections.sendAll(fd, Array(head.utf8) + body))
                let reply = AttackConnections.receiveUntilClosed(fd, seconds: 2)
                #expect(reply.text.hasPrefix("HTTP/1.1 400"), "\(reply.text.prefix(300))")
                #expect(reply.text.contains("We could not parse the JSON body of your request."), "\(reply.text)")
                #expect(reply.text.contains("\"type\":\"invalid_request_error\""), "\(reply.text)")
                #expect(server.stats().byStatus == ["400": 1], "\(server.stats())")
            }
        }

        @Test(arguments: [
            ([0x61, 0x62], true), ([0xC3, 0xA9], true), ([0xE2, 0x82, 0xAC], true), ([0xF0, 0x9F, 0x98, 0x80], true),
            ([0xFF], false), ([0x80], false), ([0xC3], false), ([0xC3, 0x28], false), ([0xC0, 0xAF], false),
            ([0xE0, 0x80, 0xAF], false), ([0xED, 0xA0, 0x80], false), ([0xF4, 0x90, 0x80, 0x80], false),
            ([0xF0, 0x9F, 0x98], false),
        ] as [([UInt8], Bool)])
        func utf8Validation(_ bytes: [UInt8], _ valid: Bool) {
            // Inside a longer ASCII run too, so the eight-byte skip is crossed.
            for padded in [bytes, Array("0123456789abcdef".utf8) + bytes + Array("0123456789".utf8)] {
                #expect(padded.withUnsafeBytes { JSONReader.isValidUTF8($0) } == valid, "\(padded)")
            }
        }

        // MARK: Settings

        @Test func limitsOutOfRangeAreRefusedWithTheirNames() async throws {
            var settings = MockSettings()
            settings.idleTimeout = .zero
            settings.headerTimeout = .seconds(100_000)
            settings.maxHeaderBytes = 100
            settings.maxConnections = 0
            settings.maxBodyBytes = 0
            let problems = settings.problems()
            #expect(problems.map(\.key) == ["max_body_bytes", "max_header_bytes", "max_connections", "idle_timeout", "header_timeout"],
                    "\(problems)")
            #expect(problems.map(\.flagDescription).contains("--idle-timeout must be between 1ms and 24h, got 0s"), "\(problems)")
            #expect(problems.map(\.description).contains("mock.max_header_bytes must be between 1024 and 16777216 bytes, got 100"))
            #expect(MockSettings().problems().isEmpty)
            await #expect(throws: MockConfigurationError.invalidSetting(problems[0].description)) {
                _ = try await MockServer(settings: settings).start()
            }
            #expect(MockSettings().effectiveMaxConnections(openFileLimit: 256, eventLoops: 2) == 184)
            #expect(MockSettings().effectiveMaxConnections(openFileLimit: 1 << 20, eventLoops: 2) == 10_000)
            #expect(MockSettings().effectiveMaxConnections(openFileLimit: nil, eventLoops: 2) == 10_000)
            #expect(MockSettings().effectiveMaxConnections(openFileLimit: 100, eventLoops: 64) == 1)
        }

        @Test func scenarioKeysSetTheLimitsAndTheirRangesAreReportedAtTheirLines() throws {
            let good = "version: 1\nload: { requests: 10 }\nmock:\n  idle_timeout: 2s\n  header_timeout: 500ms\n"
                + "  body_timeout: 3s\n  max_header_bytes: 8192\n  max_connections: 20\n  keep_alive_requests: 0\n"
            let mock = try ScenarioLoader.parse(text: good, fileName: "good.yaml").mock
            #expect(mock.idleTimeout == .seconds(2) && mock.headerTimeout == .milliseconds(500) && mock.bodyTimeout == .seconds(3))
            #expect(mock.maxHeaderBytes == 8192 && mock.maxConnections == 20 && mock.keepAliveRequests == 0)
            let bad = "version: 1\nload: { requests: 10 }\nmock:\n  seed: 1\n  max_header_bytes: 100\n  idle_timeout: 48h\n"
            do {
                _ = try ScenarioLoader.parse(text: bad, fileName: "bad.yaml")
                Issue.record("out-of-range mock limits were accepted")
            } catch {
                let found = error.errors.map { "\($0.line) \($0.keyPath): \($0.message)" }
                #expect(found == [
                    "5 mock.max_header_bytes: must be between 1024 and 16777216 bytes, got 100",
                    "6 mock.idle_timeout: must be between 1ms and 24h, got 48h",
                ], "\(found)")
            }
        }

        @Test(.enabled(if: DescriptorExhaustionTests.binary != nil, "needs the built tierbench executable"))
        func theMockCommandRefusesLimitsOutOfRange() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(DescriptorExhaustionTests.binary))
            process.arguments = ["mock", "--port", "0", "--header-timeout", "0s", "--max-connections", "0"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 64, "\(output)")
            #expect(output.contains("--max-connections must be between 1 and 1000000, got 0"), "\(output)")
            #expect(output.contains("--header-timeout must be between 1ms and 24h, got 0s"), "\(output)")
        }
    }
}
