/// The loss weights of SPEC.md §8.3 (JSON keys in snake_case; missing keys take the defaults).
///
/// Generator adversarial weights (paper): `whole` 0.1, `face` 1.0, `torso` 0.5. Ours (AniFaceGAN-style
/// starting point): `landmark` 1, `imitation` (L_3DMM) 10, `pose_smooth` 1, `expression_smooth` 1,
/// `minimal_deformation` 0.1 decayed to 0.01 after 20 000 iterations; R1 `γ` 1 in stage 1 (every iteration)
/// and 10 in stage 2 (lazy, StyleGAN2 style).
public struct LossWeights: Codable, Sendable, Equatable {
    public var whole: Float = 0.1
    public var face: Float = 1.0
    public var torso: Float = 0.5
    public var landmark: Float = 1.0
    public var imitation: Float = 10
    public var poseSmooth: Float = 1
    public var expressionSmooth: Float = 1
    /// `λ_exp_min` before `minimalDeformationDecayStep`.
    public var minimalDeformation: Float = 0.1
    /// `λ_exp_min` from `minimalDeformationDecayStep` on.
    public var minimalDeformationLate: Float = 0.01
    /// Iteration at which `λ_exp_min` drops to `minimalDeformationLate`.
    public var minimalDeformationDecayStep: Int = 20_000
    public var r1GammaStage1: Float = 1
    public var r1GammaStage2: Float = 10

    /// The defaults above.
    public init() {}

    /// The generator adversarial weight of one discriminator.
    public func adversarial(_ kind: DiscriminatorKind) -> Float {
        switch kind {
        case .whole: return whole
        case .face: return face
        case .torso: return torso
        }
    }

    /// `λ_exp_min` at iteration `step` (0-based).
    public func minimalDeformation(atStep step: Int) -> Float {
        step < minimalDeformationDecayStep ? minimalDeformation : minimalDeformationLate
    }

    /// Reads any subset of the keys; the others keep their defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LossWeights()
        whole = try c.decodeIfPresent(Float.self, forKey: .whole) ?? d.whole
        face = try c.decodeIfPresent(Float.self, forKey: .face) ?? d.face
        torso = try c.decodeIfPresent(Float.self, forKey: .torso) ?? d.torso
        landmark = try c.decodeIfPresent(Float.self, forKey: .landmark) ?? d.landmark
        imitation = try c.decodeIfPresent(Float.self, forKey: .imitation) ?? d.imitation
        poseSmooth = try c.decodeIfPresent(Float.self, forKey: .poseSmooth) ?? d.poseSmooth
        expressionSmooth = try c.decodeIfPresent(Float.self, forKey: .expressionSmooth) ?? d.expressionSmooth
        minimalDeformation = try c.decodeIfPresent(Float.self, forKey: .minimalDeformation) ?? d.minimalDeformation
        minimalDeformationLate = try c.decodeIfPresent(Float.self, forKey: .minimalDeformationLate) ?? d.minimalDeformationLate
        minimalDeformationDecayStep = try c.decodeIfPresent(Int.self, forKey: .minimalDeformationDecayStep) ?? d.minimalDeformationDecayStep
        r1GammaStage1 = try c.decodeIfPresent(Float.self, forKey: .r1GammaStage1) ?? d.r1GammaStage1
        r1GammaStage2 = try c.decodeIfPresent(Float.self, forKey: .r1GammaStage2) ?? d.r1GammaStage2
    }

    enum CodingKeys: String, CodingKey {
        case whole, face, torso, landmark, imitation
        case poseSmooth = "pose_smooth"
        case expressionSmooth = "expression_smooth"
        case minimalDeformation = "minimal_deformation"
        case minimalDeformationLate = "minimal_deformation_late"
        case minimalDeformationDecayStep = "minimal_deformation_decay_step"
        case r1GammaStage1 = "r1_gamma_stage1"
        case r1GammaStage2 = "r1_gamma_stage2"
    }
}
