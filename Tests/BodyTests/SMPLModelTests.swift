import ModelIO
import Numerics
import Testing
@testable import Body
@testable import Geometry

@Suite struct SMPLModelTests {
    /// A 3-joint chain with 4 vertices, two shape coefficients and pose blend shapes.
    func tinyModel(parents: [Int] = [-1, 0, 1], weights: [Float]? = nil) throws -> SMPLModel {
        let template = try Tensor(shape: [4, 3], scalars: [0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 2, 0])
        let shapedirs = try Tensor(shape: [4, 3, 2], scalars: (0..<24).map { Float($0) * 0.01 })
        let posedirs = try Tensor(shape: [18, 12], scalars: (0..<216).map { Float($0 % 7) * 0.001 })
        // Joint j = vertex j (identity regressor on the first three vertices).
        var reg = [Float](repeating: 0, count: 12)
        reg[0] = 1; reg[5] = 1; reg[10] = 1
        let w = weights ?? [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0.5, 0.5]
        return try SMPLModel(template: template, shapeDirections: shapedirs, poseDirections: posedirs,
                             jointRegressor: Tensor(shape: [3, 4], scalars: reg),
                             skinningWeights: Tensor(shape: [4, 3], scalars: w), parents: parents)
    }

    @Test func validationNamesTheArray() throws {
        #expect(throws: BodyError.invalidParents(reason: "parents[2] = 2, expected 0...1")) {
            try tinyModel(parents: [-1, 0, 2])
        }
        #expect(throws: BodyError.invalidParents(reason: "parents[0] = 0, expected -1")) {
            try tinyModel(parents: [0, 0, 1])
        }
        let template = try Tensor(shape: [4, 3])
        #expect(throws: BodyError.self) {
            try SMPLModel(template: template, shapeDirections: Tensor(shape: [5, 3, 2]), poseDirections: nil,
                          jointRegressor: Tensor(shape: [3, 4]), skinningWeights: Tensor(shape: [4, 3]), parents: [-1, 0, 1])
        }
        do {
            _ = try SMPLModel(template: template, shapeDirections: Tensor(shape: [4, 3, 2]), poseDirections: nil,
                              jointRegressor: Tensor(shape: [3, 4]), skinningWeights: Tensor(shape: [4, 2]), parents: [-1, 0, 1])
            Issue.record("expected a shape error")
        } catch let e as BodyError {
            #expect(e.description.contains("lbs_weights") && e.description.contains("[4, 2]") && e.description.contains("[4, 3]"))
        }
        let model = try tinyModel()
        #expect(throws: BodyError.self) { try model.forward(betas: [0], rotations: Array(repeating: .identity, count: 3)) }
        #expect(throws: BodyError.self) { try model.forward(betas: [0, 0], rotations: [.identity]) }
    }

    @Test func restPoseReproducesTheShapedTemplate() throws {
        let model = try tinyModel()
        let betas: [Float] = [0.5, -1]
        let out = try model.forward(betas: betas, rotations: Array(repeating: .identity, count: 3))
        let shaped = try model.shapedVertices(betas: betas).scalars
        let v = out.vertices.scalars
        for i in 0..<12 { #expect(abs(v[i] - shaped[i]) < 1e-6) }
        #expect(out.joints[2] == SIMD3(shaped[6], shaped[7], shaped[8]))
    }

    @Test func rotatingTheMiddleJointMovesItsChildRigidly() throws {
        let model = try tinyModel()
        var rotations = Array(repeating: Matrix3.identity, count: 3)
        rotations[1] = EulerZYX.matrix(SIMD3(Float.pi / 2, 0, 0))   // 90° about z at joint 1 = (0, 1, 0)
        let out = try model.posedJoints(betas: [0, 0], rotations: rotations)
        // Joint 2 at (0, 2, 0) swings about (0, 1, 0) to (-1, 1, 0).
        #expect(abs(out[2].x + 1) < 1e-6 && abs(out[2].y - 1) < 1e-6 && abs(out[2].z) < 1e-6)
        let chain = KinematicChain.transforms(parents: model.parents, rotations: rotations,
                                              joints: [SIMD3(0, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 2, 0)])
        // A_2 maps the rest joint 2 onto the posed joint 2.
        #expect(chain.relative[2].transformPoint(SIMD3(0, 2, 0)) == chain.posedJoints[2])
    }
}

@Suite struct SMPLModelLoadingTests {
    /// The Python-2 style pickle of the reference body gives the same posed body as body.npz.
    @Test func pickleAndNpzPoseAlike() throws {
        let valid = try BodyReference.validIndices("ref-tiny")
        let fromNpz = try RenderingBody(model: BodyReference.smplModel("body.npz"), validVertexIndices: valid)
        let fromPickle = try RenderingBody(model: BodyReference.smplModel("SMPL_NEUTRAL_py2.pkl.gz"), validVertexIndices: valid)
        let eulers = (0..<6).map { SIMD3<Float>(0.1 * Float($0), -0.05, 0.2) }
        let betas = (0..<10).map { Float($0) * 0.1 - 0.4 }
        let a = try fromNpz.pose(betas: betas, eulers: eulers)
        let b = try fromPickle.pose(betas: betas, eulers: eulers)
        #expect(a.posedVertices == b.posedVertices && a.validVertices == b.validVertices)
        #expect(a.inverseTransforms == b.inverseTransforms)
    }

    @Test func buffersByPrefix() throws {
        let file = try BodyModelFile(path: BodyReference.path("ref-tiny/body/body.npz"))
        let arrays = Dictionary(uniqueKeysWithValues: file.bundleArrays(poseBlendShapes: false).map { ($0.name, $0.array) })
        let model = try SMPLModel(prefix: "renderer.smpl_model.", lookup: { arrays[$0] })
        #expect(model.poseDirections == nil && model.vertexCount == 6890 && model.jointCount == 24)
        #expect(throws: BodyError.self) { try SMPLModel(prefix: "missing.", lookup: { arrays[$0] }) }
    }
}
