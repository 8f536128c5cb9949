import Foundation
import TierbenchCore

/// `tierbench analyze FILE...`: reads request logs, session logs and traces, writes analysis.html, analysis.md,
/// analysis.json and workload-profile.yaml (docs/analyze.md).
public enum AnalyzeRunner {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case html, md, json
    }

    /// What the command asked for.
    public struct Options: Sendable {
        public var files: [String]
        /// nil: detect each file's kind from its first row.
        public var kind: AnalyzeInputKind?
        /// nil: `analysis/` beside the first file.
        public var outputDirectory: String?
        public var formats: Set<Format>
        /// The model of rows that name none; nil: for each file, the `model` of a summary.json beside it.
        public var model: String?
        /// A price file replacing the built-in table.
        public var priceFile: String?

        public init(files: [String], kind: AnalyzeInputKind? = nil, outputDirectory: String? = nil,
                    formats: Set<Format> = Set(Format.allCases), model: String? = nil, priceFile: String? = nil) {
            self.files = files
            self.kind = kind
            self.outputDirectory = outputDirectory
            self.formats = formats
            self.model = model
            self.priceFile = priceFile
        }
    }

    /// What was written.
    public struct Outcome: Sendable {
        public var analysis: LogAnalysis
        public var directory: String
        /// Paths written, in order.
        public var written: [String]
        /// Where the model came from (`--model`, or the summary.json files used, comma-separated; nil when unknown).
        public var modelSource: String?
    }

    /// Reads every file, analyses it and writes the outputs.
    /// - Throws: `EngineError.cannotRead` (exit 65) for a missing or unreadable file, `.invalidScenario` (exit 65) for
    ///   a file of no known kind or without a usable row, `.cannotWrite` (exit 1).
    public static func run(_ options: Options) throws(EngineError) -> Outcome {
        guard let first = options.files.first else { throw EngineError.invalidScenario("analyze: name at least one file") }
        let prices = try PriceCatalog.load(path: options.priceFile)
        var analyzer = LogAnalyzer(options: AnalyzeOptions(defaultModel: options.model, prices: prices))
        var modelSources: [String] = []
        for path in options.files {
            let (model, source) = defaultModel(options.model, file: path)
            if let source, !modelSources.contains(source) { modelSources.append(source) }
            analyzer.beginFile(path, kind: options.kind, defaultModel: model)
            var fileError: String?
            try AnalyzeFileReader.forEachLine(path, tooLong: {
                analyzer.feedTooLong(limit: AnalyzeFileReader.maxLineBytes)
                return true
            }) { line in
                analyzer.feed(line)
                fileError = analyzer.fileError
                return fileError == nil
            }
            if let fileError { throw EngineError.invalidScenario(fileError) }
            analyzer.endFile()
        }
        let analysis = analyzer.finish()
        guard analysis.requests != nil || analysis.sessions != nil else {
            let listed = analysis.badRowsListed.prefix(5).map(\.description).joined(separator: "; ")
            throw EngineError.invalidScenario("analyze: no usable row in \(options.files.joined(separator: ", "))"
                + (listed.isEmpty ? " (the files are empty)" : " (\(analysis.badRows) bad rows: \(listed))"))
        }
        let directory = options.outputDirectory ?? defaultDirectory(first)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        var written: [String] = []
        func write(_ name: String, _ text: String) throws(EngineError) {
            let path = (directory as NSString).appendingPathComponent(name)
            try BatchFileIO.writeAtomically(Array(text.utf8), to: path)
            written.append(path)
        }
        if options.formats.contains(.html) { try write("analysis.html", AnalysisReport.html(analysis)) }
        if options.formats.contains(.md) { try write("analysis.md", AnalysisReport.markdown(analysis)) }
        if options.formats.contains(.json) { try write("analysis.json", try json(analysis)) }
        try write("workload-profile.yaml", WorkloadProfile.yaml(analysis, sources: options.files))
        return Outcome(analysis: analysis, directory: directory, written: written,
                       modelSource: modelSources.isEmpty ? nil : modelSources.joined(separator: ", "))
    }

    /// `analysis/` in the first file's directory.
    static func defaultDirectory(_ first: String) -> String {
        ((first as NSString).deletingLastPathComponent as NSString).appendingPathComponent("analysis")
    }

    /// `--model`, else the `model` (or `scenario.model`) of a summary.json beside `file`.
    static func defaultModel(_ flag: String?, file: String) -> (String?, String?) {
        if let flag { return (flag, "--model") }
        let path = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent("summary.json")
        guard let data = FileManager.default.contents(atPath: path),
              let summary = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return (nil, nil) }
        for candidate in [summary["model"], summary["scenario"]?["model"]] {
            if case .string(let model)? = candidate, !model.isEmpty { return (model, path) }
        }
        return (nil, nil)
    }

    /// The analysis as pretty JSON with sorted keys.
    static func json(_ analysis: LogAnalysis) throws(EngineError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(analysis), as: UTF8.self) + "\n"
        } catch {
            throw EngineError.runFailed("analyze: the figures could not be encoded: \(error)")
        }
    }
}
