import Foundation
import TierbenchCore

/// The one shipped price table, `Resources/prices.json` of this module (OpenAI's list prices, dated): the mock
/// charges its spend from it and the engine prices runs with it (`PriceCatalog.builtIn`), so the two never disagree.
public enum BuiltInPrices {
    /// The shipped table; an empty table dated `unavailable` if the resource is missing from the installation.
    public static let table: PriceTable = {
        guard let data = try? Data(contentsOf: url), let table = try? PriceTable.decode(data)
        else { return PriceTable(date: "unavailable", source: "prices.json missing from the installation", models: [:]) }
        return table
    }()

    /// Next to the executable when installed, else in the build tree's resource bundle (like tiers.json).
    private static var url: URL {
        ResourceLocator.url("prices.json", bundleName: "tierbench_TierbenchMock.resources") {
            Bundle.module.bundleURL.appendingPathComponent("Resources/prices.json")
        }
    }
}
