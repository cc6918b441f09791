import Foundation
import Generator
import ModelIO
import Numerics
import Synth

/// The objectives `portrait train` can run and what they start from.
public enum TrainingObjectives {
    /// The seeded initial generator of a configuration (the untrained built-in weights), by state-dict name.
    public static func initialGenerator(configuration: String) throws -> NamedTensors {
        guard configuration == "studio" else {
            throw TrainingError.invalidSetting(field: "config", reason: "'\(configuration)': only the studio configuration trains")
        }
        return NamedTensors(try BuiltinBundle.initialWeights(.studio))
    }

    /// The objective of `settings` on `corpus`.
    public static func make(settings: RunSettings, corpus: RunCorpus) throws -> TrainingObjective {
        throw TrainingError.invalidSetting(field: "objective", reason: "\(settings.objective.rawValue) is not wired yet")
    }

    /// Writes the sample grid of a state (the moving average through the inference path).
    public static func sampleWriter(settings: RunSettings) -> (TrainingState, String) throws -> Void {
        { state, path in
            try SampleGrid.write(weights: state.average.dictionary, stage: settings.stage,
                                 title: "step \(state.counters.step) " + TrainedBundle.stageDescription(settings), to: path)
        }
    }
}
