import Foundation

/// Euler angles in pytorch3d's "ZYX" convention (SPEC A.10), radians, stored `(z, y, x)` as in the release's
/// joint arrays: `R = (Rz(z)·Ry(y))·Rx(x)`. With SMPL axes (x = subject's left, y up, z forward) z tilts,
/// y turns and x nods the joint.
public enum EulerZYX {
    /// `Rz(t)`, `Ry(t)`, `Rx(t)` as in SPEC A.10, from Float32 `cos`/`sin`.
    public static func rotationZ(_ t: Float) -> Matrix3 {
        let c = cos(t), s = sin(t)
        return Matrix3(rows: SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1))
    }

    /// `Ry(t)`.
    public static func rotationY(_ t: Float) -> Matrix3 {
        let c = cos(t), s = sin(t)
        return Matrix3(rows: SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c))
    }

    /// `Rx(t)`.
    public static func rotationX(_ t: Float) -> Matrix3 {
        let c = cos(t), s = sin(t)
        return Matrix3(rows: SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c))
    }

    /// The rotation `(Rz(e.x)·Ry(e.y))·Rx(e.z)` for angles `e = (z, y, x)` in radians (Float32 throughout).
    public static func matrix(_ e: SIMD3<Float>) -> Matrix3 {
        (rotationZ(e.x) * rotationY(e.y)) * rotationX(e.z)
    }

    /// The angles `(z, y, x)` of a rotation matrix: `(atan2(R₁₀, R₀₀), asin(−clamp(R₂₀, −1, 1)), atan2(R₂₁, R₂₂))`
    /// in Float32. The clamp keeps rounding from producing NaN at gimbal lock (`|R₂₀| = 1`), where the angles
    /// are not unique but `matrix(angles(of: R))` still reproduces `R`.
    public static func angles(of r: Matrix3) -> SIMD3<Float> {
        let r20 = min(max(r[2, 0], -1), 1)
        return SIMD3(atan2(r[1, 0], r[0, 0]), asin(-r20), atan2(r[2, 1], r[2, 2]))
    }
}
