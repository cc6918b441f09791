/// The four phases of a training step (SPEC.md §8.3/§8.4), run in the order listed.
public enum TrainingPhase: String, Codable, Sendable, CaseIterable {
    /// Discriminators: non-saturating loss on real corpus images and (detached) generated ones.
    case discriminatorMain = "d_main"
    /// Discriminators: R1 penalty on real images (every step in stage 1, lazily every 16 in stage 2).
    case discriminatorRegularisation = "d_reg"
    /// Generator: the objective (adversarial terms, landmark and imitation losses; or the supervised L2).
    case generatorMain = "g_main"
    /// Generator: the deformation regularisers (pose and expression smoothness, minimal deformation).
    case generatorRegularisation = "g_reg"

    /// Whether the phase updates the generator (else the discriminators).
    public var updatesGenerator: Bool { self == .generatorMain || self == .generatorRegularisation }
}
