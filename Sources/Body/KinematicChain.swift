import Geometry
import Numerics

/// The rigid chain of SPEC §5.3 (`batch_rigid_transform`, identical in smplx and the renderer) and the
/// blending of its relative transforms with skinning weights.
public enum KinematicChain {
    /// Result of `transforms(parents:rotations:joints:)`.
    public struct Result: Sendable {
        /// Global joint transforms `G_j` (rest frame → posed frame of joint j).
        public let global: [Matrix4]
        /// Relative transforms `A_j = G_j` with translation `G_t − G_R·J_j`: they map rest-pose points to
        /// posed points for points rigidly attached to joint j.
        public let relative: [Matrix4]
        /// Posed joint positions `G_j[0:3, 3]`.
        public let posedJoints: [SIMD3<Float>]
    }

    /// `RigidChain(P, J)`: `L_j = [[P_j, J_j − J_parent(j)], [0, 1]]`, `G_0 = L_0`, `G_j = G_parent(j)·L_j`,
    /// `A_j = G_j − [[0, G_R·J_j], [0, 0]]`. `parents` must be a validated tree (parents before children).
    public static func transforms(parents: [Int], rotations: [Matrix3], joints: [SIMD3<Float>]) -> Result {
        let n = parents.count
        precondition(rotations.count == n && joints.count == n, "KinematicChain: \(n) parents, \(rotations.count) rotations, \(joints.count) joints")
        var global = [Matrix4](repeating: .identity, count: n)
        var relative = [Matrix4](repeating: .identity, count: n)
        var posed = [SIMD3<Float>](repeating: .zero, count: n)
        for j in 0..<n {
            let rel = j == 0 ? joints[0] : joints[j] - joints[parents[j]]
            let local = Matrix4(rotation: rotations[j], translation: rel)
            let g = j == 0 ? local : global[parents[j]] * local
            global[j] = g
            posed[j] = g.translationPart
            // G · [J_j; 0]: the rotation block times the joint (the 4th column meets a zero).
            let gj = g.rotationPart * joints[j]
            var a = g
            a[0, 3] = g[0, 3] - gj.x
            a[1, 3] = g[1, 3] - gj.y
            a[2, 3] = g[2, 3] - gj.z
            relative[j] = a
        }
        return Result(global: global, relative: relative, posedJoints: posed)
    }

    /// Blended transforms `T_v = Σ_j weights[v, j]·A_j` as a `[V, 16]` tensor (row-major 4×4 per vertex),
    /// one GEMM `[V, J]·[J, 16]`.
    public static func blend(weights: Tensor, transforms: [Matrix4]) throws -> Tensor {
        let a = try Tensor(shape: [transforms.count, 16], scalars: transforms.flatMap(\.elements))
        return try weights.matmul(a)
    }
}
