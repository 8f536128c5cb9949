import Foundation

/// Finds a file shipped in a SwiftPM resource bundle without `Bundle.module`'s fatal error when the bundle is
/// missing: next to the executable when installed (`<bundleName>/Resources/<name>`), else in the build tree.
public enum ResourceLocator {
    /// The URL of `Resources/<name>` in the bundle `bundleName` (e.g. `tierbench_TierbenchMock.resources`); when it is
    /// found neither beside `Bundle.main` nor beside the executable, `buildTree()` (the module's `Bundle.module` URL).
    public static func url(_ name: String, bundleName: String, buildTree: () -> URL) -> URL {
        let executableDirectory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for directory in [Bundle.main.bundleURL, executableDirectory] {
            let candidate = directory.appendingPathComponent(bundleName).appendingPathComponent("Resources/" + name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return buildTree()
    }
}
