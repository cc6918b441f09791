import Body
import Geometry
import Numerics
import Synth

/// The face model's 68 landmarks for commanded codes, seen by the face camera: the targets of the landmark
/// loss. The built-in figure is posed exactly as the corpus renderer poses it (`BuiltinFigure.pose`: body
/// shape, joints, face identity and expression), the landmarks are taken in the rendering space and
/// projected by the face camera at (yaw, pitch) relative to the posed head (`FaceCamera.standard`,
/// pixel centres on the generator's rays), so for corpus labels it reproduces `landmarks.face`.
public struct FaceLandmarkProjector: Sendable {
    public let figure: BuiltinFigure
    let renderingBody: RenderingBody

    public init() throws {
        let body = try BuiltinBody()
        figure = BuiltinFigure(body: body, face: FaceModel())
        renderingBody = try RenderingBody(model: body.model, validVertexIndices: body.knnIndex)
    }

    /// The landmarks of one face as pixel positions in a `size`² face image (x right, y down; pixel centres
    /// at `i + 0.5`, as the corpus labels).
    /// - Parameters:
    ///   - joints: six `[z, y, x]` angles in degrees (`Controls.jointNames` order).
    ///   - faceYaw, facePitch: the face camera relative to the posed head, degrees.
    public func pixels(identity: [Float], shape: [Float], expression: [Float], joints: [[Double]],
                       faceYaw: Double, facePitch: Double, size: Int) throws -> [SIMD2<Double>] {
        guard size > 1 else {
            throw TrainingError.invalidArgument(operation: "FaceLandmarkProjector", reason: "needs a size > 1 (got \(size))")
        }
        return try posedLandmarks(identity: identity, shape: shape, expression: expression, joints: joints)
            .project(faceYaw: faceYaw, facePitch: facePitch, size: size)
    }

    /// The landmark targets of one face `[1, 68, 2]` (normalised coordinates, as `targets(identity:...)`) from
    /// its labels: codes, joints and face-camera angles.
    public func targets(_ labels: PortraitLabels, size: Int) throws -> Tensor {
        let points = try pixels(identity: labels.identity.map { Float($0) }, shape: labels.shape.map { Float($0) },
                                expression: labels.expression.map { Float($0) }, joints: labels.joints,
                                faceYaw: labels.faceYaw, facePitch: labels.facePitch, size: size)
        return try Tensor(shape: [1, LandmarkNetworkArchitecture.landmarkCount, 2], scalars: Self.normalised(points, size: size))
    }

    /// Pixel positions in a `size`² image as normalised coordinates `2·pixel/size − 1`, x and y interleaved.
    static func normalised(_ points: [SIMD2<Double>], size: Int) -> [Float] {
        let side = Double(size)
        var out: [Float] = []
        out.reserveCapacity(2 * points.count)
        for p in points { out += [Float(2 * p.x / side - 1), Float(2 * p.y / side - 1)] }
        return out
    }

    /// Landmark targets for a batch `[B, 68, 2]` in normalised coordinates (`2·pixel/size − 1`) of a `size`²
    /// face image, from label tensors shaped as in `TrainingBatch`: `identity` `[B, I]`, `shape` `[B, 10]`,
    /// `expression` `[B, E]`, `joints` `[B, 6, 3]` degrees, `faceCamera` `[B, 2]` (yaw, pitch) degrees.
    public func targets(identity: Tensor, shape: Tensor, expression: Tensor, joints: Tensor, faceCamera: Tensor,
                        size: Int) throws -> Tensor {
        let b = identity.shape.first ?? 0
        guard b > 0, identity.rank == 2, shape.rank == 2, expression.rank == 2, shape.shape[0] == b, expression.shape[0] == b,
              joints.shape == [b, MeanPose.slotCount, 3], faceCamera.shape == [b, 2] else {
            throw TrainingError.invalidArgument(
                operation: "FaceLandmarkProjector.targets",
                reason: "identity \(identity.shape), shape \(shape.shape), expression \(expression.shape), joints \(joints.shape), face camera \(faceCamera.shape): expected one row per face, joints [B, 6, 3], face camera [B, 2]")
        }
        func row(_ t: Tensor, _ i: Int) -> [Float] {
            let w = t.count / b
            return (0..<w).map { t[flat: i * w + $0] }
        }
        var out: [Float] = []
        out.reserveCapacity(b * 136)
        for i in 0..<b {
            let j = row(joints, i).map(Double.init)
            let points = try pixels(identity: row(identity, i), shape: row(shape, i), expression: row(expression, i),
                                    joints: (0..<MeanPose.slotCount).map { Array(j[(3 * $0)..<(3 * $0 + 3)]) },
                                    faceYaw: Double(faceCamera[flat: 2 * i]), facePitch: Double(faceCamera[flat: 2 * i + 1]), size: size)
            out += Self.normalised(points, size: size)
        }
        return try Tensor(shape: [b, LandmarkNetworkArchitecture.landmarkCount, 2], scalars: out)
    }
}
