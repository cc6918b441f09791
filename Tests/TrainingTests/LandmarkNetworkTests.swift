import Autodiff
import Foundation
import Numerics
import PortraitTestSupport
import Testing
@testable import Training

@Suite struct LandmarkNetworkTests {
    static let tiny = LandmarkNetworkArchitecture(workingSize: 8, stageChannels: [3], refineChannels: [4])

    /// Gradients of the landmark loss through the frozen network reach the face image (and, when
    /// training, the weights).
    @Test func landmarkLossGradients() throws {
        // Kaiming weights throughout (the initial zero heatmap layer would stop the gradients to the image).
        let network = try LandmarkNetwork(architecture: Self.tiny, parameters: NamedParameters.kaimingNormal(Self.tiny.parameterShapes, seed: 61))
        let faces = try LossesTestSupport.uniform([2, 3, 16, 16], in: -1...1, seed: 62)
        let target = try LossesTestSupport.uniform([2, 68, 2], in: -0.5...0.5, seed: 63)
        // The network's output (a float64 sum against random weights: a float32 scalar loss would round
        // away the small image gradients) to the image and the weights; a 1e-2 tolerance for the LeakyReLU
        // kinks the differences cross (a wrong term shows as O(1)).
        let e1 = try LossesTestSupport.expectGradients([faces], epsilon: 3e-3, tolerance: 1e-2, maxElements: 300) { t, v in
            try network.landmarks(t, faces: v[0])
        }
        let e2 = try LossesTestSupport.expectGradients([faces] + network.parameters.values, differentiate: Set(1...5), epsilon: 1e-3,
                                                       tolerance: 1e-2, maxElements: 60) { t, v in
            try network.landmarks(t, faces: v[0], weights: Array(v.dropFirst()))
        }
        let predicted0 = try network.predict(faces)
        let e3 = try LossesTestSupport.expectGradients([predicted0], epsilon: 1e-3) { t, v in
            try LandmarkLoss.meanSquaredDistance(t, predicted: v[0], target: target)
        }
        print("losses: landmark network gradient check, worst scaled error to the image \(e1), to the weights \(e2); landmark loss \(e3)")
        // Frozen: the weights get no gradient on the generator's tape.
        let tape = Tape()
        let x = tape.variable(faces)
        try tape.backward(LandmarkLoss.evaluate(tape, faces: x, network: network, target: target))
        #expect(try tape.gradient(of: x) != nil)
        // The value: mean over points of the squared 2-D distance.
        let predicted = try network.predict(faces)
        var expected = 0.0
        for i in 0..<predicted.count { let d = Double(predicted[flat: i] - target[flat: i]); expected += d * d }
        let t2 = Tape()
        let v = try t2.value(LandmarkLoss.meanSquaredDistance(t2, predicted: t2.constant(predicted), target: target))
        #expect(abs(Double(v[flat: 0]) - expected / 136) < 1e-6)
    }

    @Test func saveAndLoad() throws {
        let network = try LandmarkNetwork(architecture: Self.tiny, seed: 64)
        let root = try PortraitProcess.temporaryDirectory(prefix: "losses-lm")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = (root as NSString).appendingPathComponent("landmarks.safetensors")
        try network.save(to: path)
        let loaded = try LandmarkNetwork.load(path: path)
        #expect(loaded.architecture == Self.tiny && loaded.parameters == network.parameters)
        // A discriminator file is not a landmark network.
        try (try Discriminator(architecture: DiscriminatorArchitecture(height: 4, width: 4), seed: 1)).parameters.save(to: path)
        #expect { try LandmarkNetwork.load(path: path) } throws: { "\($0)".hasPrefix(path) && "\($0)".contains("landmark_network") }
    }

    /// The projector reproduces the corpus's `landmarks.face` labels from the other labels.
    @Test func projectorReproducesCorpusLabels() throws {
        let (root, path) = try LossesTestSupport.makeCorpus(count: 3, size: 16, faceSize: 48)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dataset = try CorpusDataset(path: path)
        let batch = try dataset.batch([0, 1, 2])
        let targets = try FaceLandmarkProjector().targets(identity: batch.identity, shape: batch.shape, expression: batch.expression,
                                                          joints: batch.joints, faceCamera: batch.faceCamera, size: 48)
        var worst: Float = 0
        for i in 0..<targets.count { worst = max(worst, abs(targets[flat: i] - batch.faceLandmarks[flat: i])) }
        #expect(worst * 24 < 0.01, "worst difference \(worst * 24) px")
    }

    /// Trained on a small corpus, the network's landmark error falls well below the mean-landmark baseline.
    @Test func trainingBeatsTheMeanLandmarks() throws {
        let (root, path) = try LossesTestSupport.makeCorpus(count: 64, size: 16, faceSize: 64)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dataset = try CorpusDataset(path: path)
        let total = dataset.count, train = Array(0..<(total * 3 / 4)), heldOut = Array((total * 3 / 4)..<total)
        var options = LandmarkTrainer.Options()
        options.steps = 200
        options.batchSize = 16
        options.learningRate = 2e-2
        options.progressInterval = 50
        var reports: [LandmarkTrainer.Progress] = []
        let architecture = LandmarkNetworkArchitecture(workingSize: 32, stageChannels: [16, 32], refineChannels: [32, 32])
        let clock = ContinuousClock()
        var network: LandmarkNetwork?
        let duration = try clock.measure {
            network = try LandmarkTrainer(architecture: architecture, options: options).train(dataset, indices: train) { reports.append($0) }
        }
        let trained = try #require(network)
        #expect(reports.map(\.step) == [50, 100, 150, 200])
        let mean = try LandmarkTrainer.meanLandmarks(dataset, indices: train)
        let onTrain = try LandmarkTrainer.evaluate(trained, on: dataset, indices: train, baseline: mean)
        let onHeldOut = try LandmarkTrainer.evaluate(trained, on: dataset, indices: heldOut, baseline: mean)
        print("losses: landmark network (64² faces, \(train.count) training images, \(options.steps) steps, \(duration)): train \(onTrain.meanPixelError) px (mean baseline \(onTrain.baselinePixelError) px), held out \(onHeldOut.meanPixelError) px (baseline \(onHeldOut.baselinePixelError) px)")
        #expect(onTrain.meanPixelError < 0.3 * onTrain.baselinePixelError)
        #expect(onHeldOut.meanPixelError < 0.6 * onHeldOut.baselinePixelError)
    }
}
