import Numerics

/// The cached result of the identity stage for one `(z_id, ε, ψ)`: what every frame of that identity
/// reads (SPEC §1.1, end).
public struct IdentityMaps: Sendable {
    /// `z_id` `[identity_dim]`.
    public let identity: [Float]
    /// `ε` `[noise_dim]`.
    public let noise: [Float]
    /// Truncation ψ.
    public let psi: Double
    /// `LRmap` `[M, 4, HL, HL]`: channels r, g, b, α (rgb sigmoid, α from σ and validity).
    public let lrMaps: Tensor
    /// `HRmap` `[M, 4, HS, HS]` = sigmoid(SR output).
    public let hrMaps: Tensor
}

/// Intermediate outputs of one identity-stage run (the dumped stages of SPEC §6.2), for parity checks.
public struct IdentityTrace: Sendable {
    /// `f_raw`, `φ_raw` `[9·hidden_dim]`.
    public let rawFrequencies: [Float]
    public let rawPhases: [Float]
    /// Truncated `f`, `φ` (before `·15 + 30`).
    public let truncatedFrequencies: [Float]
    public let truncatedPhases: [Float]
    /// SR `w` (`get_w`, not truncated) `[sr_mapping_hidden_dim]`.
    public let srW: [Float]
    /// SR style after the ψ lerp `[style_dim]`.
    public let srStyle: [Float]
    /// The orthographic manifold intersections (once-warped) and validity.
    public let intersections: ManifoldIntersections
    /// `LRfeat` `[M, 4 + feature_dim, HL, HL]`.
    public let lrFeatures: Tensor
    /// The maps.
    public let maps: IdentityMaps
}
