/// The formats `--format` accepts. JSON (summary.json / sweep.json) is always written by the engine; the
/// others are rendered from a `ReportContent` by the functions here (pure: the CLI writes the files).
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    case json
    case csv
    case markdown
    case junit
    case html

    /// Parses a `--format` value; `md` and `xml` are accepted as aliases.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "md": self = .markdown
        case "xml", "junit-xml": self = .junit
        case "htm": self = .html
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// File extension (without the dot) for an output file: `report.md`, `junit.xml`, …
    public var fileExtension: String {
        switch self {
        case .json: return "json"
        case .csv: return "csv"
        case .markdown: return "md"
        case .junit: return "xml"
        case .html: return "html"
        }
    }

    /// The default file name inside a result folder.
    public var defaultFileName: String {
        switch self {
        case .json: return "report.json"
        case .csv: return "summary.csv"
        case .markdown: return "summary.md"
        case .junit: return "junit.xml"
        case .html: return "report.html"
        }
    }

    /// Renders `content` in this format. JSON gives the sweep when there is one, else the single run, else an
    /// array of runs.
    public func render(_ content: ReportContent) -> String {
        switch self {
        case .json:
            if let sweep = content.sweep { return sweep.jsonText + "\n" }
            if content.runs.count == 1, let run = content.runs.first { return run.jsonText + "\n" }
            return JSONValue.array(content.runs).jsonText + "\n"
        case .csv: return CSVReport.render(content)
        case .markdown: return MarkdownReport.render(content)
        case .junit: return JUnitReport.render(content)
        case .html: return HTMLReport.render(content)
        }
    }
}
