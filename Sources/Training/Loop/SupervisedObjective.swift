import Autodiff
import Foundation
import Generator
import Geometry
import ModelIO
import Numerics
import Synth

/// The supervised warm start (ISSUE-NOTES "Built-in model, studio, training"): for randomly drawn controls
/// (the corpus's label distribution: identity and shape codes, expression, camera, joints, face-camera
/// angles) the synthetic renderer draws the exact target, and the generator's render of the same controls is
/// pulled towards it:
///
/// - `image_l2`: mean squared error of the portrait image (stage 1: the LR image through the LR maps, as
///   inference renders it; stage 2: the HR image through the SR network), images in [−1, 1];
/// - `face_l2`: the same for the face-camera view (direct shading, `lr_img_size` rays; stage 1 only);
/// - `depth_l2`: mean squared depth error (world units) over the pixels where both have a surface (the
///   render's pixels without a manifold hit carry no depth and pass no gradient).
///
/// The generator's codes are the drawn identity and shape with a fresh Gaussian noise code; every target
/// wears one appearance (skin, hair, clothes of corpus seed 0's first person), so the noise code carries no
/// information and seeds differ by face and body only. One generator phase per step; no discriminators.
public final class SupervisedObjective: TrainingObjective {
    public let stage: Int
    public let lossWeights: [String: Double]
    let generator: DifferentiableGenerator
    let configuration: GeneratorConfiguration
    let renderer: SyntheticPortraitRenderer
    let appearance: Appearance
    let distribution = LabelDistribution()
    let trainableGroups: Set<GeneratorParameterGroup>

    public var metricNames: [String] { ["loss", "image_l2", "face_l2", "depth_l2", "image_psnr_db"] }

    /// The objective of a stage with `lossWeights` (`image_l2`, `face_l2`, `depth_l2`).
    public init(stage: Int, lossWeights: [String: Double], generator: DifferentiableGenerator) throws {
        self.stage = stage
        self.lossWeights = lossWeights
        self.generator = generator
        configuration = generator.configuration
        let size = stage == 1 ? configuration.lrImageSize : configuration.hrImageSize
        renderer = try SyntheticPortraitRenderer(size: size, faceSize: configuration.lrImageSize)
        appearance = CorpusBuilder(renderer: renderer, seed: 0).draw(0).1
        trainableGroups = GeneratorParameterGroup.trained(inStage: stage)
    }

    public func initialDiscriminator() throws -> NamedTensors { .empty }

    public func runs(_ phase: TrainingPhase, atStep step: Int) -> Bool { phase == .generatorMain }

    /// The controls of a sample seed.
    func sample(_ seed: UInt64) -> DrawnSample { DrawnSample(seed: seed, configuration: configuration, distribution: distribution) }

    public func evaluate(_ phase: TrainingPhase, batch: MicroBatch, state: TrainingState) throws -> PhaseResult {
        var parameters = try TrainableGeneratorParameters(stateDict: state.generator.dictionary, configuration: configuration,
                                                          trainableGroups: trainableGroups)
        guard parameters.names == state.generator.names else {
            throw TrainingError.invalidSetting(field: "generator", reason: "the checkpoint's parameter order is not the generator's")
        }
        parameters.trainableGroups = trainableGroups
        let scale = Float(1 / Double(batch.count))
        return try SamplePhase.run(batch, parameterCount: parameters.names.count) { seed in
            let (gradients, values) = try evaluate(sample(seed), parameters: parameters, scale: scale)
            return (values, gradients)
        }
    }

    /// One sample's gradients (of `scale`·loss) and metrics.
    func evaluate(_ sample: DrawnSample, parameters: TrainableGeneratorParameters, scale: Float) throws -> ([Tensor?], [String: Double]) {
        let labels = sample.labels
        let tape = Tape()
        let bound = parameters.bind(to: tape)
        let highResolution = stage == 2
        let identity = try generator.identity(bound, identity: labels.identity.map { Float($0) }, noise: sample.noise, psi: 1,
                                              maps: highResolution ? .highResolution : .lowResolution)
        let degrees = Double.pi / 180
        let joints = labels.joints.map { SIMD3(Float($0[0] * degrees), Float($0[1] * degrees), Float($0[2] * degrees)) }
        let expression = labels.expression.map { Float($0) }, shape = labels.shape.map { Float($0) }
        let scene = try renderer.scene(labels, appearance: appearance)
        var terms: [(name: String, value: Variable)] = []
        var metrics: [String: Double] = [:]

        let frame = try generator.render(bound, identity: identity, request: FrameRequest(
            expression: expression, shape: shape,
            camera: CameraAngles(relativeYawDegrees: labels.cameraYaw, relativePitchDegrees: labels.cameraPitch),
            jointEulers: joints, view: .portrait, shading: .maps, highResolution: highResolution))
        let size = highResolution ? configuration.hrImageSize : configuration.lrImageSize
        let target = renderer.draw(scene, view: .portrait, yaw: labels.cameraYaw, pitch: labels.cameraPitch, size: size)
        let image = highResolution ? frame.image : frame.lowResolutionImage
        let depth = highResolution ? frame.depth : frame.lowResolutionDepth
        if let image {
            let l2 = try Self.meanSquaredError(tape, image, target: Self.image(target))
            terms.append(("image_l2", l2))
            let mse = Double(try tape.value(l2).scalars[0])
            metrics["image_psnr_db"] = 10 * Foundation.log10(4 / max(mse, 1e-12))   // peak-to-peak 2 in [−1, 1]
        }
        if let depth, (lossWeights["depth_l2"] ?? 0) > 0, let d = try Self.depthError(tape, depth, target: target.depth) {
            terms.append(("depth_l2", d))
        }
        if !highResolution, (lossWeights["face_l2"] ?? 0) > 0 {
            let rays = configuration.lrImageSize
            let face = try generator.render(bound, identity: identity, request: FrameRequest(
                expression: expression, shape: shape,
                camera: CameraAngles(relativeYawDegrees: labels.faceYaw, relativePitchDegrees: labels.facePitch),
                jointEulers: joints, view: .face, rays: rays, shading: .direct))
            let faceTarget = renderer.draw(scene, view: .face, yaw: labels.faceYaw, pitch: labels.facePitch, size: rays)
            terms.append(("face_l2", try Self.meanSquaredError(tape, face.lowResolutionImage, target: Self.image(faceTarget))))
        }
        var loss = WeightedLoss()
        for term in terms {
            metrics[term.name] = try loss.add(term.value, weight: lossWeights[term.name] ?? 0, share: Double(scale), on: tape)
        }
        metrics["loss"] = loss.value
        guard let total = loss.total else { return (Array(repeating: nil, count: parameters.names.count), metrics) }
        try tape.backward(total)
        return (try parameters.gradients(of: bound), metrics)
    }

    /// `[3, s, s]` in [−1, 1] of a rendering.
    static func image(_ r: SyntheticPortraitRenderer.Rendering) throws -> Tensor {
        let plane = r.size * r.size
        var out = [Float](repeating: 1, count: 3 * plane)
        for (i, c) in r.colour.enumerated() {
            for k in 0..<3 { out[k * plane + i] = 2 * min(max(c[k], 0), 1) - 1 }
        }
        return try Tensor(shape: [3, r.size, r.size], scalars: out)
    }

    /// Mean of `(x − target)²` (a scalar variable).
    static func meanSquaredError(_ tape: Tape, _ x: Variable, target: Tensor) throws -> Variable {
        try tape.mean(tape.square(tape.subtract(x, tape.constant(target))))
    }

    /// Mean squared depth error (world units²) over the pixels where both the render and the target have a
    /// depth; nil when no pixel has both. The render's depth is `Σw·z / Σw`, NaN at a pixel without weight (no
    /// manifold hit); `Tape.weightNormalized` pulls back exactly 0 there, so the gradient stays finite.
    static func depthError(_ tape: Tape, _ depth: Variable, target: [Float]) throws -> Variable? {
        let values = try tape.value(depth).scalars
        guard values.count == target.count else {
            throw TrainingError.invalidSetting(field: "depth_l2", reason: "\(values.count) depth pixels, target has \(target.count)")
        }
        let pixels = values.indices.filter { values[$0].isFinite && target[$0].isFinite }
        guard !pixels.isEmpty else { return nil }
        let flat = try tape.reshape(depth, [values.count])
        let picked = try tape.gather(flat, axis: 0, indices: pixels, count: pixels.count)
        let wanted = try Tensor(shape: [pixels.count], scalars: pixels.map { target[$0] })
        return try meanSquaredError(tape, picked, target: wanted)
    }
}
