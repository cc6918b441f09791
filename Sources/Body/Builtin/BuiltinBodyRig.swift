import Foundation
import Geometry

/// Joints, skinning weights, shape directions and the joint regressor of the built-in body
/// (`BuiltinBody` assembles them into an `SMPLModel`).
enum BuiltinBodyRig {
    /// SMPL's kinematic tree (24 joints, SMPL order).
    static let parents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]

    /// Rest joint positions, metres (mean shape). Upper body joints sit anatomically in the mesh (12 at the
    /// base of the neck, 13/14 inside the collar bones, 15 at the top of the neck, 16/17 at the centres of the
    /// shoulder spheres); the others (legs, forearms, hands: no vertices follow them) where SMPL has them.
    static let joints: [SIMD3<Double>] = [
        SIMD3(0, -0.23, 0),                                     // 0 pelvis
        SIMD3(0.06, -0.32, 0), SIMD3(-0.06, -0.32, 0),          // 1, 2 hips
        SIMD3(0, -0.11, -0.01),                                 // 3 spine1
        SIMD3(0.1, -0.7, 0), SIMD3(-0.1, -0.7, 0),              // 4, 5 knees
        SIMD3(0, 0.02, 0),                                      // 6 spine2
        SIMD3(0.09, -1.13, -0.03), SIMD3(-0.09, -1.13, -0.03),  // 7, 8 ankles
        SIMD3(0, 0.08, 0.01),                                   // 9 spine3
        SIMD3(0.12, -1.19, 0.08), SIMD3(-0.12, -1.19, 0.08),    // 10, 11 feet
        BuiltinBodyShape.neck,                                  // 12 neck
        SIMD3(0.06, 0.2, -0.005), SIMD3(-0.06, 0.2, -0.005),    // 13, 14 collars
        BuiltinBodyShape.head,                                  // 15 head
        SIMD3(0.17, 0.205, -0.02), SIMD3(-0.17, 0.205, -0.02),  // 16, 17 shoulders
        SIMD3(0.43, 0.2, -0.035), SIMD3(-0.43, 0.2, -0.035),    // 18, 19 elbows
        SIMD3(0.69, 0.205, -0.04), SIMD3(-0.69, 0.205, -0.04),  // 20, 21 wrists
        SIMD3(0.78, 0.2, -0.05), SIMD3(-0.78, 0.2, -0.05),      // 22, 23 hands
    ]

    /// Names and meanings of the 10 shape coefficients (one unit each).
    static let shapeDirectionNames = [
        "height: the whole body 3% larger about the pelvis",
        "shoulder width: each shoulder 2 cm further out",
        "neck length: head 1.5 cm higher, neck stretched",
        "head size: head 6% larger about the cranium centre",
        "chest depth: torso 10% deeper front to back",
        "girth: torso 6% wider and deeper below the shoulders",
        "neck thickness: neck 12% thicker",
        "shoulder slope: shoulders 1.2 cm lower at the tips",
        "head forward: head and upper neck 1.5 cm forward",
        "torso length: lower torso 3 cm longer",
    ]

    static func smoothstep(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let t = min(max((x - a) / (b - a), 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// How much a trunk point (mean pose) belongs to the head: 0 below, 1 above a plane through the head joint
    /// that slopes down towards the front (so the chin belongs to the head), blended over ±12 mm.
    static func headShare(_ p: SIMD3<Double>) -> Double {
        let d = p - BuiltinBodyShape.head
        return smoothstep(-0.012, 0.012, (d.y + 0.8 * d.z) / 1.28)
    }

    /// Skinning weights of a trunk point in the mean pose: the spine chain by height (each bone from its joint
    /// to its child, blended over a few centimetres), the head above the head plane, the collars on top of the
    /// shoulders.
    static func trunkWeights(_ p: SIMD3<Double>) -> [Double] {
        let s3 = smoothstep(-0.14, -0.08, p.y)
        let s6 = smoothstep(-0.01, 0.05, p.y) * s3
        let s9 = smoothstep(0.05, 0.11, p.y) * s6
        let s12 = smoothstep(0.255, 0.305, p.y) * s9
        let s15 = headShare(p)
        var w = [Double](repeating: 0, count: 24)
        w[0] = 1 - s3
        w[3] = s3 - s6
        w[6] = s6 - s9
        w[9] = s9 - max(s12, s15)
        w[12] = max(s12 - s15, 0)
        w[15] = s15
        let collar = smoothstep(0.05, 0.13, abs(p.x)) * smoothstep(0.10, 0.16, p.y) * (1 - s15)
        if collar > 0 {
            for j in 0..<24 { w[j] *= 1 - collar }
            w[p.x > 0 ? 13 : 14] += collar
        }
        let total = w.reduce(0, +)
        return w.map { max($0, 0) / total }
    }

    /// Displacement of direction `l` (one unit) at a point `p` (trunk: mean pose; arms: rest pose).
    static func shapeDisplacement(_ l: Int, at p: SIMD3<Double>, part: BuiltinBodyMesh.Part) -> SIMD3<Double> {
        let arm = part != .trunk
        let side: Double = p.x >= 0 ? 1 : -1
        switch l {
        case 0:
            return 0.03 * (p - joints[0])
        case 1:
            return SIMD3(0.02 * side * (arm ? 1 : smoothstep(0.04, 0.16, abs(p.x)) * smoothstep(0.0, 0.12, p.y)), 0, 0)
        case 2:
            return arm ? .zero : SIMD3(0, 0.015 * smoothstep(0.3, 0.38, p.y), 0)
        case 3:
            guard !arm else { return .zero }
            return 0.06 * headShare(p) * (p - BuiltinBodyShape.cranium.centre)
        case 4:
            guard !arm else { return .zero }
            let window = smoothstep(-0.15, -0.02, p.y) * (1 - smoothstep(0.2, 0.28, p.y))
            return SIMD3(0, 0, 0.1 * p.z * window)
        case 5:
            guard !arm else { return .zero }
            let window = 1 - smoothstep(0.12, 0.22, p.y)
            return 0.06 * window * SIMD3(p.x, 0, p.z)
        case 6:
            guard !arm else { return .zero }
            let window = smoothstep(0.24, 0.29, p.y) * (1 - headShare(p)) * (1 - smoothstep(0.075, 0.11, abs(p.x)))
            let axis = BuiltinBodyShape.axisZ(p.y)
            return 0.12 * window * SIMD3(p.x, 0, p.z - axis)
        case 7:
            if arm { return SIMD3(0, -0.012, 0) }
            return SIMD3(0, -0.012 * smoothstep(0.05, 0.2, abs(p.x)) * smoothstep(0.1, 0.16, p.y), 0)
        case 8:
            return arm ? .zero : SIMD3(0, 0, 0.015 * smoothstep(0.28, 0.40, p.y))
        case 9:
            return SIMD3(0, -0.03 * (1 - smoothstep(-0.2, 0.1, p.y)), 0)
        default:
            return .zero
        }
    }

    /// Affine joint regressor rows: for each joint, minimum-norm weights over the vertices nearest to it
    /// (arm joints: that arm's vertices; the others: the trunk's) that reproduce the joint exactly and sum to
    /// one. Returns `[joint][(vertex, weight)]`.
    static func regressor(rest: [SIMD3<Double>], parts: [BuiltinBodyMesh.Part]) -> [[(Int, Double)]] {
        joints.enumerated().map { j, joint in
            let allowed: BuiltinBodyMesh.Part = [16, 18, 20, 22].contains(j) ? .leftArm
                : ([17, 19, 21, 23].contains(j) ? .rightArm : .trunk)
            let candidates = rest.indices.filter { parts[$0] == allowed }
            var radius = 0.05
            var anchors: [Int] = []
            while true {
                anchors = candidates.filter { ((rest[$0] - joint) * (rest[$0] - joint)).sum() < radius * radius }
                if anchors.count >= 48, let w = minimumNormAffineWeights(anchors.map { rest[$0] }, target: joint) {
                    return zip(anchors, w).map { ($0, $1) }
                }
                radius *= 1.2
            }
        }
    }

    /// `w = Aᵀ(AAᵀ)⁻¹b` with `A` the 4×k matrix of `(x, y, z, 1)` columns and `b = (target, 1)`; nil when
    /// `AAᵀ` is near singular (the points are nearly coplanar).
    static func minimumNormAffineWeights(_ points: [SIMD3<Double>], target: SIMD3<Double>) -> [Double]? {
        var m = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        let rows = points.map { [$0.x, $0.y, $0.z, 1.0] }
        for r in rows { for a in 0..<4 { for b in 0..<4 { m[a][b] += r[a] * r[b] } } }
        // Solve m·λ = b by Gaussian elimination with partial pivoting.
        var aug = m.enumerated().map { i, row in row + [[target.x, target.y, target.z, 1.0][i]] }
        let scale = m.map { $0.map(abs).max() ?? 0 }.max() ?? 0
        for c in 0..<4 {
            guard let p = (c..<4).max(by: { abs(aug[$0][c]) < abs(aug[$1][c]) }), abs(aug[p][c]) > 1e-9 * scale else { return nil }
            aug.swapAt(c, p)
            for r in 0..<4 where r != c {
                let f = aug[r][c] / aug[c][c]
                for k in c..<5 { aug[r][k] -= f * aug[c][k] }
            }
        }
        let lambda = (0..<4).map { aug[$0][4] / aug[$0][$0] }
        let w = rows.map { r in (0..<4).reduce(0.0) { $0 + r[$1] * lambda[$1] } }
        return w.allSatisfy { abs($0) < 2 } ? w : nil
    }
}
