#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

extension MockTests {
    /// `tierbench mock` with only 256 file descriptors (`prlimit --nofile=256`) and 600 connections opened at it: it
    /// must not spin on `accept` failing with EMFILE (its connection cap, the limit less 64, closes the extra
    /// connections at once) and must answer again once they are gone. Runs the built executable as a child process.
    @Suite struct DescriptorExhaustionTests {
        /// `tierbench` beside the test bundle, when built.
        static let binary: String? = {
            let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [
                bundle.appendingPathComponent("tierbench"),
                bundle.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("tierbench"),
            ]
            return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
        }()
        static let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }

        /// CPU seconds (user + system) a process has used, from /proc/PID/stat.
        static func cpuSeconds(_ pid: Int32) -> Double? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (comm)": state is field 3, utime field 14, stime field 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }

        @Test(.enabled(if: binary != nil && prlimit != nil, "needs the built tierbench executable and prlimit(1)"),
              .enabled(if: AttackConnections.openFileLimit >= 1_000, "needs an open-file limit ≥ 1000 (ulimit -Hn)"))
        func aMockOutOfDescriptorsDoesNotSpinAndRecovers() async throws {
            let binary = try #require(Self.binary)
            let output = FileManager.default.temporaryDirectory
                .appendingPathComponent("tierbench-mock-emfile-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: output) }
            let log = try FileHandle(forWritingTo: output)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.prlimit))
            process.arguments = ["--nofile=256:256", binary, "mock", "--port", "0"]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            defer {
                if process.isRunning { process.terminate() }
                let deadline = AttackConnections.now() + 5
                while process.isRunning && AttackConnections.now() < deadline { usleep(10_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                try? log.close()
            }
            // "tierbench mock listening on http://127.0.0.1:PORT/v1"
            var port: Int?
            let started = AttackConnections.now()
            while port == nil && process.isRunning && AttackConnections.now() - started < 20 {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if let range = text.range(of: "http://127.0.0.1:") {
                    port = Int(text[range.upperBound...].prefix { $0.isNumber })
                }
                if port == nil { usleep(50_000) }
            }
            let mockPort = try #require(port, "the mock did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
            let pid = process.processIdentifier

            let attack = AttackConnections()
            for _ in 0..<600 { try attack.open(port: mockPort) }
            // Let the accept storm settle, then measure: a mock retrying accept on EMFILE burns a whole core.
            attack.waitAllClosed(until: AttackConnections.now() + 0.5)
            let before = try #require(Self.cpuSeconds(pid))
            attack.waitAllClosed(until: AttackConnections.now() + 2)
            let after = try #require(Self.cpuSeconds(pid))
            let used = after - before
            print("tierbench mock under 256 descriptors, 600 connections: \(used) s CPU in 2 s; "
                + "\(600 - attack.openCount) connections closed by the mock")
            #expect(used < 0.5, "the mock used \(used) s of CPU in 2 s with its descriptors exhausted")
            #expect(attack.openCount <= 256, "\(attack.openCount) of 600 connections still open under a 256-descriptor limit")

            // Once the connections are gone it answers again.
            for index in 0..<attack.count { shutdown(attack.fds[index], Int32(SHUT_RDWR)) }
            try await Task.sleep(for: .milliseconds(300))
            let probe = AttackConnections.probe(port: mockPort)
            #expect(probe.status == "HTTP/1.1 200 OK" && probe.seconds < 1,
                    "after the connections closed: \(probe.status ?? "no answer") after \(probe.seconds) s")
            #expect(process.isRunning, "the mock exited: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
        }
    }
}
