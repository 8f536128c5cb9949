import ArgumentParser
import Foundation
import Synchronization
import TierbenchCore

/// The live progress of a run on standard error: on a terminal one line redrawn in place (at most four times a
/// second, as the samples come), without one a plain line every few seconds, so CI logs stay readable.
final class ProgressDisplay: Sendable {
    /// How the progress is shown (`--progress`).
    enum Mode: String, CaseIterable, Sendable {
        /// `bar` on a terminal, `plain` otherwise.
        case auto
        /// One line redrawn in place.
        case bar
        /// A line every `plainInterval` seconds.
        case plain
        /// Nothing.
        case off
    }

    /// Seconds between plain lines.
    static let plainInterval = 5.0

    let mode: Mode
    private let state = Mutex<(lastPlain: Double, drawn: Bool)>((0, false))

    /// `auto` resolves against whether standard error is a terminal.
    init(mode: Mode) {
        if mode == .auto {
            self.mode = isatty(STDERR_FILENO) == 1 ? .bar : .plain
        } else {
            self.mode = mode
        }
    }

    /// Shows one sample.
    func show(_ sample: LiveSample) {
        switch mode {
        case .bar:
            let line = Self.fit(ProgressLine.terminal(sample), width: Self.terminalWidth())
            state.withLock { $0.drawn = true }
            Self.write("\r\u{1B}[2K" + line)
        case .plain:
            let due = state.withLock { state -> Bool in
                guard sample.elapsedSeconds - state.lastPlain >= Self.plainInterval else { return false }
                state.lastPlain = sample.elapsedSeconds
                return true
            }
            if due { Self.write(ProgressLine.plain(sample) + "\n") }
        case .auto, .off:
            break
        }
    }

    /// Prints a message on its own line (an alert), keeping the bar below it.
    func message(_ text: String) {
        let drawn = state.withLock { $0.drawn }
        Self.write((drawn ? "\r\u{1B}[2K" : "") + "tierbench: " + text + "\n")
    }

    /// Clears the bar so the final summary starts on a clean line.
    func finish() {
        let drawn = state.withLock { state -> Bool in
            defer { state.drawn = false }
            return state.drawn
        }
        if drawn { Self.write("\r\u{1B}[2K") }
    }

    private static func write(_ text: String) {
        Console.write(FileHandle.standardError, text)
    }

    /// Cuts `line` to `width - 1` characters so it never wraps (a wrapped line cannot be redrawn in place).
    static func fit(_ line: String, width: Int) -> String {
        line.count < width ? line : String(line.prefix(max(width - 2, 10))) + "…"
    }

    /// Columns of the terminal on standard error; 80 when unknown.
    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

extension ProgressDisplay.Mode: ExpressibleByArgument {}
