/// The map from SMPL metres into the renderer's normalised body space (SPEC §5.3 step 4, §8.1):
/// `x ↦ ((x − J_neck) / scale − faceOffset) / faceRadius`, each step a true Float32 operation with the
/// Float32-rounded constants (SPEC A.12). In this space the face centre is the origin.
public struct BodyNormalisation: Sendable, Equatable {
    /// SMPL scale `S` (2.2314079 in the release).
    public var scale: Float
    /// `(0, face_ty, face_tz)`.
    public var faceOffset: SIMD3<Float>
    /// `face_radius`.
    public var faceRadius: Float

    public init(scale: Float, faceOffset: SIMD3<Float>, faceRadius: Float) {
        self.scale = scale; self.faceOffset = faceOffset; self.faceRadius = faceRadius
    }

    /// The release's constants (SPEC §0.1).
    public static let release = BodyNormalisation(
        scale: Float(2.2314079), faceOffset: SIMD3(0, Float(0.067489409707008), Float(0.050608165033568)),
        faceRadius: Float(0.52767998683149))

    /// `((x − centre) / scale − faceOffset) / faceRadius`.
    public func apply(_ x: SIMD3<Float>, centre: SIMD3<Float>) -> SIMD3<Float> {
        ((x - centre) / scale - faceOffset) / faceRadius
    }
}
