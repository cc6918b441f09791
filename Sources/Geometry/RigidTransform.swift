/// A rigid transform `x ↦ R·x + t` (rotation `R`, translation `t`), Float32.
public struct RigidTransform: Sendable, Equatable {
    public var rotation: Matrix3
    public var translation: SIMD3<Float>

    public init(rotation: Matrix3 = .identity, translation: SIMD3<Float> = .zero) {
        self.rotation = rotation
        self.translation = translation
    }

    /// The identity transform.
    public static let identity = RigidTransform()

    /// The rotation block and translation column of a homogeneous matrix (its last row is ignored).
    public init(_ m: Matrix4) {
        rotation = m.rotationPart
        translation = m.translationPart
    }

    /// `R·p + t`.
    public func apply(_ p: SIMD3<Float>) -> SIMD3<Float> { rotation * p + translation }

    /// `self ∘ other`: first `other`, then `self` (`R₁R₂, R₁t₂ + t₁`).
    public func composed(with other: RigidTransform) -> RigidTransform {
        RigidTransform(rotation: rotation * other.rotation, translation: rotation * other.translation + translation)
    }

    /// The inverse `(Rᵀ, −Rᵀt)` (exact for orthonormal `R` up to rounding).
    public var inverse: RigidTransform {
        let rt = rotation.transposed
        return RigidTransform(rotation: rt, translation: -(rt * translation))
    }

    /// The homogeneous 4×4 matrix `[[R, t], [0, 0, 0, 1]]`.
    public var matrix: Matrix4 { Matrix4(rotation: rotation, translation: translation) }
}
