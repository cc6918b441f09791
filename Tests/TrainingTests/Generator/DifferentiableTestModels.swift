import Body
import Foundation
import Generator
import Geometry
import ModelIO
import Numerics
import Synth
@testable import Training

/// Small generator configurations on the built-in body with the seeded initial weights of SPEC §8.1
/// (`BuiltinBundle.initialWeights`), for the gradient and fitting tests of the differentiable forward.
enum DifferentiableTestModels {
    /// The studio architecture shrunk for finite differences: LR 8, HR 16, 4 manifolds, narrow networks.
    static let tiny = GeneratorConfiguration(
        zDim: 160, hiddenDim: 16, hiddenDimSample: 16, featureDim: 4, hrImageSize: 16, lrImageSize: 8,
        levelsStart: 23, levelsEnd: 8, numSamples: 12, numManifolds: 4,
        srNetKwargs: .init(wDim: 160, nf: 8, nb: 1, gc: 4, upChannels: [8], toRGBKernelSize: 1, upSampleKernelSize: 3),
        identityDim: 80, noiseDim: 80, expressionDim: 16, shapeDim: 10, mappingHiddenDim: 32, srMappingHiddenDim: 32,
        deformHiddenDim: 16, deformMappingHiddenDim: 16, frameNumSamples: 8, frameNumPoints: 16, smootherKD: 3)

    /// The studio architecture at LR 16 / HR 64 with the studio's widths and 12 manifolds, fewer points per ray.
    static let small = GeneratorConfiguration(
        zDim: 160, hiddenDim: 64, hiddenDimSample: 32, featureDim: 8, hrImageSize: 64, lrImageSize: 16,
        levelsStart: 23, levelsEnd: 8, numSamples: 32, numManifolds: 12,
        srNetKwargs: .init(wDim: 160, nf: 16, nb: 1, gc: 8, upChannels: [16, 8], toRGBKernelSize: 1, upSampleKernelSize: 3),
        identityDim: 80, noiseDim: 80, expressionDim: 16, shapeDim: 10, mappingHiddenDim: 64, srMappingHiddenDim: 64,
        deformHiddenDim: 32, deformMappingHiddenDim: 32, frameNumSamples: 16, frameNumPoints: 32, smootherKD: 3)

    private static let bodyResult = Result {
        let builtin = try BuiltinBody()
        return try RenderingBody(model: builtin.model, validVertexIndices: builtin.knnIndex)
    }

    static func body() throws -> RenderingBody { try bodyResult.get() }

    /// Zero truncation means of `configuration` (ψ = 1 in these tests never reads them).
    static func zeroMeans(_ c: GeneratorConfiguration) -> TruncationMeans {
        TruncationMeans(frequencies: Array(repeating: 0, count: 9 * c.hiddenDim), phases: Array(repeating: 0, count: 9 * c.hiddenDim),
                        w: nil, style: Array(repeating: 0, count: c.styleDim))
    }

    static func generator(_ c: GeneratorConfiguration, checkpointRows: Int? = DifferentiableGenerator.defaultCheckpointRows) throws
        -> DifferentiableGenerator {
        try DifferentiableGenerator(configuration: c, body: body(), means: zeroMeans(c), checkpointRows: checkpointRows)
    }

    static func parameters(_ c: GeneratorConfiguration) throws -> TrainableGeneratorParameters {
        try TrainableGeneratorParameters(stateDict: BuiltinBundle.initialWeights(c), configuration: c)
    }

    /// Deterministic codes and controls: small identity / noise / expression values, frontal camera, a
    /// slightly turned head.
    struct Controls {
        let identity: [Float], noise: [Float]
        let request: FrameRequest
    }

    static func controls(_ c: GeneratorConfiguration, view: Generator.Controls.View = .portrait, shading: FrameShading = .maps,
                         highResolution: Bool = false, rays: Int? = nil) -> Controls {
        func values(_ n: Int, _ seed: Int) -> [Float] {
            (0..<n).map { (j: Int) -> Float in Float(Foundation.sin(Double(j * 7 + seed) * 1.3) * 0.5) }
        }
        var joints = [SIMD3<Float>](repeating: .zero, count: 6)
        joints[3] = SIMD3(0.05, 0.1, -0.05)
        return Controls(identity: values(c.identityDim, 1), noise: values(c.noiseDim, 2),
                        request: FrameRequest(expression: values(c.expressionDim, 3), shape: Array(repeating: 0, count: c.shapeDim),
                                              camera: .frontal, jointEulers: joints, view: view, rays: rays,
                                              shading: shading, highResolution: highResolution))
    }
}
