import Body
import Geometry
import ModelIO
import Numerics

extension PortraitGenerator {
    /// Loads the generator of a `.portrait` bundle: networks, body (`renderer.smpl_model.*`,
    /// `body.knn_index`), truncation means, samplers, controls and rendering constants of its metadata.
    public convenience init(bundle: PortraitBundle) throws {
        let metadata = bundle.metadata
        let configuration = metadata.generator
        if let problem = configuration.problem() {
            throw GeneratorError.configuration("\(bundle.path): \(problem)")
        }
        let weights = try Weights(safetensors: bundle.file)
        func lookup(_ name: String) throws -> NumericArray? { bundle.contains(name) ? try bundle.array(name) : nil }
        let rendering = metadata.rendering
        let smpl = try SMPLModel(prefix: "renderer.smpl_model.", lookup: { name in
            if name.hasSuffix("posedirs"), !rendering.body.poseBlendShapes { return nil }
            return try lookup(name)
        })
        guard let knn = try lookup("body.knn_index")?.integers else {
            throw GeneratorError.missingTensor(name: "body.knn_index", source: bundle.path)
        }
        let normalisation = BodyNormalisation(
            scale: Float(rendering.body.bodyScale),
            faceOffset: SIMD3(0, Float(rendering.body.faceTy), Float(rendering.body.faceTz)),
            faceRadius: Float(rendering.body.faceRadius))
        let body = try RenderingBody(model: smpl, validVertexIndices: knn.map { Int($0) }, normalisation: normalisation)
        let p = rendering.portrait
        guard p.originOffset.count == 3 else {
            throw GeneratorError.configuration("\(bundle.path): rendering.portrait.origin_offset needs 3 values")
        }
        let portraitCamera = PortraitCamera(radius: p.radius, fovDegrees: p.fov, near: p.rayStart, far: p.rayEnd,
                                            originOffset: SIMD3(p.originOffset[0], p.originOffset[1], p.originOffset[2]))
        guard p.depthRange.count == 2, p.depthRange[0] < p.depthRange[1] else {
            throw GeneratorError.configuration("\(bundle.path): rendering.portrait.depth_range needs [near, far] with near < far")
        }
        let f = rendering.face
        let faceCamera = FaceCamera(distance: f.radius, fovDegrees: f.fov, near: f.rayStart, far: f.rayEnd)
        func mean(_ name: String) throws -> [Float] {
            guard let array = try lookup("truncation." + name) else {
                throw GeneratorError.missingTensor(name: "truncation." + name, source: bundle.path)
            }
            return array.floats
        }
        let means = TruncationMeans(frequencies: try mean("avg_frequencies"), phases: try mean("avg_phase_shifts"),
                                    w: try lookup("truncation.avg_w")?.floats, style: try mean("avg_style"))
        try means.validate(for: configuration)
        let identityStage = try IdentityStage(weights: weights, configuration: configuration, means: means)
        let frameStage = try FrameStage(weights: weights, configuration: configuration, body: body,
                                        portraitCamera: portraitCamera, faceCamera: faceCamera)
        try self.init(configuration: configuration, identityStage: identityStage, frameStage: frameStage,
                      idShapeSampler: try lookup("samplers.id_shape")?.tensor(),
                      expressionNames: metadata.controls.expressionNames, defaultPsi: metadata.controls.defaultPsi,
                      depthRange: p.depthRange[0]...p.depthRange[1])
    }

    /// Loads the bundle at `path`.
    public convenience init(path: String) throws {
        try self.init(bundle: PortraitBundle(path: path))
    }
}
