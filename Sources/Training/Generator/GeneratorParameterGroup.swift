/// The five trained sub-networks of the generator (SPEC §8.1), by state-dict prefix. Stage 1 of SPEC §8.4
/// trains every group but `superResolution`; stage 2 trains `superResolution` only.
public enum GeneratorParameterGroup: String, CaseIterable, Sendable, Hashable {
    /// M, the manifold predictor (level field): `sample_net.*`.
    case manifold
    /// φ, the radiance generator with its mapping network: `radiance_net.*`.
    case radiance
    /// U, the manifold super-resolution CNN with its mapping network: `sr_net.*`.
    case superResolution
    /// D^p, the pose deformation smoother: `smoother.*` (its alias `renderer.smooth_layer.*` is written
    /// back from it, never trained separately).
    case poseSmoother
    /// D^e, the expression deformation MLP with its mapping network: `deform_net.*`.
    case expressionDeformation

    /// The groups trained in stage 1 (all but U) and stage 2 (U only).
    public static func trained(inStage stage: Int) -> Set<GeneratorParameterGroup> {
        stage >= 2 ? [.superResolution] : [.manifold, .radiance, .poseSmoother, .expressionDeformation]
    }

    /// State-dict prefix of the group.
    public var prefix: String {
        switch self {
        case .manifold: return "sample_net."
        case .radiance: return "radiance_net."
        case .superResolution: return "sr_net."
        case .poseSmoother: return "smoother."
        case .expressionDeformation: return "deform_net."
        }
    }

    /// The group of a state-dict name, or nil for names outside the five networks (e.g. the smoother alias).
    public static func group(of name: String) -> GeneratorParameterGroup? {
        allCases.first { name.hasPrefix($0.prefix) }
    }
}
