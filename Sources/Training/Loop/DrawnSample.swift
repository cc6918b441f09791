import ModelIO
import Synth

/// The generator inputs of one sample seed: labels drawn from the corpus's label distribution (identity and
/// shape codes, expression, camera, joints, face-camera angles) and a Gaussian noise code, both from
/// `LabelRandom(seed: seed, index: 0)`. The objectives draw their generated and supervised samples this way.
struct DrawnSample {
    let labels: PortraitLabels
    let noise: [Float]

    init(seed: UInt64, configuration: GeneratorConfiguration, distribution: LabelDistribution) {
        var random = LabelRandom(seed: seed, index: 0)
        labels = distribution.sample(&random, identityCount: configuration.identityDim, shapeCount: configuration.shapeDim,
                                     expressionCount: configuration.expressionDim)
        noise = (0..<configuration.noiseDim).map { _ in Float(random.normal()) }
    }
}
