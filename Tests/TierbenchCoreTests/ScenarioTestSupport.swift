import Foundation
import Testing

@testable import TierbenchCore

/// Paths and helpers shared by the scenario test suites.
enum ScenarioTestSupport {
    /// The package root, found from this file's path (`Tests/TierbenchCoreTests/…`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/TierbenchCoreTests/Fixtures")
    static let scenarios = packageRoot.appendingPathComponent("scenarios")

    static func fixtureText(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Parses `text`, returning the errors (empty when it parses).
    static func errors(_ text: String, file: String = "test.yaml") -> [ScenarioError] {
        do {
            _ = try ScenarioLoader.parse(text: text, fileName: file)
            return []
        } catch {
            return error.errors
        }
    }

    /// A minimal valid scenario with `extra` appended (top-level YAML lines).
    static func minimal(_ extra: String = "", load: String = "load: { requests: 10 }") -> String {
        "version: 1\n" + load + "\n" + extra
    }
}
