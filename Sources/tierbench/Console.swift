import Foundation

/// Writes to standard output and standard error without touching C's global `stdout`/`stderr`
/// (not concurrency-safe on Glibc in Swift 6).
///
/// A closed pipe (`tierbench run … | head`) must not end the run or lose its result files: SIGPIPE is ignored and a
/// failed write is dropped (Foundation's non-throwing `write(_:)` traps on EPIPE, which killed such runs with 132).
enum Console {
    static func out(_ text: String) {
        write(FileHandle.standardOutput, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func error(_ text: String) {
        write(FileHandle.standardError, "tierbench: " + text + (text.hasSuffix("\n") ? "" : "\n"))
    }

    /// Writes to standard error without the `tierbench:` prefix (tables that accompany `--json` output).
    static func note(_ text: String) {
        write(FileHandle.standardError, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes `text` as is; a reader that went away (EPIPE) or any other write error is ignored.
    static func write(_ handle: FileHandle, _ text: String) {
        _ = ignoreBrokenPipes
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// Whether standard output is a terminal (colour and live progress only then).
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Ignores SIGPIPE once, before the first write (libcurl's set-up does the same, but `validate` and `compare`
    /// never set it up).
    private static let ignoreBrokenPipes: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
