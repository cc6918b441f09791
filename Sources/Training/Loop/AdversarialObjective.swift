import Autodiff
import Foundation
import Generator
import Geometry
import ModelIO
import Numerics
import Synth

/// The paper's adversarial training (SPEC.md §8.3/§8.4) as a `TrainingObjective`:
///
/// - `d_main`: for each discriminator (stage 1: `whole`, `face`, `torso`; stage 2: `whole`, `torso` at HR)
///   the non-saturating loss on real corpus images (portraits at the stage's resolution, face crops at
///   `lr_img_size`) and on generated ones (generator constant); metrics `d_<kind>`.
/// - `d_reg`: R1 on the real images with its exact gradient (`DiscriminatorR1`), γ = `r1_gamma` scaled by
///   `r1_interval` (lazy); metrics `r1_<kind>`.
/// - `g_main`: `Σ λ_kind · softplus(−D_kind(G(z)))` with `adv_whole`, `adv_face`, `adv_torso`; metrics
///   `g_adv_<kind>` and `g_loss`.
///   In stage 1 also `landmark` (`λ_lm`): the frozen landmark network on the generated face against the face
///   model's landmarks for the drawn controls (`ExpressionControlTerms`).
/// - `g_reg` (stage 1): the deformation regularisers on a coarse render (16 rays, direct shading, no maps):
///   `pose_smooth` (`‖D^p(T) − AvgPool(T)‖₁`), `exp_smooth` (`‖D^e(x) − D^e(x + Δ)‖²`, 1024 points),
///   `exp_min` (`‖Δ‖²`, decayed 10x after 20 000 steps), and `imitation` (`L_3DMM`, 1024 points around the
///   face mesh, `ExpressionControlTerms`).
///
/// The generator's inputs for generated images are drawn from the corpus's label distribution (identity and
/// shape codes, expression, camera, joints, face-camera angles) with a Gaussian noise code. A term whose weight
/// is 0 adds nothing to the gradient; the landmark and imitation terms are then not computed either and have
/// no metric column.
public final class AdversarialObjective: TrainingObjective {
    public let stage: Int
    public let settings: RunSettings
    let generator: DifferentiableGenerator
    let configuration: GeneratorConfiguration
    let dataset: CorpusDataset
    let kinds: [DiscriminatorKind]
    let architectures: [DiscriminatorKind: DiscriminatorArchitecture]
    let distribution = LabelDistribution()
    let trainableGroups: Set<GeneratorParameterGroup>
    /// The landmark and imitation terms (stage 1).
    let expressionControl: ExpressionControlTerms?
    /// Rays per side of the coarse render of the G regularisation phase.
    static let regularisationRays = 16
    /// Points of the expression-smoothness term.
    static let smoothnessPoints = 1024

    public var metricNames: [String] {
        let main = kinds.map { "g_adv_\($0.rawValue)" } + (stage == 1 ? active(["landmark"]) : []) + ["g_loss"]
        let regularisation = stage == 1 ? ["pose_smooth", "exp_smooth", "exp_min"] + active(["imitation"]) + ["g_reg"] : []
        return kinds.map { "d_\($0.rawValue)" } + kinds.map { "r1_\($0.rawValue)" } + main + regularisation
    }

    /// The terms of `names` with a positive weight.
    func active(_ names: [String]) -> [String] { names.filter { weight($0) > 0 } }

    /// - Parameter landmarkNetwork: the frozen landmark network; required in stage 1 when the `landmark` weight
    ///   is positive.
    public init(settings: RunSettings, corpusPath: String, generator: DifferentiableGenerator,
                landmarkNetwork: LandmarkNetwork? = nil) throws {
        self.settings = settings
        stage = settings.stage
        self.generator = generator
        configuration = generator.configuration
        let portraitSize = stage == 1 ? configuration.lrImageSize : configuration.hrImageSize
        let faceSize = configuration.lrImageSize
        dataset = try CorpusDataset(path: corpusPath, portraitSize: portraitSize, faceSize: faceSize)
        kinds = stage == 1 ? [.whole, .face, .torso] : [.whole, .torso]
        var architectures: [DiscriminatorKind: DiscriminatorArchitecture] = [:]
        for kind in kinds { architectures[kind] = try kind.architecture(portraitSize: portraitSize, faceSize: faceSize) }
        self.architectures = architectures
        trainableGroups = GeneratorParameterGroup.trained(inStage: stage)
        let landmarkWeight = settings.lossWeights["landmark"] ?? 0, imitationWeight = settings.lossWeights["imitation"] ?? 0
        if stage == 1, landmarkWeight > 0, landmarkNetwork == nil {
            throw TrainingError.invalidSetting(field: "loss_weights.landmark", reason: "\(landmarkWeight) needs a landmark network")
        }
        expressionControl = stage == 1 && (landmarkWeight > 0 || imitationWeight > 0)
            ? try ExpressionControlTerms(landmarkNetwork: landmarkWeight > 0 ? landmarkNetwork : nil) : nil
    }

    /// `d_<kind>.<name>`: a discriminator parameter's name in the run's state (as `DiscriminatorSet` names them).
    static func stateName(_ kind: DiscriminatorKind, _ name: String) -> String { "d_" + kind.rawValue + "." + name }

    public func initialDiscriminator() throws -> NamedTensors {
        var names: [String] = [], tensors: [Tensor] = []
        for (k, kind) in kinds.enumerated() {
            guard let architecture = architectures[kind] else { continue }
            let d = try Discriminator(architecture: architecture, seed: settings.seed &+ 0xD15C_0000 &+ UInt64(k))
            for name in d.parameters.names {
                names.append(Self.stateName(kind, name))
                tensors.append(d.parameters[name] ?? Tensor.zeros([0]))
            }
        }
        return try NamedTensors(names: names, tensors: tensors)
    }

    public func runs(_ phase: TrainingPhase, atStep step: Int) -> Bool {
        switch phase {
        case .discriminatorMain, .generatorMain: return true
        case .discriminatorRegularisation: return step % settings.r1Interval == 0
        case .generatorRegularisation: return stage == 1 && step % settings.generatorRegularisationInterval == 0
        }
    }

    /// The discriminators of the current state, with the position of each parameter in the state's list.
    func discriminators(_ state: TrainingState) throws -> [(kind: DiscriminatorKind, network: Discriminator, indices: [Int])] {
        let positions = Dictionary(uniqueKeysWithValues: state.discriminator.names.enumerated().map { ($1, $0) })
        return try kinds.map { kind in
            guard let architecture = architectures[kind] else {
                throw TrainingError.invalidSetting(field: "discriminators", reason: "no architecture for \(kind.rawValue)")
            }
            let names = architecture.parameterShapes.map(\.name)
            let indices = try names.map { name -> Int in
                guard let i = positions[Self.stateName(kind, name)] else {
                    throw TrainingError.parameters(source: "checkpoint", reason: "discriminator tensor '\(Self.stateName(kind, name))' is missing")
                }
                return i
            }
            let parameters = try NamedParameters(names: names, tensors: Dictionary(uniqueKeysWithValues: zip(names, indices.map { state.discriminator.tensors[$0] })))
            return (kind, try Discriminator(architecture: architecture, parameters: parameters, source: "checkpoint"), indices)
        }
    }

    func draw(_ seed: UInt64) -> DrawnSample { DrawnSample(seed: seed, configuration: configuration, distribution: distribution) }

    /// A generated portrait `[1, 3, P, P]` (LR in stage 1, HR in stage 2) and, in stage 1, its face image
    /// `[1, 3, F, F]`, on the tape of `bound`.
    func generate(_ d: DrawnSample, bound: BoundGeneratorParameters) throws -> (portrait: Variable, face: Variable?) {
        let tape = bound.tape, labels = d.labels
        let degrees = Double.pi / 180
        let joints = labels.joints.map { SIMD3(Float($0[0] * degrees), Float($0[1] * degrees), Float($0[2] * degrees)) }
        let expression = labels.expression.map { Float($0) }, shape = labels.shape.map { Float($0) }
        let high = stage == 2
        let identity = try generator.identity(bound, identity: labels.identity.map { Float($0) }, noise: d.noise, psi: 1,
                                              maps: high ? .highResolution : .lowResolution)
        let frame = try generator.render(bound, identity: identity, request: FrameRequest(
            expression: expression, shape: shape,
            camera: CameraAngles(relativeYawDegrees: labels.cameraYaw, relativePitchDegrees: labels.cameraPitch),
            jointEulers: joints, view: .portrait, shading: .maps, highResolution: high))
        guard let image = high ? frame.image : frame.lowResolutionImage else {
            throw TrainingError.invalidSetting(field: "stage", reason: "the generator gave no image at this stage")
        }
        let portrait = try tape.reshape(image, [1] + image.shape)
        guard !high else { return (portrait, nil) }
        let face = try generator.render(bound, identity: identity, request: FrameRequest(
            expression: expression, shape: shape,
            camera: CameraAngles(relativeYawDegrees: labels.faceYaw, relativePitchDegrees: labels.facePitch),
            jointEulers: joints, view: .face, rays: configuration.lrImageSize, shading: .direct))
        return (portrait, try tape.reshape(face.lowResolutionImage, [1] + face.lowResolutionImage.shape))
    }

    func parameters(_ state: TrainingState, trainable: Set<GeneratorParameterGroup>) throws -> TrainableGeneratorParameters {
        let p = try TrainableGeneratorParameters(stateDict: state.generator.dictionary, configuration: configuration,
                                                 trainableGroups: trainable)
        guard p.names == state.generator.names else {
            throw TrainingError.invalidSetting(field: "generator", reason: "the checkpoint's parameter order is not the generator's")
        }
        return p
    }

    func weight(_ name: String) -> Float { Float(settings.lossWeights[name] ?? 0) }

    public func evaluate(_ phase: TrainingPhase, batch: MicroBatch, state: TrainingState) throws -> PhaseResult {
        switch phase {
        case .discriminatorMain: return try discriminatorMain(batch, state)
        case .discriminatorRegularisation: return try discriminatorRegularisation(batch, state)
        case .generatorMain: return try generatorMain(batch, state)
        case .generatorRegularisation: return try generatorRegularisation(batch, state)
        }
    }

    /// Real images of the micro-batch: portraits `[B, 3, P, P]`, faces `[B, 3, F, F]`.
    func reals(_ batch: MicroBatch) throws -> (portraits: Tensor, faces: Tensor) {
        let b = try dataset.batch(batch.corpusIndices)
        return (b.portraits, b.faces)
    }

    func discriminatorMain(_ batch: MicroBatch, _ state: TrainingState) throws -> PhaseResult {
        let real = try reals(batch)
        // Generated images with a constant generator.
        let frozen = try parameters(state, trainable: [])
        let fakes = try Parallel.map(batch.count) { i in
            let tape = Tape()
            let out = try generate(draw(batch.sampleSeeds[i]), bound: frozen.bind(to: tape))
            return (portrait: try tape.value(out.portrait), face: try out.face.map { try tape.value($0) })
        }
        let portraits = fakes.map(\.portrait), faces = fakes.compactMap(\.face)
        let networks = try discriminators(state)
        let results = try Parallel.map(networks.count) { k -> (loss: Double, gradients: [Tensor?]) in
            let d = networks[k]
            let tape = Tape()
            let weights = d.network.parameters.values.map { tape.variable($0) }
            let fakeImages = try stack(d.kind == .face ? faces : portraits)
            let realImages = d.kind == .face ? real.faces : real.portraits
            let realLogits = try d.network.logits(tape, images: d.kind.input(tape, tape.constant(realImages)), weights: weights)
            let fakeLogits = try d.network.logits(tape, images: d.kind.input(tape, tape.constant(fakeImages)), weights: weights)
            let loss = try AdversarialLoss.discriminator(tape, realLogits: realLogits, fakeLogits: fakeLogits)
            try tape.backward(loss)
            return (Double(try tape.value(loss).scalars[0]), try tape.gradients(of: weights))
        }
        return collect(networks, results, metric: "d", parameterCount: state.discriminator.count)
    }

    /// Each discriminator's metric `<prefix>_<kind>` and gradients placed at its parameters' positions in the state.
    func collect(_ networks: [(kind: DiscriminatorKind, network: Discriminator, indices: [Int])],
                 _ results: [(loss: Double, gradients: [Tensor?])], metric prefix: String, parameterCount: Int) -> PhaseResult {
        var gradients: [Tensor?] = Array(repeating: nil, count: parameterCount)
        var metrics: [String: Double] = [:]
        for (d, result) in zip(networks, results) {
            metrics["\(prefix)_\(d.kind.rawValue)"] = result.loss
            for (i, g) in zip(d.indices, result.gradients) { gradients[i] = g }
        }
        return PhaseResult(losses: metrics, gradients: gradients)
    }

    func discriminatorRegularisation(_ batch: MicroBatch, _ state: TrainingState) throws -> PhaseResult {
        let real = try reals(batch)
        let gamma = Float(settings.r1Gamma) * Float(settings.r1Interval)
        let networks = try discriminators(state)
        let results = try Parallel.map(networks.count) { k -> (loss: Double, gradients: [Tensor?]) in
            let d = networks[k]
            let images = try d.kind.input(d.kind == .face ? real.faces : real.portraits)
            let (penalty, g) = try DiscriminatorR1.evaluate(d.network, realImages: images, gamma: gamma)
            return (Double(penalty) / Double(settings.r1Interval), g)
        }
        return collect(networks, results, metric: "r1", parameterCount: state.discriminator.count)
    }

    func generatorMain(_ batch: MicroBatch, _ state: TrainingState) throws -> PhaseResult {
        let trainable = try parameters(state, trainable: trainableGroups)
        let discriminators = try self.discriminators(state)
        let share = 1 / Double(batch.count)
        return try SamplePhase.run(batch, parameterCount: trainable.names.count) { seed in
            let tape = Tape()
            let bound = trainable.bind(to: tape)
            let drawn = draw(seed)
            let out = try generate(drawn, bound: bound)
            var loss = WeightedLoss()
            var metrics: [String: Double] = [:]
            for d in discriminators {
                guard let images = d.kind == .face ? out.face : out.portrait else { continue }
                let weights = d.network.parameters.values.map { tape.constant($0) }
                let logits = try d.network.logits(tape, images: d.kind.input(tape, images), weights: weights)
                let term = try AdversarialLoss.generator(tape, fakeLogits: logits)
                metrics["g_adv_\(d.kind.rawValue)"] = try loss.add(term, weight: Double(weight("adv_\(d.kind.rawValue)")), share: share, on: tape)
            }
            if let face = out.face, let term = try expressionControl?.landmark(tape, face: face, labels: drawn.labels) {
                metrics["landmark"] = try loss.add(term, weight: Double(weight("landmark")), share: share, on: tape)
            }
            metrics["g_loss"] = loss.value
            guard let total = loss.total else { return (metrics, nil) }
            try tape.backward(total)
            return (metrics, try trainable.gradients(of: bound))
        }
    }

    func generatorRegularisation(_ batch: MicroBatch, _ state: TrainingState) throws -> PhaseResult {
        let trainable = try parameters(state, trainable: trainableGroups)
        let share = 1 / Double(batch.count)
        let kd = configuration.smootherKD
        let minimalWeight = weight("exp_min") * (batch.step < 20_000 ? 1 : 0.1)
        return try SamplePhase.run(batch, parameterCount: trainable.names.count) { seed in
            let d = draw(seed), labels = d.labels
            let tape = Tape()
            let bound = trainable.bind(to: tape)
            let identity = try generator.identity(bound, identity: labels.identity.map { Float($0) }, noise: d.noise, psi: 1, maps: .none)
            let degrees = Double.pi / 180
            let expression = labels.expression.map { Float($0) }
            let frame = try generator.render(bound, identity: identity, request: FrameRequest(
                expression: expression, shape: labels.shape.map { Float($0) },
                camera: CameraAngles(relativeYawDegrees: labels.cameraYaw, relativePitchDegrees: labels.cameraPitch),
                jointEulers: labels.joints.map { SIMD3(Float($0[0] * degrees), Float($0[1] * degrees), Float($0[2] * degrees)) },
                view: .portrait, rays: Self.regularisationRays, shading: .direct))
            var terms: [(String, Variable, Float)] = []
            // Pose smoothness: D^p(T) against the fixed box pooling of T.
            let volume = frame.transformVolume
            let reference = try PoseSmoothnessLoss.averagePooled(try volume.reshaped([1] + volume.shape),
                                                                 kernel: (kd, 2 * kd - 1, 2 * kd - 1), upsample: true)
            terms.append(("pose_smooth", try PoseSmoothnessLoss.evaluate(tape, smoothed: frame.smoothedTransforms, reference: reference),
                          weight("pose_smooth")))
            // Minimal deformation over the rendered points.
            let delta = try tape.reshape(frame.deformation, [frame.deformation.count / 3, 3])
            terms.append(("exp_min", try MinimalDeformationLoss.evaluate(tape, displacement: delta), minimalWeight))
            // Expression smoothness at a seeded subset of the canonical points (rendering-space units).
            let points = try tape.value(frame.canonicalPoints).reshaped([frame.canonicalPoints.count / 3, 3])
            var picker = SplitMix64(seed: seed ^ 0x534D_4F4F_5448)
            let picked = (0..<min(Self.smoothnessPoints, points.shape[0])).map { _ in picker.below(points.shape[0]) }
            let subset = try points.gathered(axis: 0, indices: picked, count: picked.count)
            var normal = SeededNormal(seed: seed ^ 0x4E4F_4953_45)
            let perturbation = ExpressionSmoothnessLoss.perturbation(count: picked.count, normal: &normal)
            let modulation = try generator.deformationModulation(bound, identity: labels.identity.map { Float($0) }, expression: expression)
            let smooth = try ExpressionSmoothnessLoss.evaluate(tape, points: subset, perturbation: perturbation) { t, x in
                let warped = try t.affine(x, scale: SampleNet.warp)
                let moved = try t.add(warped, self.generator.expressionDeformation(bound, warpedPoints: warped, modulation: modulation))
                return try t.affine(moved, scale: 1 / SampleNet.warp)
            }
            terms.append(("exp_smooth", smooth, weight("exp_smooth")))
            if let control = expressionControl, weight("imitation") > 0 {
                let imitation = try control.imitation(bound, generator: generator, modulation: modulation, labels: labels, seed: seed)
                terms.append(("imitation", imitation, weight("imitation")))
            }
            var loss = WeightedLoss()
            var metrics: [String: Double] = [:]
            for (name, term, w) in terms { metrics[name] = try loss.add(term, weight: Double(w), share: share, on: tape) }
            metrics["g_reg"] = loss.value
            guard let total = loss.total else { return (metrics, nil) }
            try tape.backward(total)
            return (metrics, try trainable.gradients(of: bound))
        }
    }

    /// `[1, 3, H, W]` tensors stacked to `[B, 3, H, W]`.
    func stack(_ images: [Tensor]) throws -> Tensor {
        guard let first = images.first else { throw TrainingError.invalidSetting(field: "batch", reason: "no generated images") }
        let per = first.count
        var out = Tensor.zeros([images.count] + first.shape.dropFirst())
        out.withUnsafeMutableBufferPointer { dst in
            for (i, t) in images.enumerated() {
                t.withUnsafeBufferPointer { src in for k in 0..<per { dst[i * per + k] = src[k] } }
            }
        }
        return out
    }
}
