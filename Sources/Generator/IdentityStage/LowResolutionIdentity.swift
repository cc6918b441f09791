import Numerics

/// The first half of the identity stage for one `(z_id, ε, ψ)`: the LR maps (enough for a preview) and
/// what the super-resolution needs (`LRfeat` and the truncated SR style).
public struct LowResolutionIdentity: Sendable {
    /// `z_id` `[identity_dim]`.
    public let identity: [Float]
    /// `ε` `[noise_dim]`.
    public let noise: [Float]
    /// Truncation ψ.
    public let psi: Double
    /// `LRfeat` `[M, 4 + feature_dim, HL, HL]` (channels r, g, b, α, features).
    public let lrFeatures: Tensor
    /// `LRmap` `[M, 4, HL, HL]`.
    public let lrMaps: Tensor
    /// The SR style after the ψ lerp, `[style_dim]`.
    public let style: [Float]
}
