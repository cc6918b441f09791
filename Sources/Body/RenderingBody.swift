import Geometry
import Numerics

/// The body as the renderer uses it (SPEC §5): an SMPL model, the vertex subset searched by the
/// nearest-neighbour step (`valid_smpl_knn_index`), the mean-pose offsets and the normalisation into the
/// rendering space.
public struct RenderingBody: Sendable {
    public let model: SMPLModel
    /// Strictly increasing vertex ids of the subset used for the nearest-vertex search (F4).
    public let validVertexIndices: [Int]
    public let normalisation: BodyNormalisation
    /// Mean-pose offsets `(z, y, x)` radians per pose slot (`MeanPose.slotCount` entries).
    public let meanPoseOffsets: [SIMD3<Float>]
    /// Skinning weights of the valid vertices `[K, J]`.
    let validWeights: Tensor

    /// Validates the subset (strictly increasing, inside `0..<V`) and that the model has the joints the pose
    /// slots need.
    public init(model: SMPLModel, validVertexIndices: [Int], normalisation: BodyNormalisation = .release,
                meanPoseOffsets: [SIMD3<Float>] = MeanPose.releaseOffsets) throws {
        guard model.jointCount >= MeanPose.firstJoint + MeanPose.slotCount else {
            throw BodyError.invalidParents(reason: "\(model.jointCount) joints, the pose slots need \(MeanPose.firstJoint + MeanPose.slotCount)")
        }
        guard !validVertexIndices.isEmpty else {
            throw BodyError.invalidIndex(name: "valid_smpl_knn_index", reason: "empty")
        }
        for (i, v) in validVertexIndices.enumerated() {
            guard v >= 0, v < model.vertexCount else {
                throw BodyError.invalidIndex(name: "valid_smpl_knn_index", reason: "entry \(i) = \(v) is outside 0..<\(model.vertexCount)")
            }
            if i > 0, v <= validVertexIndices[i - 1] {
                throw BodyError.invalidIndex(name: "valid_smpl_knn_index", reason: "entry \(i) = \(v) does not increase (previous \(validVertexIndices[i - 1]))")
            }
        }
        guard meanPoseOffsets.count == MeanPose.slotCount else {
            throw BodyError.invalidInput(name: "meanPoseOffsets", reason: "\(meanPoseOffsets.count) slots, expected \(MeanPose.slotCount)")
        }
        self.model = model
        self.validVertexIndices = validVertexIndices
        self.normalisation = normalisation
        self.meanPoseOffsets = meanPoseOffsets
        let j = model.jointCount
        var w = Tensor.zeros([validVertexIndices.count, j])
        model.skinningWeights.withUnsafeBufferPointer { src in
            w.withUnsafeMutableBufferPointer { dst in
                for (k, v) in validVertexIndices.enumerated() {
                    for c in 0..<j { dst[k * j + c] = src[v * j + c] }
                }
            }
        }
        validWeights = w
    }

    /// Poses the body (SPEC §5.3, F3) for shape `betas` and the joint angles `eulers` (`MeanPose.slotCount`
    /// entries, `(z, y, x)` radians relative to the mean pose).
    public func pose(betas: [Float], eulers: [SIMD3<Float>]) throws -> PosedBody {
        guard eulers.count == MeanPose.slotCount else {
            throw BodyError.invalidInput(name: "joint eulers", reason: "\(eulers.count) joints, expected \(MeanPose.slotCount)")
        }
        for (s, e) in eulers.enumerated() {
            for c in 0..<3 where !e[c].isFinite {
                throw BodyError.invalidInput(name: "joint eulers[\(s)][\(c)]", reason: "\(e[c]) is not finite")
            }
        }
        for (i, b) in betas.enumerated() where !b.isFinite {
            throw BodyError.invalidInput(name: "betas[\(i)]", reason: "\(b) is not finite")
        }
        let jointCount = model.jointCount
        let adjusted = MeanPose.adjusted(eulers, offsets: meanPoseOffsets)
        // 1-3: the adjusted pose and the canonical mean pose through SMPL.
        let posed = try model.forward(betas: betas, rotations: MeanPose.rotations(adjusted, jointCount: jointCount))
        let meanJoints = try model.posedJoints(betas: betas, rotations: MeanPose.rotations(meanPoseOffsets, jointCount: jointCount))
        // 4: normalise both into the rendering space, centred on the neck.
        let neck = MeanPose.firstJoint + MeanPose.neckSlot
        let posedCentre = posed.joints[neck]
        let canonicalJoints = meanJoints.map { normalisation.apply($0, centre: meanJoints[neck]) }
        var validVertices = [SIMD3<Float>]()
        validVertices.reserveCapacity(validVertexIndices.count)
        posed.vertices.withUnsafeBufferPointer { p in
            for v in validVertexIndices {
                validVertices.append(normalisation.apply(SIMD3(p[3 * v], p[3 * v + 1], p[3 * v + 2]), centre: posedCentre))
            }
        }
        // 5: canonical -> target transforms from the unadjusted pose and the canonical joints, blended per
        // valid vertex (6: only the subset is needed), then inverted.
        let chain = KinematicChain.transforms(parents: model.parents,
                                              rotations: MeanPose.rotations(eulers, jointCount: jointCount),
                                              joints: canonicalJoints)
        let blended = try KinematicChain.blend(weights: validWeights, transforms: chain.relative)
        var inverses = [Matrix4]()
        inverses.reserveCapacity(validVertexIndices.count)
        try blended.withUnsafeBufferPointer { t in
            for k in 0..<validVertexIndices.count {
                do {
                    inverses.append(try Matrix4(rowMajor: t[(16 * k)..<(16 * k + 16)]).inverse())
                } catch {
                    throw BodyError.singularTransform(vertex: validVertexIndices[k])
                }
            }
        }
        return PosedBody(posedJoints: posed.joints, meanPoseJoints: meanJoints, posedVertices: posed.vertices,
                         adjustedEulers: adjusted, validVertices: validVertices, inverseTransforms: inverses,
                         canonicalToTarget: chain.relative)
    }
}

/// The posed body of one frame (SPEC §5.3 steps 1-6).
public struct PosedBody: Sendable {
    /// Joints of the posed body (adjusted pose), metres, before normalisation.
    public let posedJoints: [SIMD3<Float>]
    /// Joints of the canonical mean-pose body, metres.
    public let meanPoseJoints: [SIMD3<Float>]
    /// All posed vertices `[V, 3]`, metres, before normalisation.
    public let posedVertices: Tensor
    /// The adjusted ("original SMPL") angles per slot after the Euler round trip (step 1).
    public let adjustedEulers: [SIMD3<Float>]
    /// Posed valid vertices in the normalised rendering space (`Vp`, one per valid index).
    public let validVertices: [SIMD3<Float>]
    /// Inverses of the blended canonical → target transforms of the valid vertices (`Tinv`).
    public let inverseTransforms: [Matrix4]
    /// Per-joint canonical → target transforms `A'_j` in the normalised space (step 5).
    public let canonicalToTarget: [Matrix4]

    /// The head joint's canonical → target transform (rigid): it carries the canonical face centre (the
    /// origin of the normalised space) to the posed face centre.
    public var headTransform: RigidTransform {
        RigidTransform(canonicalToTarget[MeanPose.firstJoint + MeanPose.headSlot])
    }
}
