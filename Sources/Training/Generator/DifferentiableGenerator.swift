import Autodiff
import Body
import Generator
import Geometry
import ModelIO
import Numerics

// Module Training, folder Generator/: the generator's differentiable forward (SPEC §1 on an Autodiff tape,
// SPEC §8.2 dual cameras), from the same state dict and formulas as the inference path.
//
// Use, per training step (batch item):
//
//     let tape = Tape()
//     let bound = parameters.bind(to: tape)                 // TrainableGeneratorParameters
//     let identity = try generator.identity(bound, identity: zID, noise: eps, psi: 1, maps: .lowResolution)
//     let frame = try generator.render(bound, identity: identity, request: FrameRequest(...))
//     // frame.lowResolutionImage [3, n, n] in [−1, 1]; frame.image [3, S, S] (HR maps); frame.depth
//     let loss = ...; try tape.backward(loss)
//     try adam.update(&parameters.tensors, gradients: parameters.gradients(of: bound))
//
// - Identity stage (`identity`): mapping networks, truncation (ψ), the orthographic level field (M), the
//   either-direction crossing search (variant A; the interval choice is constant, the interpolation is
//   differentiable in M), RadianceNet at the intersections (φ) → LR features/maps, SR mapping + style RRDB
//   net (U) → HR maps.
// - Frame stage (`render`): rays, SMPL posing and the nearest-vertex search are constants; the pose smoother
//   (D^p), the 1-D upsampling, DeformNet (D^e), SampleNet (M) along the rays, the downward crossing search
//   (`LevelCrossings` + `Tape.crossingInterpolation`, once for the points and once for the deformation),
//   map lookups (`gridSample`), depth sort, compositing on white.
// - Shading: `.maps` reads the LR (and HR) maps exactly as inference; `.direct` evaluates φ at each ray's
//   canonical intersections (GRAM style, SPEC §8.4 stage 1), used for the face camera (`view: .face`,
//   SPEC §8.2), where the LR maps are too coarse.
// - Expression deformation for the imitation / smoothness / minimal-deformation losses:
//   `deformationModulation` + `expressionDeformation(_:warpedPoints:modulation:)` evaluate D^e at any
//   once-warped points (`x·2/0.24` in the normalised body space) and return Δ (warped units; the deformed
//   point is `x + Δ`); `DifferentiableFrame.deformation` holds Δ and the canonical points of the rendered rays.
// - Memory: the per-point networks run in checkpointed chunks of `checkpointRows` points (`Tape.checkpointed`:
//   their activations are recomputed in the backward pass), so a studio-configuration step stays within a
//   few hundred MB; `checkpointRows = nil` records everything (faster, more memory).

/// The differentiable generator of one configuration: the constants of the forward (body, cameras,
/// truncation means, orthographic grid), to be run with `BoundGeneratorParameters` of the same configuration.
public struct DifferentiableGenerator: Sendable {
    public let configuration: GeneratorConfiguration
    public let body: RenderingBody
    public let portraitCamera: PortraitCamera
    public let faceCamera: FaceCamera
    /// Truncation averages (used when ψ ≠ 1).
    public let means: TruncationMeans
    /// Points per checkpointed chunk of the per-point networks (nil: no checkpointing).
    public var checkpointRows: Int?
    /// Level values `linspace(levels_start, levels_end, M)`.
    public let levels: [Float]
    /// The orthographic SampleNet inputs `[HL²·N_o, 3]` (SPEC I4, I5; pixel-major).
    let orthographicInputs: Tensor

    /// Default chunk size of the checkpointed per-point networks.
    public static let defaultCheckpointRows = 16384

    public init(configuration: GeneratorConfiguration, body: RenderingBody, means: TruncationMeans,
                portraitCamera: PortraitCamera = .release, faceCamera: FaceCamera = .standard,
                checkpointRows: Int? = DifferentiableGenerator.defaultCheckpointRows) throws {
        if let problem = configuration.problem() { throw GeneratorError.configuration(problem) }
        try means.validate(for: configuration)
        self.configuration = configuration
        self.body = body
        self.means = means
        self.portraitCamera = portraitCamera
        self.faceCamera = faceCamera
        self.checkpointRows = checkpointRows
        levels = OrthographicManifolds.levels(configuration)
        let (xs, ys, ts) = OrthographicManifolds.axes(configuration)
        let hl = configuration.lrImageSize, n = configuration.numSamples
        var g = [Float](repeating: 0, count: hl * hl * n * 3)
        for p in 0..<(hl * hl) {
            for s in 0..<n {
                let q = SIMD3<Float>(xs[p % hl], ys[p / hl], 1 - ts[s]) * SampleNet.warp
                let input = SampleNet.input(warpedOnce: q)
                let o = (p * n + s) * 3
                g[o] = input.x; g[o + 1] = input.y; g[o + 2] = input.z
            }
        }
        orthographicInputs = try Tensor(shape: [hl * hl * n, 3], scalars: g)
    }

    /// The constants of an inference generator (a loaded bundle): its configuration, body, cameras and means.
    public init(generator: PortraitGenerator,
                checkpointRows: Int? = DifferentiableGenerator.defaultCheckpointRows) throws {
        try self.init(configuration: generator.configuration, body: generator.frameStage.body,
                      means: generator.identityStage.means, portraitCamera: generator.frameStage.portraitCamera,
                      faceCamera: generator.frameStage.faceCamera, checkpointRows: checkpointRows)
    }

    /// Runs `body` on `rowInputs` (each `[R, ...]`, split along axis 0) and `shared` inputs in checkpointed
    /// chunks of `checkpointRows` rows, with the parameters `names` re-bound inside, and joins the chunk
    /// results along axis 0. Without `checkpointRows` it records `body` once on `tape`.
    func chunked(_ tape: Tape, _ parameters: BoundGeneratorParameters, names: [String], rowInputs: [Variable],
                 shared: [Variable],
                 _ body: @escaping (Tape, DifferentiableNetworks.Parameters, [Variable], [Variable]) throws -> Variable) throws -> Variable {
        let weights = try names.map { try parameters[$0] }
        guard let chunk = checkpointRows, let rows = rowInputs.first?.shape.first else {
            return try body(tape, Dictionary(uniqueKeysWithValues: zip(names, weights)), rowInputs, shared)
        }
        var parts: [Variable] = []
        var start = 0
        repeat {
            let end = min(rows, start + max(chunk, 1))
            let slices = try rowInputs.map { try tape.slice($0, axis: 0, range: start..<end) }
            let (nw, ns) = (weights.count, shared.count)
            parts.append(try tape.checkpointed(weights + shared + slices) { inner, v in
                try body(inner, Dictionary(uniqueKeysWithValues: zip(names, v[0..<nw])), Array(v[(nw + ns)...]),
                         Array(v[nw..<(nw + ns)]))
            })
            start = end
        } while start < rows
        return parts.count == 1 ? parts[0] : try tape.concatenate(parts, axis: 0)
    }

    /// State-dict names under `prefix` (mapping networks excluded unless `includingMapping`).
    func names(_ parameters: BoundGeneratorParameters, prefix: String, includingMapping: Bool = false) -> [String] {
        parameters.variables.keys.filter { $0.hasPrefix(prefix) && (includingMapping || !$0.contains("mapping_network")) }.sorted()
    }
}
