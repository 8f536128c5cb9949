import Foundation
import TierbenchCore
import TierbenchMock

/// Where prices come from: the data file shipped with tierbench (the mock module's `Resources/prices.json`,
/// `BuiltInPrices.table`, so the mock's spend and the run's cost read one table), or a user's `--price-file`.
public enum PriceCatalog {
    /// The shipped table; an empty table dated `unavailable` if the resource is missing from the installation.
    public static var builtIn: PriceTable { BuiltInPrices.table }

    /// The table a run uses: `path`'s when given, else the built-in one.
    /// - Throws: `EngineError.cannotRead` / `.invalidScenario` naming the file and what is wrong with it.
    public static func load(path: String?) throws(EngineError) -> PriceTable {
        guard let path else { return builtIn }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.cannotRead(path: path, reason: "no such file (--price-file)")
        }
        do {
            return try PriceTable.decode(data)
        } catch {
            throw EngineError.invalidScenario(
                "\(path): not a price file (\(error)); write {\"date\": \"2026-10-04\", \"source\": \"…\", "
                    + "\"models\": {\"gpt-4o-mini\": {\"input\": 0.15, \"output\": 0.60}}} (USD per 1M tokens)")
        }
    }
}

extension PriceTable {
    /// The shipped price table (`PriceCatalog.builtIn`).
    static var builtIn: PriceTable { PriceCatalog.builtIn }
}
