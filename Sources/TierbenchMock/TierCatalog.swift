import Foundation
import TierbenchCore

/// Limits of one (tier, model) in real units; nil = no such limit.
struct RateLimits: Sendable, Equatable, Codable {
    /// Requests per minute.
    var rpm: Int?
    /// Requests per day.
    var rpd: Int?
    /// Tokens per minute.
    var tpm: Int?
    /// Tokens per day.
    var tpd: Int?
    /// Enqueued Batch API input tokens for the model: the queue limit a batch is checked against at validation.
    var batchQueue: Int?

    enum CodingKeys: String, CodingKey {
        case rpm, rpd, tpm, tpd
        case batchQueue = "batch_queue"
    }

    /// Whether any limit applies.
    var isEmpty: Bool { rpm == nil && rpd == nil && tpm == nil && tpd == nil }

    /// These limits with every field set in `overrides` replaced.
    func applying(_ overrides: RateLimitOverrides) -> RateLimits {
        var limits = self
        if let rpm = overrides.rpm { limits.rpm = rpm }
        if let rpd = overrides.rpd { limits.rpd = rpd }
        if let tpm = overrides.tpm { limits.tpm = tpm }
        if let tpd = overrides.tpd { limits.tpd = tpd }
        return limits
    }
}

/// Why the mock's configuration cannot be used; thrown by `MockServer.start()`.
public enum MockConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadableTiersFile(path: String, reason: String)
    case unknownTierSet(String, available: [String])
    case unknownTier(String, set: String, available: [String])
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .unreadableTiersFile(let path, let reason): return "cannot read tier presets \(path): \(reason)"
        case .unknownTierSet(let name, let available):
            return "unknown tier set '\(name)'; available: \(available.joined(separator: ", "))"
        case .unknownTier(let name, let set, let available):
            return "unknown tier '\(name)' in set '\(set)'; available: \(available.joined(separator: ", "))"
        case .invalidSetting(let message): return message
        }
    }
}

/// The rate-limit presets data file (`Resources/tiers.json`): named sets of per-model tier tables.
struct TierCatalog: Sendable, Decodable {
    struct ModelTiers: Sendable, Decodable {
        var source: String?
        var tiers: [String: RateLimits]
    }

    struct TierSet: Sendable, Decodable {
        var description: String?
        /// Model whose table applies to models without one (`*` = the wildcard table).
        var fallbackModel: String
        var models: [String: ModelTiers]
        /// Model id → the model whose table it shares.
        var aliases: [String: String]

        enum CodingKeys: String, CodingKey {
            case description, models, aliases
            case fallbackModel = "fallback_model"
        }

        /// The tier names this set defines, sorted.
        var tierNames: [String] { Array(Set(models.values.flatMap { $0.tiers.keys })).sorted() }

        /// The limits of `tier` for `model`: its own table, its alias's, else the fallback model's.
        func limits(tier: String, model: String) -> RateLimits? {
            let resolved = aliases[model] ?? model
            if let own = models[resolved]?.tiers[tier] { return own }
            return models[fallbackModel]?.tiers[tier]
        }
    }

    var sets: [String: TierSet]

    /// Loads `path`, or the built-in file when nil.
    static func load(path: String?) throws(MockConfigurationError) -> TierCatalog {
        let url: URL
        if let path {
            url = URL(fileURLWithPath: path)
        } else {
            url = builtInURL()
        }
        do {
            return try JSONDecoder().decode(TierCatalog.self, from: Data(contentsOf: url))
        } catch {
            throw .unreadableTiersFile(path: url.path, reason: "\(error)")
        }
    }

    /// The built-in presets: next to the executable when installed, else in the build tree's resource bundle.
    private static func builtInURL() -> URL {
        ResourceLocator.url("tiers.json", bundleName: "tierbench_TierbenchMock.resources") {
            Bundle.module.bundleURL.appendingPathComponent("Resources/tiers.json")
        }
    }

    /// Checks that `settings` names an existing set and tier.
    func validate(_ settings: MockSettings) throws(MockConfigurationError) {
        guard let set = sets[settings.tierSet] else {
            throw .unknownTierSet(settings.tierSet, available: sets.keys.sorted())
        }
        if let tier = settings.tier, !set.tierNames.contains(tier) {
            throw .unknownTier(tier, set: settings.tierSet, available: set.tierNames)
        }
    }

    /// The effective limits for `model` under `settings` (tier preset, then overrides).
    func limits(for model: String, settings: MockSettings) -> RateLimits {
        var limits = RateLimits()
        if let tier = settings.tier, let preset = sets[settings.tierSet]?.limits(tier: tier, model: model) {
            limits = preset
        }
        return limits.applying(settings.limits)
    }
}
