import Foundation
import TierbenchCore
import TierbenchEngine

/// A scenario file written to a fresh temporary directory, removed by `cleanup()`.
struct TestScenario {
    let directory: String
    let path: String

    init(_ yaml: String, name: String = "scenario.yaml") throws {
        directory = NSTemporaryDirectory() + "tierbench-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + name
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Where a run writes its results.
    var output: String { directory + "/out" }

    func options() -> RunOptions {
        var options = RunOptions(scenarioPath: path)
        options.outputDirectory = output
        return options
    }

    func read(_ file: String) throws -> String {
        try String(contentsOfFile: output + "/" + file, encoding: .utf8)
    }

    /// The request log, one parsed JSON object per line.
    func requestLog() throws -> [[String: Any]] {
        try read("requests.jsonl").split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return object as? [String: Any] ?? [:]
        }
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A TCP port on 127.0.0.1 with nothing listening: bound, then closed.
func closedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
