import Foundation
import Generator
import ModelIO
import Numerics
import Synth

/// Bundles made from trained generator weights: the built-in bundle's body, samplers and metadata with the
/// trained generator tensors, truncation means recomputed from them, and `provenance.source = trained`.
public enum TrainedBundle {
    /// Bundle name of exported models.
    public static let name = "studio-trained"

    /// The stages that trained a run's weights, oldest first: its `history` then the run itself, each as
    /// `stage<N>:<objective>(<losses with a non-zero weight>)`.
    public static func stages(settings: RunSettings) -> [String] {
        settings.history.map(\.description) + [stageDescription(settings)]
    }

    /// `stage1:supervised(depth_l2+image_l2)`.
    public static func stageDescription(_ settings: RunSettings) -> String {
        let losses = settings.lossWeights.filter { $0.value > 0 }.keys.sorted().joined(separator: "+")
        return "stage\(settings.stage):\(settings.objective.rawValue)(\(losses))"
    }

    /// The provenance of a run's weights at `counters`.
    public static func provenance(settings: RunSettings, counters: TrainingCounters) -> BundleMetadata.Provenance {
        let steps = settings.history.reduce(counters.step) { $0 + $1.steps }
        let cpu = settings.history.reduce(counters.cpuSeconds) { $0 + $1.cpuSeconds }
        return .init(source: "trained", corpus: .init(seed: Int(truncatingIfNeeded: settings.corpus.seed), count: settings.corpus.count),
                     training: .init(stages: stages(settings: settings), steps: steps, cpuHours: cpu / 3600))
    }

    /// The bundle writer for generator `weights` (state-dict names). Generator tensors missing from
    /// `weights` keep the seeded initial weights, except that each smoother alias (`smoother.*`,
    /// `renderer.smooth_layer.*`) takes its trained twin. `truncationSamples` seeds are averaged for the
    /// truncation means.
    public static func writer(weights: [String: Tensor], provenance: BundleMetadata.Provenance,
                              truncationSamples: Int = BuiltinBundle.truncationSamples) throws -> BundleWriter {
        let configuration = GeneratorConfiguration.studio
        var state = try BuiltinBundle.initialWeights(configuration)
        for (name, tensor) in weights {
            guard let expected = state[name] else {
                throw TrainingError.invalidSetting(field: "weights", reason: "'\(name)' is not a tensor of the studio generator")
            }
            guard expected.shape == tensor.shape else {
                throw TrainingError.invalidSetting(field: "weights", reason: "'\(name)': \(tensor.shape), expected \(expected.shape)")
            }
            state[name] = tensor
        }
        let aliases = [("smoother.", "renderer.smooth_layer.")]
        for (a, b) in aliases {
            for name in state.keys where name.hasPrefix(a) {
                let twin = b + name.dropFirst(a.count)
                if weights[name] != nil, weights[twin] == nil { state[twin] = weights[name] }
                if weights[twin] != nil, weights[name] == nil { state[name] = weights[twin] }
            }
        }
        var writer = try BuiltinBundle.writer()
        var metadata = BuiltinBundle.metadata
        metadata.name = name
        metadata.provenance = provenance
        metadata.truncation = .init(source: "computed", samples: truncationSamples)
        writer.metadata = metadata
        for (name, tensor) in state { try writer.add(name, tensor) }
        let idShape = try writer.array("samplers.id_shape").map { try Tensor(shape: $0.shape, scalars: $0.floats) }
        try BuiltinBundle.addTruncationMeans(to: &writer, weights: Weights(tensors: state, source: "trained"),
                                             configuration: configuration, idShapeSampler: idShape, samples: truncationSamples)
        return writer
    }

    /// Writes the bundle of a run directory's checkpoint (the moving average of the generator) to `path`.
    @discardableResult
    public static func export(runDirectory: RunDirectory, to path: String) throws -> BundleMetadata {
        let settings = try RunSettings.read(path: runDirectory.settingsPath)
        let state = try TrainingState.read(path: runDirectory.checkpointPath, settings: settings)
        let writer = try self.writer(weights: state.average.dictionary,
                                     provenance: provenance(settings: settings, counters: state.counters))
        do { return try writer.write(to: path) } catch {
            throw TrainingError.file(path: path, reason: "cannot write the bundle: \(error)")
        }
    }
}
