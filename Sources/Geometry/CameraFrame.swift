/// Where a camera is and how it is turned: `world = R·p_cam + origin + sampleOffset` (SPEC F2).
///
/// The camera looks along −z of its own frame with +y up; `R` has the columns `(−left, up, −forward)`.
public struct CameraFrame: Sendable, Equatable {
    /// Camera origin `o`; depths are distances from it (it excludes `sampleOffset`, SPEC §10.1 quirk 7).
    public var origin: SIMD3<Float>
    /// Camera-to-world rotation `R`.
    public var rotation: Matrix3
    /// Added to every sample point after the rotation (the portrait camera's `origin_offset`).
    public var sampleOffset: SIMD3<Float>

    public init(origin: SIMD3<Float>, rotation: Matrix3, sampleOffset: SIMD3<Float> = .zero) {
        self.origin = origin
        self.rotation = rotation
        self.sampleOffset = sampleOffset
    }

    /// `v / sqrt(v·v)` in Float32 (the sum as `(x² + y²) + z²`).
    @inlinable
    public static func normalized(_ v: SIMD3<Float>) -> SIMD3<Float> {
        var s = v.x * v.x
        s += v.y * v.y
        s += v.z * v.z
        return v / s.squareRoot()
    }

    /// `a × b` in Float32.
    @inlinable
    public static func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// The release's `create_cam2world_matrix` for a camera at `origin` looking at the world origin
    /// (SPEC F2): `forward = normalize(−o)`, `left = normalize((0, 1, 0) × forward)`,
    /// `up = normalize(forward × left)`, `R = (−left, up, −forward)` as columns. Degenerate (NaN) when `o`
    /// is parallel to the y axis, as in the release.
    public static func lookingAtOrigin(from origin: SIMD3<Float>, sampleOffset: SIMD3<Float> = .zero) -> CameraFrame {
        let forward = normalized(-origin)
        let left = normalized(cross(SIMD3(0, 1, 0), forward))
        let up = normalized(cross(forward, left))
        return CameraFrame(origin: origin, rotation: Matrix3(columns: -left, up, -forward), sampleOffset: sampleOffset)
    }

    /// `R·p + o + offset` for a camera-space point `p`, summed `(((R₀x + R₁y) + R₂z) + o) + offset`.
    @inlinable
    public func worldPoint(_ p: SIMD3<Float>) -> SIMD3<Float> {
        var w = rotation.column(0) * p.x
        w += rotation.column(1) * p.y
        w += rotation.column(2) * p.z
        w += origin
        w += sampleOffset
        return w
    }

    /// The world direction of a camera-space direction: `R·d`.
    @inlinable
    public func worldDirection(_ d: SIMD3<Float>) -> SIMD3<Float> { rotation * d }

    /// This frame moved by a rigid transform (`origin ↦ T(origin)`, `R ↦ T.R·R`); the sample offset is kept.
    public func transformed(by t: RigidTransform) -> CameraFrame {
        CameraFrame(origin: t.apply(origin), rotation: t.rotation * rotation, sampleOffset: sampleOffset)
    }
}
