import Foundation

/// Writes to standard output and standard error without touching C's global `stdout`/`stderr`
/// (not concurrency-safe on Glibc in Swift 6).
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("tierbench: " + text + (text.hasSuffix("\n") ? "" : "\n")).utf8))
    }

    /// Writes to standard error without the `tierbench:` prefix (tables that accompany `--json` output).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Whether standard output is a terminal (colour and live progress only then).
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
