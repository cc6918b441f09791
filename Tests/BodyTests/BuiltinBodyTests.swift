import Foundation
import Numerics
import Testing
@testable import Body
@testable import Geometry

/// The built-in body model: rig invariants, posing, shape directions and the portrait framing.
@Suite struct BuiltinBodyTests {
    static let body = Result { try BuiltinBody() }

    func builtin() throws -> BuiltinBody { try Self.body.get() }

    func points(_ t: Tensor) -> [SIMD3<Float>] {
        let s = t.scalars
        return (0..<(s.count / 3)).map { SIMD3(s[3 * $0], s[3 * $0 + 1], s[3 * $0 + 2]) }
    }

    func length(_ v: SIMD3<Float>) -> Float { (v * v).sum().squareRoot() }

    @Test func sizesAndTree() throws {
        let b = try builtin()
        #expect(b.model.jointCount == 24 && b.model.shapeCount == 10 && b.model.poseDirections == nil)
        #expect((3000...9000).contains(b.model.vertexCount))
        #expect(b.model.parents == [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])
        #expect(b.knnIndex == b.knnIndex.sorted() && Set(b.knnIndex).count == b.knnIndex.count)
        #expect(b.knnIndex.count > b.model.vertexCount / 3 && b.knnIndex.count < b.model.vertexCount)
        // Every triangle edge is shared by exactly two triangles (closed surfaces), none degenerate.
        var edges: [SIMD2<Int32>: Int] = [:]
        for t in b.triangles {
            #expect(t.x != t.y && t.y != t.z && t.x != t.z)
            for (a, c) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] { edges[SIMD2(a, c), default: 0] += 1 }
        }
        #expect(edges.keys.allSatisfy { edges[SIMD2($0.y, $0.x)] == 1 && edges[$0] == 1 })
    }

    @Test func skinningWeightsSumToOne() throws {
        let b = try builtin()
        let w = b.model.skinningWeights.scalars
        for v in 0..<b.model.vertexCount {
            let row = w[(24 * v)..<(24 * v + 24)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            #expect(row.allSatisfy { $0 >= 0 })
        }
    }

    @Test func regressorReproducesTheJoints() throws {
        let b = try builtin()
        let joints = try b.model.regressJoints(b.model.template)
        for (j, expected) in BuiltinBody.restJoints.enumerated() {
            #expect(length(joints[j] - expected) < 2e-5, "joint \(j): \(joints[j]) vs \(expected)")
        }
        let r = b.model.jointRegressor.scalars, v = b.model.vertexCount
        for j in 0..<24 { #expect(abs(r[(j * v)..<((j + 1) * v)].reduce(0, +) - 1) < 1e-4) }
    }

    @Test func zeroPoseIsTheIdentityAndTheMeanPoseIsAsDesigned() throws {
        let b = try builtin()
        let betas = [Float](repeating: 0, count: 10)
        let rest = try b.model.forward(betas: betas, rotations: Array(repeating: .identity, count: 24))
        #expect(zip(rest.vertices.scalars, b.model.template.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
        // The mean pose (zero controls) gives the designed mean-pose trunk (head level).
        let mean = try b.model.forward(betas: betas, rotations: MeanPose.rotations(MeanPose.releaseOffsets, jointCount: 24))
        let got = points(mean.vertices)
        let trunk = (0..<b.model.vertexCount).filter { b.model.skinningWeights.scalars[24 * $0 + 16] == 0 && b.model.skinningWeights.scalars[24 * $0 + 17] == 0 }
        for v in trunk { #expect(length(got[v] - b.meanPoseVertices[v]) < 1e-5) }
    }

    @Test func headRotationIsRigidAndLeavesThePelvisStill() throws {
        let b = try builtin()
        let w = b.model.skinningWeights.scalars
        var rotations = [Matrix3](repeating: .identity, count: 24)
        rotations[15] = EulerZYX.matrix(SIMD3(0.3, 0.5, -0.2))
        let betas = [Float](repeating: 0, count: 10)
        let posed = points(try b.model.forward(betas: betas, rotations: rotations).vertices)
        let rest = points(b.model.template)
        let head = (0..<b.model.vertexCount).filter { w[24 * $0 + 15] == 1 }
        let pelvis = (0..<b.model.vertexCount).filter { w[24 * $0] == 1 }
        #expect(head.count > 500 && pelvis.count > 100)
        // Rigid: every head vertex is R·(p − J15) + J15 (the head joint's rotation about itself).
        let joint = BuiltinBody.restJoints[15]
        for v in head { #expect(length(posed[v] - (rotations[15] * (rest[v] - joint) + joint)) < 1e-5) }
        for v in pelvis { #expect(posed[v] == rest[v]) }
        // The head includes the chin and the crown: the whole face moves.
        let ys = head.map { b.meanPoseVertices[$0].y }
        #expect((ys.max() ?? 0) > BuiltinBody.faceCentre.y + 0.1 && (ys.min() ?? 1) < BuiltinBody.faceCentre.y - 0.08)
    }

    @Test func shapeDirectionsChangeWhatTheyClaim() throws {
        let b = try builtin()
        let m = b.model
        let zero = [Float](repeating: 0, count: 10)
        func unit(_ l: Int, _ value: Float = 1) -> [Float] { var x = zero; x[l] = value; return x }
        func joints(_ betas: [Float]) throws -> [SIMD3<Float>] { try m.regressJoints(m.shapedVertices(betas: betas)) }
        func vertices(_ betas: [Float]) throws -> [SIMD3<Float>] { points(try m.shapedVertices(betas: betas)) }
        let w = m.skinningWeights.scalars
        let head = (0..<m.vertexCount).filter { w[24 * $0 + 15] == 1 }
        let j0 = try joints(zero)
        let v0 = try vertices(zero)
        // 0 height: top of the head to the pelvis 3% longer.
        let top = v0.indices.max { v0[$0].y < v0[$1].y } ?? 0
        let v = try vertices(unit(0))
        let j = try joints(unit(0))
        #expect(abs((v[top].y - j[0].y) / (v0[top].y - j0[0].y) - 1.03) < 1e-3)
        // 1 shoulder width: shoulder joints 4 cm further apart.
        let s = try joints(unit(1))
        #expect(abs(length(s[16] - s[17]) - length(j0[16] - j0[17]) - 0.04) < 1e-3)
        // 2 neck length: crown 1.5 cm higher, shoulders unchanged.
        let n = try vertices(unit(2)), nj = try joints(unit(2))
        #expect(abs(length(n[top] - v0[top]) - 0.015) < 1e-4 && length(nj[16] - j0[16]) < 1e-5)
        // 3 head size: head width 6% larger.
        func width(_ p: [SIMD3<Float>], _ ids: [Int]) -> Float {
            (ids.map { p[$0].x }.max() ?? 0) - (ids.map { p[$0].x }.min() ?? 0)
        }
        #expect(abs(width(try vertices(unit(3)), head) / width(v0, head) - 1.06) < 5e-3)
        // 4 chest depth: front-to-back extent of the chest 10% larger.
        let chest = v0.indices.filter { abs(v0[$0].y - 0.1) < 0.01 && w[24 * $0 + 16] == 0 && w[24 * $0 + 17] == 0 }
        func depth(_ p: [SIMD3<Float>]) -> Float { (chest.map { p[$0].z }.max() ?? 0) - (chest.map { p[$0].z }.min() ?? 0) }
        #expect(abs(depth(try vertices(unit(4))) / depth(v0) - 1.1) < 0.02)
        // 5 girth: waist 6% wider.
        let waist = v0.indices.filter { abs(v0[$0].y + 0.05) < 0.008 }
        #expect(abs(width(try vertices(unit(5)), waist) / width(v0, waist) - 1.06) < 5e-3)
        // 6 neck thickness: neck ring 12% wider.
        let neck = v0.indices.filter { abs(v0[$0].y - 0.33) < 0.004 && abs(v0[$0].x) < 0.09 }
        #expect(abs(width(try vertices(unit(6)), neck) / width(v0, neck) - 1.12) < 0.02)
        // 7 shoulder slope: shoulder joints 1.2 cm lower relative to the neck.
        let sl = try joints(unit(7))
        #expect(abs((sl[16].y - sl[12].y) - (j0[16].y - j0[12].y) + 0.012) < 2e-3)
        // 8 head forward: head vertices 1.5 cm further forward.
        let f = try vertices(unit(8))
        #expect(head.allSatisfy { abs(f[$0].z - v0[$0].z - 0.015) < 2e-3 || abs(f[$0].y - v0[$0].y) > 0 })
        let meanShift = head.map { length(f[$0] - v0[$0]) }.reduce(0, +) / Float(head.count)
        #expect(abs(meanShift - 0.015) < 1e-3)
        // 9 torso length: the bottom 3 cm lower, the neck joint unchanged.
        let bottom = v0.indices.min { v0[$0].y < v0[$1].y } ?? 0
        let t = try vertices(unit(9)), tj = try joints(unit(9))
        #expect(abs(t[bottom].y - v0[bottom].y + 0.03) < 1e-3 && length(tj[12] - j0[12]) < 1e-4)
    }

    /// Projects normalised mean-pose points with the frontal portrait camera to image coordinates in
    /// [−1, 1] (u right, v up; ±1 at the border pixel centres).
    func project(_ p: SIMD3<Float>, camera: PortraitCamera = .release) -> SIMD2<Float> {
        let frame = camera.frame(.frontal)
        let local = frame.rotation.transposed * (p - frame.origin - frame.sampleOffset)
        let zc = RayGrid.imagePlaneZ(fovDegrees: camera.fovDegrees)
        return SIMD2(local.x * zc / local.z, local.y * zc / local.z)
    }

    @Test func portraitCameraFramesHeadAndShoulders() throws {
        let b = try builtin()
        let rendering = try RenderingBody(model: b.model, validVertexIndices: b.knnIndex)
        let posed = try rendering.pose(betas: [Float](repeating: 0, count: 10), eulers: Array(repeating: .zero, count: 6))
        let neck = posed.posedJoints[12]
        let image = points(posed.posedVertices).map { project(rendering.normalisation.apply($0, centre: neck)) }
        // The face centre normalises to the origin.
        #expect(length(rendering.normalisation.apply(BuiltinBody.faceCentre, centre: neck)) < 1e-6)
        let inside = image.filter { abs($0.x) <= 1 && abs($0.y) <= 1 }
        let top = inside.map(\.y).max() ?? 0
        // Crown inside the top of the image with some headroom; the body fills the bottom edge; the
        // shoulders reach (nearly) both sides, the head is centred.
        #expect(top > 0.5 && top < 0.95)
        #expect(image.contains { $0.y < -1 })
        let bottomRow = inside.filter { $0.y < -0.8 }
        #expect((bottomRow.map(\.x).max() ?? 0) > 0.8 && (bottomRow.map(\.x).min() ?? 0) < -0.8)
        let headRow = inside.filter { $0.y > 0.3 }
        #expect(abs((headRow.map(\.x).max() ?? 0) + (headRow.map(\.x).min() ?? 0)) < 0.02)
        #expect((headRow.map(\.x).max() ?? 0) < 0.45)
    }
}
