/// A GitHub-flavoured Markdown table: a header row, a separator row and body rows with the same column count.
public struct MarkdownTable: Sendable, Hashable {
    /// Column alignment in the separator row.
    public enum Alignment: Sendable, Hashable { case left, right, center }

    public var header: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]

    /// A table with `header`; `alignments` defaults to left for the first column and right for the rest.
    public init(header: [String], alignments: [Alignment]? = nil, rows: [[String]] = []) {
        self.header = header
        self.alignments = alignments ?? header.indices.map { $0 == 0 ? .left : .right }
        self.rows = rows
    }

    /// The table text ending with a newline; short rows are padded and long rows cut to the header's width.
    public var text: String {
        let width = header.count
        var out = Self.row(header)
        out += "|" + (0..<width).map { index in
            switch index < alignments.count ? alignments[index] : .left {
            case .left: return " :--- "
            case .right: return " ---: "
            case .center: return " :---: "
            }
        }.joined(separator: "|") + "|\n"
        for row in rows {
            let fitted = Array(row.prefix(width)) + Array(repeating: "", count: max(0, width - row.count))
            out += Self.row(fitted)
        }
        return out
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.map(escape).joined(separator: " | ") + " |\n"
    }

    /// Escapes a cell: `|` becomes `\|` (also inside code spans, as GitHub requires) and line breaks become spaces.
    public static func escape(_ cell: String) -> String {
        var out = ""
        for character in cell {
            if character == "|" {
                out += "\\|"
            } else if character.isNewline {
                out += " "
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A code span around `text` that survives backticks inside it.
    public static func code(_ text: String) -> String {
        text.contains("`") ? "`` " + text + " ``" : "`" + text + "`"
    }
}
