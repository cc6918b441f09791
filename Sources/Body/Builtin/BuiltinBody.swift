import Foundation
import Geometry
import Numerics

/// The built-in upper body: a deterministic, code-generated model with the SMPL interface, usable wherever
/// the official SMPL model is (`model` is an `SMPLModel`), so that our own generators ship without licensed
/// data.
///
/// - Surface: a closed, smooth trunk (torso, neck and head; horizontal rings of `BuiltinBodyMesh.ringPoints`
///   points) and two closed upper-arm capsules from the shoulder joints to the elbows; metres, y up, facing
///   +z, about 6,400 vertices. The rest pose is SMPL's T-pose with the head tilted back by the release's
///   mean-pose head offset, so that in the canonical mean pose (SPEC §4.3) the face looks straight along +z.
/// - Joints: SMPL's 24 joints, tree and order (`BuiltinBodyRig.joints`).
/// - Skinning weights: smooth, summing to one; the head above the chin-to-occiput plane follows joint 15
///   alone, each arm its shoulder joint alone.
/// - Joint regressor: affine, minimum-norm weights over the vertices around each joint; it reproduces the
///   joints exactly.
/// - Shape: 10 directions, meanings in `shapeDirectionNames`; no pose blend shapes.
/// - Nearest-neighbour subset: every vertex from the chest up, and the arms.
///
/// With zero pose and the release's constants (`BodyNormalisation.release`, `PortraitCamera.release`), the
/// face centre `BuiltinBodyShape.faceCentre` normalises to the origin, so the portrait camera frames head and
/// shoulders as it does for SMPL.
public struct BuiltinBody: Sendable {
    /// The SMPL-interface model (rest pose, metres).
    public let model: SMPLModel
    /// Triangles `[F]` (vertex indices, counter-clockwise seen from outside).
    public let triangles: [SIMD3<Int32>]
    /// Strictly increasing vertex ids searched by the frame stage's nearest-vertex step (`body.knn_index`).
    public let knnIndex: [Int]
    /// The vertices in the canonical mean pose (what the portrait camera sees at zero pose), metres `[V]`.
    public let meanPoseVertices: [SIMD3<Float>]

    /// Meanings of the 10 shape coefficients, one unit each.
    public static var shapeDirectionNames: [String] { BuiltinBodyRig.shapeDirectionNames }

    /// The face centre in the mean pose, metres: the point that normalises to the rendering space's origin.
    public static var faceCentre: SIMD3<Float> { SIMD3<Float>(BuiltinBodyShape.faceCentre) }

    /// The head's rest-pose tilt: the release's mean-pose head offset undone (rotation about x at joint 15).
    static var headRestTilt: Double { -Double(MeanPose.releaseOffsets[MeanPose.headSlot].z) }

    /// Generates the model (deterministic; about 0.1 s).
    public init() throws {
        let joints = BuiltinBodyRig.joints
        let mesh = BuiltinBodyMesh.build(leftShoulder: joints[16], leftElbow: joints[18])
        let v = mesh.positions.count
        let jointCount = joints.count
        // Skinning weights: trunk from its mean-pose position, arms rigid on their shoulder joint.
        var weights = [[Double]](repeating: [Double](repeating: 0, count: jointCount), count: v)
        for i in 0..<v {
            switch mesh.parts[i] {
            case .trunk: weights[i] = BuiltinBodyRig.trunkWeights(mesh.positions[i])
            case .leftArm: weights[i][16] = 1
            case .rightArm: weights[i][17] = 1
            }
        }
        // Unpose the trunk: rest = (Σ_j w_j T_j)⁻¹ · meanPose, where only the head joint moves between rest and
        // mean pose (a rotation about x by the mean-pose offset, about joint 15). Shape displacements designed
        // in the mean pose are carried back by the inverse of the blended linear part.
        let tilt = -Self.headRestTilt
        let c = cos(tilt), s = sin(tilt)
        let headJoint = joints[15]
        func rotateX(_ p: SIMD3<Double>, _ c: Double, _ s: Double) -> SIMD3<Double> {
            SIMD3(p.x, p.y * c - p.z * s, p.y * s + p.z * c)
        }
        var rest = mesh.positions
        var shapeDirs = [Double](repeating: 0, count: v * 3 * 10)
        for i in 0..<v {
            let p = mesh.positions[i]
            var displacements = (0..<10).map { BuiltinBodyRig.shapeDisplacement($0, at: p, part: mesh.parts[i]) }
            let h = mesh.parts[i] == .trunk ? weights[i][15] : 0
            if h > 0 {
                // M = h·[R | J − RJ] + (1 − h)·I, linear part L = h·R + (1 − h)·I (R about x only).
                let l = (h * c + (1 - h), h * s)   // L restricted to (y, z): [[a, −b], [b, a]]
                let det = l.0 * l.0 + l.1 * l.1
                func solve(_ q: SIMD3<Double>) -> SIMD3<Double> {
                    SIMD3(q.x, (l.0 * q.y + l.1 * q.z) / det, (-l.1 * q.y + l.0 * q.z) / det)
                }
                let translation = h * (headJoint - rotateX(headJoint, c, s))
                rest[i] = solve(p - translation)
                displacements = displacements.map(solve)
            }
            for l in 0..<10 {
                shapeDirs[(i * 3 + 0) * 10 + l] = displacements[l].x
                shapeDirs[(i * 3 + 1) * 10 + l] = displacements[l].y
                shapeDirs[(i * 3 + 2) * 10 + l] = displacements[l].z
            }
        }
        var regressor = [Float](repeating: 0, count: jointCount * v)
        for (j, row) in BuiltinBodyRig.regressor(rest: rest, parts: mesh.parts).enumerated() {
            for (vertex, w) in row { regressor[j * v + vertex] = Float(w) }
        }
        model = try SMPLModel(
            template: Tensor(shape: [v, 3], scalars: rest.flatMap { [Float($0.x), Float($0.y), Float($0.z)] }),
            shapeDirections: Tensor(shape: [v, 3, 10], scalars: shapeDirs.map { Float($0) }),
            poseDirections: nil,
            jointRegressor: Tensor(shape: [jointCount, v], scalars: regressor),
            skinningWeights: Tensor(shape: [v, jointCount], scalars: weights.flatMap { $0.map { Float($0) } }),
            parents: BuiltinBodyRig.parents)
        triangles = mesh.triangles
        knnIndex = (0..<v).filter { mesh.parts[$0] != .trunk || mesh.positions[$0].y > -0.02 }
        meanPoseVertices = mesh.positions.map { SIMD3<Float>($0) }
    }

    /// The rest joints `[24]`, metres, as designed (the regressor reproduces them from the template).
    public static var restJoints: [SIMD3<Float>] { BuiltinBodyRig.joints.map { SIMD3<Float>($0) } }

    /// A point of the head's canonical frame (metres, origin at the face centre, axes of the mean pose) in
    /// the rest pose of the body with shape `betas` (`[10]`, missing entries zero): where a face-model vertex
    /// sits on the unposed body, moved by the shape directions exactly like the head's own vertices (the
    /// shape displacement at the point, carried back by the head's rest tilt).
    public static func restPosition(ofFacePoint q: SIMD3<Float>, betas: [Float] = []) -> SIMD3<Float> {
        let mean = SIMD3<Double>(q) + BuiltinBodyShape.faceCentre
        var p = mean - BuiltinBodyShape.head
        for (l, b) in betas.prefix(10).enumerated() where b != 0 {
            p += Double(b) * BuiltinBodyRig.shapeDisplacement(l, at: mean, part: .trunk)
        }
        let c = cos(headRestTilt), s = sin(headRestTilt)
        return SIMD3<Float>(BuiltinBodyShape.head + SIMD3(p.x, p.y * c - p.z * s, p.y * s + p.z * c))
    }
}
