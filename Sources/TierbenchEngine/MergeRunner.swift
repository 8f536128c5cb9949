import Foundation
import TierbenchCore

/// `tierbench merge`: reads the shards' summary.json files, merges them (`SummaryMerger`), writes the merged
/// summary.json, then judges it exactly as `run` judges one run (`Gate.judge`: thresholds, `--baseline`,
/// `--format`). docs/distributed.md.
public enum MergeRunner {
    /// What a merge produced.
    public struct Outcome: Sendable {
        /// The merged result, as judged.
        public var report: RunReport
        /// The shard result files that went in, by shard index.
        public var inputs: [String]
    }

    /// Merges the results found under `paths` into `outputDirectory`/summary.json.
    ///
    /// Each path is a shard result folder (holding summary.json), a summary.json file, or a folder whose `shard-*`
    /// subfolders are shard results. Shards' requests.jsonl files are not copied: they stay in their folders.
    /// - Throws: `MergeFailure` (with its documented exit code) when the inputs cannot be read or do not form one
    ///   complete shard set, or the output cannot be written.
    public static func merge(paths: [String], outputDirectory: String) throws(MergeFailure) -> Outcome {
        let files = try summaryFiles(paths)
        var results: [(path: String, summary: RunSummary)] = []
        for file in files {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw .merge(.unreadable(path: file, reason: error.localizedDescription))
            }
            do {
                results.append((file, try RunSummary.decode(data)))
            } catch {
                throw .merge(.unreadable(path: file, reason: "not a valid summary.json: \(decodingReason(error))"))
            }
        }
        let merged: RunSummary
        do {
            merged = try SummaryMerger.merge(results)
        } catch {
            throw .merge(error)
        }
        let json: String
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            let data = try merged.jsonData()
            json = String(decoding: data, as: UTF8.self)
            try ResultWriter.writeAtomically(data, to: outputDirectory + "/summary.json")
        } catch let error as EngineError {
            throw .engine(error)
        } catch {
            throw .engine(.cannotWrite(path: outputDirectory + "/summary.json", reason: error.localizedDescription))
        }
        // A shard interrupted, stopped early (a hopeless target) or stopped by its budget sent less than its stripe:
        // the merged result covers less than the plan, so the merge exits like an interrupted run (130).
        let incomplete = merged.interrupted || merged.stoppedEarly != nil || merged.cost?.budget?.stopped == true
        var report = RunReport(
            summary: merged, directory: outputDirectory, summaryJSON: json, mockStats: nil, interrupted: incomplete,
            abortedBy: nil, recorder: MetricsRecorder())
        if incomplete {
            report.notes.append("a shard did not run to its end (" + (merged.stoppedEarly
                ?? (merged.interrupted ? "interrupted" : "its budget stopped it"))
                + "): the merged result covers less than the plan, so merge exits 130 like an interrupted run")
        }
        let order = merged.merge?.shards.map(\.path) ?? files
        return Outcome(report: report, inputs: order)
    }

    /// The summary.json files named by `paths`, in the order given (shard-* folders sorted by name).
    static func summaryFiles(_ paths: [String]) throws(MergeFailure) -> [String] {
        guard !paths.isEmpty else { throw .merge(.noResults) }
        let manager = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .merge(.unreadable(path: path, reason: "no such file or folder"))
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let own = path + "/summary.json"
            if manager.fileExists(atPath: own) {
                files.append(own)
                continue
            }
            let children = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("shard-") }.sorted()
            let found = children.map { path + "/" + $0 + "/summary.json" }.filter { manager.fileExists(atPath: $0) }
            guard !found.isEmpty else {
                throw .merge(.unreadable(
                    path: path, reason: "holds neither summary.json nor shard-*/summary.json folders"))
            }
            files += found
        }
        return files
    }

    private static func decodingReason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key `\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "at `\(path)`: ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}

/// Why `tierbench merge` stopped: a refused shard set (`MergeError`) or an engine error (writing the result).
public enum MergeFailure: Error, Sendable, CustomStringConvertible {
    case merge(MergeError)
    case engine(EngineError)

    public var description: String {
        switch self {
        case .merge(let error): return error.description
        case .engine(let error): return error.description
        }
    }

    /// The documented exit code (docs/ci.md): 65 unreadable input, 66 shards that do not belong together,
    /// 67 a missing or duplicate shard, 1 results not writable.
    public var exitCode: Int32 {
        switch self {
        case .merge(let error): return error.exitCode
        case .engine(let error): return error.exitCode
        }
    }
}
