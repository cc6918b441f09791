import Foundation
import Generator
import ModelIO
import Numerics
import PortraitTestSupport
import Testing
@testable import Training

@Suite struct LoopExportTests {
    /// A run directory's checkpoint exports as a bundle that the inference path loads and renders, with the
    /// trained tensors in it and the run's provenance.
    @Test func exportedBundleLoadsAndRendersWithProvenance() throws {
        let root = try PortraitProcess.temporaryDirectory(prefix: "loop-export")
        var settings = RunSettings.defaults(configuration: "studio", stage: 1, objective: .supervised, seed: 1, batch: 1,
                                            corpus: .init(path: "/c", seed: 9, count: 16, size: 64, faceSize: 32))
        settings.history = [.init(description: "stage1:supervised(image_l2)", steps: 5, cpuSeconds: 36)]
        var generator = try TrainingObjectives.initialGenerator(configuration: "studio")
        let changed = "sample_net.output_layer.bias"
        guard let index = generator.names.firstIndex(of: changed) else {
            Issue.record("no \(changed)")
            return
        }
        generator.tensors[index] = generator.tensors[index].scaled(by: 1.01)
        var state = TrainingState(settings: settings, generator: generator, discriminator: .empty)
        state.counters.step = 7
        state.counters.cpuSeconds = 3600
        let directory = RunDirectory(path: root + "/run")
        try directory.create()
        try AtomicFile.write(try settings.jsonData(), to: directory.settingsPath)
        try state.write(to: directory.checkpointPath)

        let metadata = try TrainedBundle.export(runDirectory: directory, to: root + "/model.portrait")
        #expect(metadata.provenance.source == "trained")
        #expect(metadata.provenance.corpus == .init(seed: 9, count: 16))
        #expect(metadata.provenance.training?.steps == 12)
        #expect(metadata.provenance.training?.stages == ["stage1:supervised(image_l2)", "stage1:supervised(depth_l2+face_l2+image_l2)"])
        #expect(Swift.abs((metadata.provenance.training?.cpuHours ?? 0) - 1.01) < 1e-9)

        let bundle = try PortraitBundle(path: root + "/model.portrait")
        #expect(try bundle.tensor(changed) == generator.tensors[index])
        let model = try NeuralPortraitModel(bundle: bundle)
        let frame = try model.renderAll(controls: Controls(identity: .seed(3, blend: 0), quality: .preview))
        #expect(frame.image.scalars.allSatisfy { $0.isFinite })
        #expect(frame.image.shape == [3, 128, 128])
    }

    @Test func unknownOrMisshapenWeightsAreRefused() throws {
        #expect(throws: TrainingError.self) {
            _ = try TrainedBundle.writer(weights: ["nonsense.weight": Tensor.zeros([1])], provenance: .init(source: "trained"))
        }
        #expect(throws: TrainingError.self) {
            _ = try TrainedBundle.writer(weights: ["sample_net.output_layer.bias": Tensor.zeros([7])], provenance: .init(source: "trained"))
        }
    }
}
