import Foundation
import TierbenchCore

/// The on-disk state of a sweep, so an interrupted sweep keeps its finished points and `--resume DIR` continues:
/// `sweep-state.json` (the scenario path and the options, the price file among them) and `points.jsonl` (one
/// finished point per line, appended as each point ends).
struct SweepState: Codable {
    /// Absolute path of the scenario file.
    var scenarioPath: String
    var maxWorkers: [Int]?
    var batchSizes: [Int]?
    var tiers: [String]?
    var repetitions: Int?
    var refine: Bool?
    var duration: TimeSpan?
    var threads: Int
    /// Absolute path of `--price-file`; nil = built-in prices (and in states written before the option existed).
    var priceFile: String?

    static let stateFile = "sweep-state.json"
    static let pointsFile = "points.jsonl"

    init(options: SweepOptions) {
        scenarioPath = URL(fileURLWithPath: options.scenarioPath).standardizedFileURL.path
        maxWorkers = options.maxWorkers
        batchSizes = options.batchSizes
        tiers = options.tiers
        repetitions = options.repetitions
        refine = options.refine
        duration = options.duration
        threads = options.threads
        priceFile = options.priceFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// The options this state was made with, writing into `directory`.
    func options(directory: String) -> SweepOptions {
        var options = SweepOptions(scenarioPath: scenarioPath)
        options.outputDirectory = directory
        options.maxWorkers = maxWorkers
        options.batchSizes = batchSizes
        options.tiers = tiers
        options.repetitions = repetitions
        options.refine = refine
        options.duration = duration
        options.threads = threads
        options.priceFile = priceFile
        return options
    }

    /// Reads the state of the sweep in `directory`.
    static func load(directory: String) throws(EngineError) -> SweepState {
        let path = directory + "/" + stateFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.cannotRead(
                path: path, reason: "no sweep state here; --resume takes the directory an interrupted sweep wrote")
        }
        do {
            return try JSONDecoder().decode(SweepState.self, from: data)
        } catch {
            throw EngineError.cannotRead(path: path, reason: "not a sweep state file: \(error)")
        }
    }

    func save(directory: String) throws(EngineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try ResultWriter.writeAtomically(try encoder.encode(self), to: directory + "/" + Self.stateFile)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.cannotWrite(path: directory, reason: "\(error)")
        }
    }

    /// The points finished so far, in run order (an unreadable last line — a point cut off mid-write — is skipped).
    static func finishedPoints(directory: String) -> [SweepPoint] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + pointsFile) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(SweepPoint.self, from: Data($0)) }
    }

    /// Appends one finished point to points.jsonl.
    static func append(_ point: SweepPoint, directory: String) throws(EngineError) {
        let path = directory + "/" + pointsFile
        do {
            var line = try JSONEncoder().encode(point)
            line.append(UInt8(ascii: "\n"))
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw EngineError.cannotWrite(path: path, reason: "cannot create the file")
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
        } catch {
            throw EngineError.cannotWrite(path: path, reason: "\(error)")
        }
    }
}
