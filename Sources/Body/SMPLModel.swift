import Geometry
import Numerics

/// The SMPL body model arrays (SPEC §5.1, smplx buffer layout), validated on construction.
///
/// Sizes: `V` vertices, `J` joints, `B` shape coefficients. Units are metres.
public struct SMPLModel: Sendable {
    /// Template vertices `[V, 3]`.
    public let template: Tensor
    /// Shape blend shapes `[V, 3, B]`.
    public let shapeDirections: Tensor
    /// Pose blend shapes `[(J−1)·9, 3V]` (row = pose feature, column = vertex·3 + coordinate), or nil when the
    /// model has none.
    public let poseDirections: Tensor?
    /// Joint regressor `[J, V]` (dense).
    public let jointRegressor: Tensor
    /// Skinning weights `[V, J]`.
    public let skinningWeights: Tensor
    /// Kinematic tree: `parents[0] = −1`, `0 ≤ parents[j] < j` for `j ≥ 1`.
    public let parents: [Int]

    /// Number of vertices `V`.
    public var vertexCount: Int { template.shape[0] }
    /// Number of joints `J`.
    public var jointCount: Int { parents.count }
    /// Number of shape coefficients `B`.
    public var shapeCount: Int { shapeDirections.shape[2] }

    /// Validates the arrays: shapes consistent with `V = template.shape[0]`, `J = parents.count`,
    /// `B = shapeDirections.shape[2]`, and `parents` a tree with parents before children.
    public init(template: Tensor, shapeDirections: Tensor, poseDirections: Tensor?, jointRegressor: Tensor,
                skinningWeights: Tensor, parents: [Int]) throws {
        guard template.rank == 2, template.shape[1] == 3, template.shape[0] > 0 else {
            throw BodyError.shapeMismatch(name: "v_template", got: template.shape, expected: "[V, 3] with V > 0")
        }
        let v = template.shape[0]
        let j = parents.count
        guard j > 0 else { throw BodyError.invalidParents(reason: "no joints") }
        guard parents[0] == -1 else { throw BodyError.invalidParents(reason: "parents[0] = \(parents[0]), expected -1") }
        for i in 1..<j where parents[i] < 0 || parents[i] >= i {
            throw BodyError.invalidParents(reason: "parents[\(i)] = \(parents[i]), expected 0...\(i - 1)")
        }
        guard shapeDirections.rank == 3, shapeDirections.shape[0] == v, shapeDirections.shape[1] == 3 else {
            throw BodyError.shapeMismatch(name: "shapedirs", got: shapeDirections.shape, expected: "[\(v), 3, B]")
        }
        if let p = poseDirections, p.shape != [(j - 1) * 9, 3 * v] {
            throw BodyError.shapeMismatch(name: "posedirs", got: p.shape, expected: "[\((j - 1) * 9), \(3 * v)]")
        }
        guard jointRegressor.shape == [j, v] else {
            throw BodyError.shapeMismatch(name: "J_regressor", got: jointRegressor.shape, expected: "[\(j), \(v)]")
        }
        guard skinningWeights.shape == [v, j] else {
            throw BodyError.shapeMismatch(name: "lbs_weights", got: skinningWeights.shape, expected: "[\(v), \(j)]")
        }
        self.template = template
        self.shapeDirections = shapeDirections
        self.poseDirections = poseDirections
        self.jointRegressor = jointRegressor
        self.skinningWeights = skinningWeights
        self.parents = parents
    }

    /// The shaped rest vertices `v_template + Σ_l β_l · shapedirs[:, :, l]` `[V, 3]` (the blend is summed
    /// first, then added to the template).
    public func shapedVertices(betas: [Float]) throws -> Tensor {
        guard betas.count == shapeCount else {
            throw BodyError.invalidInput(name: "betas", reason: "\(betas.count) values, model has \(shapeCount)")
        }
        let blend = try shapeDirections.reshaped([3 * vertexCount, shapeCount])
            .matmul(Tensor(shape: [shapeCount, 1], scalars: betas))
        var out = template
        blend.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count { o[i] += b[i] }
            }
        }
        return out
    }

    /// Joints regressed from vertices: `J_regressor · vertices`, `[J]` points.
    public func regressJoints(_ vertices: Tensor) throws -> [SIMD3<Float>] {
        let j = try jointRegressor.matmul(vertices)
        return j.withUnsafeBufferPointer { p in
            (0..<jointCount).map { SIMD3(p[3 * $0], p[3 * $0 + 1], p[3 * $0 + 2]) }
        }
    }

    /// The SMPL forward pass (SPEC §5.3 step 2) for shape `betas` `[B]` and one rotation per joint
    /// (`rotations[0]` is the global orientation): shape blend, joint regression, pose blend shapes,
    /// rigid chain, linear blend skinning. Float32 in the order of SPEC §5.3.
    public func forward(betas: [Float], rotations: [Matrix3]) throws -> SMPLOutput {
        guard rotations.count == jointCount else {
            throw BodyError.invalidInput(name: "rotations", reason: "\(rotations.count) matrices, model has \(jointCount) joints")
        }
        let shaped = try shapedVertices(betas: betas)
        let joints = try regressJoints(shaped)
        var posed = shaped
        if let poseDirections {
            // v_posed = v_shaped + pf · posedirs with pf = flatten(R_j − I), j ≥ 1. Features that are exactly
            // zero (unrotated joints) contribute exact zeros and are skipped; the rest are accumulated in
            // feature order (the reference's summation order is unspecified, SPEC A.11).
            let width = 3 * vertexCount
            var blend = [Float](repeating: 0, count: width)
            poseDirections.withUnsafeBufferPointer { dirs in
                blend.withUnsafeMutableBufferPointer { acc in
                    for jnt in 1..<jointCount {
                        let d = (rotations[jnt] - .identity).elements
                        for e in 0..<9 where d[e] != 0 {
                            let f = d[e]
                            let row = ((jnt - 1) * 9 + e) * width
                            for i in 0..<width { acc[i] += f * dirs[row + i] }
                        }
                    }
                }
            }
            posed.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = blend[i] + p[i] }
            }
        }
        let chain = KinematicChain.transforms(parents: parents, rotations: rotations, joints: joints)
        let blended = try KinematicChain.blend(weights: skinningWeights, transforms: chain.relative)
        var vertices = Tensor.zeros([vertexCount, 3])
        blended.withUnsafeBufferPointer { t in
            posed.withUnsafeBufferPointer { p in
                vertices.withUnsafeMutableBufferPointer { out in
                    for v in 0..<vertexCount {
                        let m = Matrix4(rowMajor: t[(16 * v)..<(16 * v + 16)])
                        let q = m.transformPoint(SIMD3(p[3 * v], p[3 * v + 1], p[3 * v + 2]))
                        out[3 * v] = q.x; out[3 * v + 1] = q.y; out[3 * v + 2] = q.z
                    }
                }
            }
        }
        return SMPLOutput(vertices: vertices, joints: chain.posedJoints)
    }

    /// Only the posed joints of the forward pass (no pose blend shapes or skinning are needed for them).
    public func posedJoints(betas: [Float], rotations: [Matrix3]) throws -> [SIMD3<Float>] {
        guard rotations.count == jointCount else {
            throw BodyError.invalidInput(name: "rotations", reason: "\(rotations.count) matrices, model has \(jointCount) joints")
        }
        let joints = try regressJoints(shapedVertices(betas: betas))
        return KinematicChain.transforms(parents: parents, rotations: rotations, joints: joints).posedJoints
    }
}

/// Result of `SMPLModel.forward`.
public struct SMPLOutput: Sendable {
    /// Posed vertices `[V, 3]`, metres.
    public let vertices: Tensor
    /// Posed joints (`J`), metres.
    public let joints: [SIMD3<Float>]
}
