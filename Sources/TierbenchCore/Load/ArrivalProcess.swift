/// How open-loop requests arrive: the gaps between intended send times.
///
/// With mean rate λ (requests/s): `constant` spaces sends exactly 1/λ apart; `poisson` draws exponential gaps
/// (coefficient of variation 1); `gamma` draws gamma gaps with shape `burstiness` and scale 1/(λ·burstiness), so the
/// mean stays 1/λ and the CV is 1/√burstiness — below 1 is burstier than Poisson, above 1 more regular
/// (the convention of vLLM's `--burstiness`).
public enum ArrivalProcess: Sendable, Equatable, Codable {
    case constant
    case poisson
    case gamma(burstiness: Double)

    /// The gap to the next arrival, in seconds, at rate `rate` (requests/s).
    public func nextGap(rate: Double, random: inout SplitMix64) -> Double {
        guard rate > 0 else { return .infinity }
        switch self {
        case .constant:
            return 1 / rate
        case .poisson:
            return random.nextExponential(mean: 1 / rate)
        case .gamma(let burstiness):
            return random.nextGamma(shape: burstiness, scale: 1 / (rate * burstiness))
        }
    }

    /// The coefficient of variation of the gaps (stddev / mean).
    public var coefficientOfVariation: Double {
        switch self {
        case .constant: return 0
        case .poisson: return 1
        case .gamma(let burstiness): return 1 / burstiness.squareRoot()
        }
    }
}
