import TierbenchCore

/// Checks mock rate-limit presets before anything runs, so a sweep with a mistyped tier (`tier7`) fails before its
/// first point instead of after the tiers before it ran.
public enum MockTierCheck {
    /// Throws when `preset` is not a tier of `settings`' tier set (in its tiers file, or the built-in table).
    public static func check(preset: String?, settings: MockSettings) throws(MockConfigurationError) {
        var candidate = settings
        candidate.tier = preset
        try TierCatalog.load(path: settings.tiersFile).validate(candidate)
    }
}
