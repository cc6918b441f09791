import Foundation
import Generator
import ModelIO
import Numerics
import Synth

/// The objectives `portrait train` can run and what they start from.
public enum TrainingObjectives {
    /// The seeded initial generator of a configuration (the untrained built-in weights), as the trainable
    /// parameters in state-dict order (the smoother alias is not a parameter).
    public static func initialGenerator(configuration: String) throws -> NamedTensors {
        guard configuration == "studio" else {
            throw TrainingError.invalidSetting(field: "config", reason: "'\(configuration)': only the studio configuration trains")
        }
        let parameters = try TrainableGeneratorParameters(stateDict: BuiltinBundle.initialWeights(.studio), configuration: .studio)
        return try NamedTensors(names: parameters.names, tensors: parameters.tensors)
    }

    /// The differentiable generator's constants (built-in body, cameras, truncation means) of the studio
    /// configuration, from the built-in bundle made in memory.
    public static func differentiableGenerator() throws -> DifferentiableGenerator {
        let bundle = try PortraitBundle(data: try BuiltinBundle.writer().encoded().data, path: "<builtin>")
        return try DifferentiableGenerator(generator: PortraitGenerator(bundle: bundle))
    }

    /// The objective of `settings` on `corpus`; `landmarkNetwork` is the frozen network of the landmark loss
    /// (adversarial stage 1 with a positive `landmark` weight).
    public static func make(settings: RunSettings, corpus: RunCorpus, landmarkNetwork: LandmarkNetwork? = nil) throws
        -> TrainingObjective {
        switch settings.objective {
        case .supervised:
            return try SupervisedObjective(stage: settings.stage, lossWeights: settings.lossWeights,
                                           generator: differentiableGenerator())
        case .gan:
            return try AdversarialObjective(settings: settings, corpusPath: corpus.folder.path, generator: differentiableGenerator(),
                                            landmarkNetwork: landmarkNetwork)
        }
    }

    /// Writes the sample grid of a state (the moving average through the inference path; for the supervised
    /// objective with the synthetic renderer's targets below each row).
    public static func sampleWriter(settings: RunSettings) -> (TrainingState, String) throws -> Void {
        { state, path in
            let reference = settings.objective == .supervised ? try SyntheticPortraitModel(size: 128) : nil
            try SampleGrid.write(weights: state.average.dictionary, stage: settings.stage, reference: reference,
                                 title: "step \(state.counters.step) " + TrainedBundle.stageDescription(settings), to: path)
        }
    }
}
