import Body
import Foundation
import Generator
import ModelIO
import Numerics

/// The built-in generator bundle (`Sources/Generator/Resources/studio.portrait`, MODEL `builtin`): the
/// studio configuration on the built-in body, with seeded initial weights, so that the studio and
/// `portrait render` work with nothing downloaded. It is **untrained**: it renders what its random initial
/// networks give, until the training issue replaces it. Made by `portrait make-builtin`, deterministic.
///
/// - Weights: every generator tensor from the counter-based formula of `FormulaWeights` (seed
///   `weightSeed`, tensor index = position in the configuration's state dict), uniform with the standard
///   deviation of the usual initialisation of its layer (`initialisation(of:shape:fanIn:)`); both smoother
///   aliases hold the same box kernels.
/// - Body: `BuiltinBody` (`renderer.smpl_model.*` without pose blend shapes, `faces_tensor`,
///   `body.knn_index`).
/// - Samplers: `samplerRows` rows each of identity+shape, expression and camera+joints drawn from the
///   synthetic corpus's label distributions (`LabelDistribution`, seed `samplerSeed`), until a trained
///   model brings the corpus's own.
/// - Truncation means: computed from the codes of seeds 0..<10000 (`TruncationMeans.computed`).
public enum BuiltinBundle {
    /// Seed of the initial weights.
    public static let weightSeed: UInt64 = 0x5354_5544_494F_0001
    /// Seed of the sampler rows.
    public static let samplerSeed: UInt64 = 0x5354_5544_494F_0002
    /// Rows per sampler.
    public static let samplerRows = 2048
    /// Seeds averaged for the truncation means.
    public static let truncationSamples = 10_000

    /// The bundle's metadata (`data_sha256` is filled in by the writer).
    public static var metadata: BundleMetadata {
        BundleMetadata(
            name: "builtin-untrained",
            generator: .studio,
            rendering: .init(body: .init(kind: "builtin", poseBlendShapes: false)),
            controls: .init(expressionNames: FaceModel.expressionNames, expressionRange: [0, 1], defaultPsi: 0.7),
            samplers: .init(idShape: samplerRows, expression: samplerRows, cameraPoseJoint: samplerRows),
            truncation: .init(source: "computed", samples: truncationSamples),
            provenance: .init(source: "builtin-untrained"))
    }

    /// `(scale, offset)` of a tensor's initial values: uniform with standard deviation `scale` around
    /// `offset`. `fanIn` is the input width of the layer (for a bias, that of its weight).
    public static func initialisation(of name: String, shape: [Int], fanIn: Int) -> (scale: Double, offset: Double) {
        let n = Double(max(fanIn, 1))
        let pytorchDefault = 1 / (3 * n).squareRoot()           // U(−1/√n, 1/√n)
        if name.hasPrefix("smoother.") || name.hasPrefix("renderer.smooth_layer.") { return (0, 1) }   // box filter
        let isBias = name.hasSuffix(".bias")
        if name.contains("mapping_network") {
            if isBias { return (0, 0) }
            let last = name.contains("network.6.")
            return ((2 / n).squareRoot() * (last ? 0.25 : 1), 0)   // Kaiming, last layer scaled down (pi-GAN)
        }
        if name.hasPrefix("sr_net.") {
            if isBias { return (0, 0) }
            if name.contains("RRDB_trunk") { return (0.1 * (2 / n).squareRoot(), 0) }   // ESRGAN's scaled init
            if name.contains("upconvs") || name.contains("HRconv") || name.contains("conv_last") { return (1, 0) }  // demodulated
            return ((2 / n).squareRoot(), 0)
        }
        let film = name.contains(".network.") && name.contains(".layer.") || name.contains("color_layer_sine")
        if film && !isBias {
            if name.contains(".network.0.layer") { return (1 / (n * 3.0.squareRoot()), 0) }   // U(−1/n, 1/n)
            return ((6 / n).squareRoot() / 25 / 3.0.squareRoot(), 0)                          // SIREN, ω = 25
        }
        // The level field starts at the middle of the level range (23 → 8), so that the untrained manifolds
        // cross the portrait volume (a zero-mean field crosses none of them: a blank image).
        if name == "sample_net.output_layer.bias" { return (0, 15.5) }
        if name.hasPrefix("deform_net.final_layer") { return (isBias ? 0 : 0.01 / n.squareRoot(), 0) }
        if name.hasPrefix("sample_net.network") && !isBias { return ((2 / n).squareRoot(), 0) }
        return (pytorchDefault, 0)
    }

    /// The seeded generator state dict of `configuration`.
    public static func initialWeights(_ configuration: GeneratorConfiguration = .studio) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        var fanIn = 1
        for (index, e) in configuration.generatorTensors().enumerated() {
            let shape = e.shape.map { d -> Int in if case let .exactly(n) = d { return n } else { return 0 } }
            if !e.name.hasSuffix(".bias") { fanIn = shape.dropFirst().reduce(1, *) }
            if e.name.hasPrefix("renderer.smooth_layer.") {
                out[e.name] = out["smoother." + e.name.dropFirst("renderer.smooth_layer.".count)]
                continue
            }
            let (scale, offset) = initialisation(of: e.name, shape: shape, fanIn: fanIn)
            out[e.name] = try FormulaWeights.tensor(index: index, shape: shape, scale: scale, offset: offset, seed: weightSeed)
        }
        return out
    }

    /// Sampler rows drawn from the corpus's label distributions: `id_shape [N, 90]`, `expression [N, 16]`,
    /// `camera_pose_joint [N, 20]` (pitch, yaw absolute radians, then 6 × 3 ZYX radians).
    public static func samplers(rows: Int = samplerRows) throws -> (idShape: Tensor, expression: Tensor, cameraPoseJoint: Tensor) {
        let distribution = LabelDistribution()
        var idShape: [Float] = [], expression: [Float] = [], camera: [Float] = []
        let radians = Double.pi / 180
        for i in 0..<rows {
            var random = LabelRandom(seed: samplerSeed, index: i)
            let labels = distribution.sample(&random, identityCount: 80, shapeCount: 10, expressionCount: 16)
            idShape += (labels.identity + labels.shape).map { Float($0) }
            expression += labels.expression.map { Float($0) }
            camera += [Float(Double.pi / 2 + labels.cameraPitch * radians), Float(Double.pi / 2 + labels.cameraYaw * radians)]
            camera += labels.joints.flatMap { $0.map { Float($0 * radians) } }
        }
        return (try Tensor(shape: [rows, 90], scalars: idShape), try Tensor(shape: [rows, 16], scalars: expression),
                try Tensor(shape: [rows, 20], scalars: camera))
    }

    /// The complete bundle, ready to write.
    public static func writer() throws -> BundleWriter {
        let configuration = GeneratorConfiguration.studio
        var writer = BundleWriter(metadata: metadata)
        let weights = try initialWeights(configuration)
        for name in weights.keys.sorted() { if let t = weights[name] { try writer.add(name, t) } }
        let body = try BuiltinBody()
        let model = body.model
        let prefix = "renderer.smpl_model."
        try writer.add(prefix + "v_template", model.template)
        try writer.add(prefix + "shapedirs", model.shapeDirections)
        try writer.add(prefix + "J_regressor", model.jointRegressor)
        try writer.add(prefix + "lbs_weights", model.skinningWeights)
        try writer.add(prefix + "parents", NumericArray(shape: [24], dtype: .int64, values: .integer(model.parents.map { Int64($0) })))
        try writer.add(prefix + "faces_tensor", NumericArray(shape: [body.triangles.count, 3], dtype: .int64,
                                                             values: .integer(body.triangles.flatMap { [Int64($0.x), Int64($0.y), Int64($0.z)] })))
        try writer.add("body.knn_index", NumericArray(shape: [body.knnIndex.count], dtype: .int64, values: .integer(body.knnIndex.map { Int64($0) })))
        let s = try samplers()
        try writer.add("samplers.id_shape", s.idShape)
        try writer.add("samplers.expression", s.expression)
        try writer.add("samplers.camera_pose_joint", s.cameraPoseJoint)
        try addTruncationMeans(to: &writer, weights: Weights(tensors: weights, source: "builtin"), configuration: configuration,
                               idShapeSampler: s.idShape)
        return writer
    }

    /// Computes the truncation means of `weights` over `samples` seeds and adds them to `writer`
    /// (`truncation.avg_frequencies`, `avg_phase_shifts`, `avg_w`, `avg_style`).
    public static func addTruncationMeans(to writer: inout BundleWriter, weights: Weights, configuration: GeneratorConfiguration,
                                          idShapeSampler: Tensor?, samples: Int = truncationSamples) throws {
        let means = try TruncationMeans.computed(weights: weights, configuration: configuration,
                                                 idShapeSampler: idShapeSampler, samples: samples)
        try writer.add("truncation.avg_frequencies", Tensor(shape: [1, means.frequencies.count], scalars: means.frequencies))
        try writer.add("truncation.avg_phase_shifts", Tensor(shape: [1, means.phases.count], scalars: means.phases))
        let w = means.w ?? []
        try writer.add("truncation.avg_w", Tensor(shape: [1, w.count], scalars: w))
        try writer.add("truncation.avg_style", Tensor(shape: [1, means.style.count], scalars: means.style))
    }
}
