import Foundation
import TierbenchCore

/// Reads saved results for `compare`, `report` and `--baseline`: a summary.json or sweep.json file (or a JSON
/// array of summaries), or a result folder.
///
/// A folder with `summary.json` is one run; a folder with `sweep.json` is a sweep; any other folder is a set of
/// repetitions: every `summary.json` found below it (up to three levels deep), in path order.
public enum ResultFiles {
    /// What one path held.
    public struct Loaded: Sendable {
        /// The JSON to compare or render: a summary, an array of summaries, or a sweep.
        public var json: JSONValue
        /// The run summaries (one per repetition; a sweep's points' runs are not listed here).
        public var runs: [JSONValue]
        /// The sweep, when the path held one.
        public var sweep: JSONValue?
        /// The folder the results came from (the file's folder for a file).
        public var directory: String
    }

    /// Loads `path`.
    /// - Throws: `EngineError.cannotRead` naming the path and what it should hold.
    public static func load(_ path: String) throws(EngineError) -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError.cannotRead(path: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else {
            let json = try readJSON(path)
            let folder = (path as NSString).deletingLastPathComponent
            return loaded(json, directory: folder.isEmpty ? "." : folder)
        }
        for name in ["sweep.json", "summary.json"] where FileManager.default.fileExists(atPath: path + "/" + name) {
            return loaded(try readJSON(path + "/" + name), directory: path)
        }
        let files = summaryFiles(under: path, depth: 3)
        guard !files.isEmpty else {
            throw EngineError.cannotRead(
                path: path, reason: "the folder holds no summary.json or sweep.json (give a result folder of "
                    + "`tierbench run` or `sweep`, or a folder of such folders)")
        }
        var runs: [JSONValue] = []
        for file in files { runs.append(try readJSON(file)) }
        return Loaded(json: runs.count == 1 ? runs[0] : .array(runs), runs: runs, sweep: nil, directory: path)
    }

    private static func loaded(_ json: JSONValue, directory: String) -> Loaded {
        if json["points"] != nil { return Loaded(json: json, runs: [], sweep: json, directory: directory) }
        if case .array(let items) = json { return Loaded(json: json, runs: items, sweep: nil, directory: directory) }
        return Loaded(json: json, runs: [json], sweep: nil, directory: directory)
    }

    /// Every `summary.json` below `root`, sorted by path, at most `depth` folders down.
    static func summaryFiles(under root: String, depth: Int) -> [String] {
        guard depth > 0, let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        var found: [String] = []
        for name in names.sorted() {
            let path = root + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            if FileManager.default.fileExists(atPath: path + "/summary.json") {
                found.append(path + "/summary.json")
            } else {
                found += summaryFiles(under: path, depth: depth - 1)
            }
        }
        return found
    }

    /// Reads and parses one JSON file.
    static func readJSON(_ path: String) throws(EngineError) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EngineError.cannotRead(path: path, reason: error.localizedDescription)
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw EngineError.cannotRead(path: path, reason: "not valid JSON (\(error)); give a summary.json or sweep.json")
        }
    }
}

extension ResultFiles {
    /// Writes `text` to `path` atomically (for `tierbench report --output FILE`).
    public static func write(_ text: String, to path: String) throws(EngineError) {
        try ResultWriter.writeAtomically(Data(text.utf8), to: path)
    }
}
