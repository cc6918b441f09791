import Geometry

/// The six posed joints of the portrait model and the canonical "mean pose" (SPEC §4.3, §5.2).
public enum MeanPose {
    /// SMPL joint of pose slot 0; slots 0...5 are joints 12...17 (neck, left collar, right collar, head,
    /// left shoulder, right shoulder).
    public static let firstJoint = 12
    /// Number of pose slots.
    public static let slotCount = 6
    /// Slot of the head joint (SMPL joint 15).
    public static let headSlot = 3
    /// Slot of the neck joint (SMPL joint 12), the centre of the normalisation.
    public static let neckSlot = 0
    /// Names of the slots in the controls JSON (DESIGN.md section 4).
    public static let slotNames = ["neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder"]

    /// The release's `adjust_eulers_inv` offsets `(z, y, x)` radians per slot (zero for slots 0...2): the
    /// head tilted about X, the arms lowered about Z and turned about X.
    public static let releaseOffsets: [SIMD3<Float>] = [
        .zero, .zero, .zero,
        SIMD3(0, 0, Float(0.15536945)),
        SIMD3(Float(-1.05), 0, Float(0.13)),
        SIMD3(Float(1.05), 0, Float(0.13)),
    ]

    /// The adjusted ("original SMPL") angles of SPEC §5.3 step 1: for slots with a non-zero offset `A`,
    /// `Euler_ZYX(Rot(E)·Rot(A))` (the Float32 matrix → Euler round trip, clamped `asin`); other slots unchanged.
    public static func adjusted(_ eulers: [SIMD3<Float>], offsets: [SIMD3<Float>]) -> [SIMD3<Float>] {
        zip(eulers, offsets).map { e, a in
            a == .zero ? e : EulerZYX.angles(of: EulerZYX.matrix(e) * EulerZYX.matrix(a))
        }
    }

    /// The 24 (`jointCount`) pose rotations: identity except joint `firstJoint + s` = `Rot(eulers[s])`.
    public static func rotations(_ eulers: [SIMD3<Float>], jointCount: Int) -> [Matrix3] {
        var r = [Matrix3](repeating: .identity, count: jointCount)
        for (s, e) in eulers.enumerated() { r[firstJoint + s] = EulerZYX.matrix(e) }
        return r
    }
}
