import Autodiff
import Numerics
import Testing
@testable import Training

/// The supervised objective's `depth_l2` term on renders with pixels without a manifold hit (`Σw = 0`,
/// depth NaN): it uses the pixels where both the render and the target have a depth and back-propagates
/// finite gradients.
@Suite struct SupervisedDepthTests {
    /// Five pixels of three entries: 0 and 2 have weight and a target depth, 1 has no valid entry (`Σw = 0`),
    /// 3 has weight but no target, 4 has neither. Entry depths are 10 where invalid (as `maskedDepth`).
    static let valid = try! Tensor(shape: [5, 3], scalars: [1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0])
    static let target: [Float] = [1.4, 1.2, 2.1, .nan, .nan]

    static func inputs() throws -> (rgba: Tensor, depth: Tensor) {
        let rgba = try LossesTestSupport.uniform([5, 3, 4], in: 0.15...0.85, seed: 41)
        // Entry depths at least 0.2 apart within a pixel, so ±ε never changes the depth order.
        let z: [Float] = [1.1, 1.6, 2.3, 0.9, 1.5, 2.0, 1.3, 1.9, 2.6, 1.0, 1.4, 2.2, 1.2, 1.8, 2.4]
        let depth = try Tensor(shape: [5, 3], scalars: z.enumerated().map { valid[flat: $0.offset] == 1 ? $0.element : 10 })
        return (rgba, depth)
    }

    static func depthTerm(_ tape: Tape, rgba: Variable, depth: Variable) throws -> Variable {
        let out = try Compositing.composite(tape, rgba: rgba, depth: depth, valid: valid)
        let value = try tape.value(out.depth).scalars
        #expect(value[1].isNaN && value[4].isNaN && value[0].isFinite && value[2].isFinite && value[3].isFinite)
        guard let term = try SupervisedObjective.depthError(tape, out.depth, target: target) else {
            throw TrainingError.invalidSetting(field: "depth_l2", reason: "no pixel with both depths")
        }
        return term
    }

    @Test func depthTermGradientsAreFiniteAndMatchFiniteDifferences() throws {
        let (rgba, depth) = try Self.inputs()
        let tape = Tape()
        let r = tape.variable(rgba), d = tape.variable(depth)
        let term = try Self.depthTerm(tape, rgba: r, depth: d)
        #expect(try tape.value(term).scalars[0].isFinite)
        try tape.backward(term)
        let gradients = try [tape.gradient(of: r), tape.gradient(of: d)].map { try #require($0).scalars }
        #expect(gradients.allSatisfy { $0.allSatisfy { $0.isFinite } })
        // Pixels 1 (no weight) and 3, 4 (no target) pass nothing back.
        for pixel in [1, 3, 4] {
            #expect((0..<3).allSatisfy { gradients[1][pixel * 3 + $0] == 0 })
            #expect((0..<12).allSatisfy { gradients[0][pixel * 12 + $0] == 0 })
        }
        try LossesTestSupport.expectGradients([rgba, depth], epsilon: 1e-3) { t, v in
            try Self.depthTerm(t, rgba: v[0], depth: v[1])
        }
    }

    /// No pixel with both depths: no term (rather than a NaN or empty mean).
    @Test func noCommonPixelGivesNoTerm() throws {
        let (rgba, depth) = try Self.inputs()
        let tape = Tape()
        let out = try Compositing.composite(tape, rgba: tape.constant(rgba), depth: tape.constant(depth), valid: Self.valid)
        #expect(try SupervisedObjective.depthError(tape, out.depth, target: [.nan, 1, .nan, .nan, 1]) == nil)
    }

    /// A tiny model's real renders (LR 16, the synthetic renderer's smallest size) have pixels without a
    /// manifold hit; `depth_l2` still appears in the phase's losses, finite and positive, with finite gradients.
    @Test func realRenderReportsDepthLoss() throws {
        var c = DifferentiableTestModels.tiny
        (c.lrImageSize, c.hrImageSize) = (16, 32)
        let generator = try DifferentiableTestModels.generator(c)
        let controls = DifferentiableTestModels.controls(c)
        let parameters = try DifferentiableTestModels.parameters(c)
        let tape = Tape()
        let bound = parameters.bind(to: tape)
        let identity = try generator.identity(bound, identity: controls.identity, noise: controls.noise, psi: 1, maps: .lowResolution)
        let frame = try generator.render(bound, identity: identity, request: controls.request)
        let depth = try tape.value(frame.lowResolutionDepth).scalars
        #expect(depth.contains { $0.isNaN } && depth.contains { $0.isFinite }, "depth \(depth)")

        let objective = try SupervisedObjective(stage: 1, lossWeights: ["image_l2": 1, "depth_l2": 1], generator: generator)
        let state = TrainingState(generator: try NamedTensors(names: parameters.names, tensors: parameters.tensors),
                                  average: .empty, discriminator: .empty,
                                  generatorOptimiser: Adam(parameterShapes: [], learningRate: 0),
                                  discriminatorOptimiser: Adam(parameterShapes: [], learningRate: 0),
                                  counters: TrainingCounters(stage: 1, seed: 1, generatorParameters: parameters.names.count,
                                                             discriminatorParameters: 0))
        let result = try objective.evaluate(.generatorMain, batch: MicroBatch(corpusIndices: [0], sampleSeeds: [3], step: 0), state: state)
        let loss = try #require(result.losses["depth_l2"])
        #expect(loss.isFinite && loss > 0, "depth_l2 \(loss)")
        #expect(result.gradients.allSatisfy { $0?.scalars.allSatisfy { $0.isFinite } ?? true })
        #expect(result.gradients.contains { $0 != nil })
    }
}
