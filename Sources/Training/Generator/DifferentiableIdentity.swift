import Autodiff

/// The identity stage recorded on a tape (`DifferentiableGenerator.identity`).
public struct DifferentiableIdentity {
    /// `z_id` (constant; the DeformNet mapping reads it).
    public let identity: [Float]
    /// Truncated FiLM frequencies of RadianceNet, already `f·15 + 30`, `[1, 9·H]`.
    public let frequencies: Variable
    /// Truncated phases, `[1, 9·H]`.
    public let phases: Variable
    /// `LRfeat` `[M, 4 + F, HL, HL]` (rgb, α, features), when maps were asked for.
    public let lowResolutionFeatures: Variable?
    /// LR maps `[M, 4, HL, HL]` (channels 0..<4 of the features).
    public let lowResolutionMaps: Variable?
    /// The SR style `[1, style_dim]` (after truncation), when HR maps were asked for.
    public let style: Variable?
    /// HR maps `[M, 4, HS, HS]` (sigmoid of the SR net), when asked for.
    public let highResolutionMaps: Variable?
}
