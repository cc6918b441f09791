import Autodiff
import Foundation
import Numerics

/// Trains a `LandmarkNetwork` on a corpus's face crops and their `landmarks.face` labels with Adam
/// (loss: `LandmarkLoss.meanSquaredDistance`), then it is used frozen.
public struct LandmarkTrainer: Sendable {
    /// Settings of one training run.
    public struct Options: Codable, Sendable, Equatable {
        public var steps: Int = 2000
        public var batchSize: Int = 32
        public var learningRate: Float = 5e-3
        public var seed: UInt64 = 1
        /// Report progress every this many steps (and at the last).
        public var progressInterval: Int = 50
        public init() {}
    }

    /// What `progress` is told.
    public struct Progress: Sendable {
        public var step: Int
        public var steps: Int
        /// Mean squared landmark distance of this step's batch (normalised coordinates²).
        public var loss: Float
        /// Seconds since training started (wall clock).
        public var seconds: Double
    }

    /// Landmark errors over a set of images, in pixels of the corpus face crop.
    public struct Evaluation: Sendable {
        /// Mean Euclidean landmark error of the network (pixels).
        public var meanPixelError: Double
        /// The same for always answering the training set's mean landmarks (pixels).
        public var baselinePixelError: Double
        public var images: Int
    }

    public let architecture: LandmarkNetworkArchitecture
    public let options: Options

    public init(architecture: LandmarkNetworkArchitecture = .standard, options: Options = Options()) {
        self.architecture = architecture
        self.options = options
    }

    /// The mean of `landmarks.face` over `indices` as `[68, 2]` normalised coordinates.
    public static func meanLandmarks(_ dataset: CorpusDataset, indices: [Int]) throws -> Tensor {
        guard !indices.isEmpty else { throw TrainingError.invalidArgument(operation: "meanLandmarks", reason: "no images") }
        var sum = [Double](repeating: 0, count: 2 * LandmarkNetworkArchitecture.landmarkCount)
        let size = Double(dataset.meta.faceSize)
        for i in indices {
            for (k, p) in dataset.records[i].landmarks.face.enumerated() {
                sum[2 * k] += 2 * p[0] / size - 1
                sum[2 * k + 1] += 2 * p[1] / size - 1
            }
        }
        return try Tensor(shape: [LandmarkNetworkArchitecture.landmarkCount, 2], scalars: sum.map { Float($0 / Double(indices.count)) })
    }

    /// Trains a fresh network on the images `indices` of `dataset` (all when nil); `progress` is called every
    /// `options.progressInterval` steps and after the last.
    public func train(_ dataset: CorpusDataset, indices: [Int]? = nil,
                      progress: (Progress) -> Void = { _ in }) throws -> LandmarkNetwork {
        let pool = indices ?? Array(0..<dataset.count)
        guard !pool.isEmpty, options.steps >= 1, options.batchSize > 0 else {
            throw TrainingError.invalidArgument(operation: "LandmarkTrainer.train",
                                                reason: "\(pool.count) images, \(options.steps) steps, batch \(options.batchSize)")
        }
        guard dataset.faceSize >= architecture.workingSize else {
            throw TrainingError.invalidArgument(operation: "LandmarkTrainer.train",
                                                reason: "face crops of \(dataset.faceSize)² are smaller than the network's working size \(architecture.workingSize)")
        }
        var network = try LandmarkNetwork(architecture: architecture, seed: options.seed)
        var adam = Adam(parameterShapes: network.parameters.shapes, learningRate: options.learningRate)
        var order = try BatchOrder(seed: options.seed, count: pool.count)
        let start = Date()
        for step in 1...options.steps {
            let picked = order.next(options.batchSize).map { pool[$0] }
            let faces = try dataset.images(picked, view: .face)
            let target = try labels(dataset, picked)
            let tape = Tape()
            let weights = network.parameters.values.map { tape.variable($0) }
            let loss = try LandmarkLoss.meanSquaredDistance(
                tape, predicted: network.landmarks(tape, faces: tape.constant(faces), weights: weights), target: target)
            try tape.backward(loss)
            var values = network.parameters.values
            try adam.update(&values, gradients: tape.gradients(of: weights))
            try network.parameters.update(values)
            if step % max(options.progressInterval, 1) == 0 || step == options.steps {
                progress(Progress(step: step, steps: options.steps, loss: try tape.value(loss)[flat: 0],
                                  seconds: Date().timeIntervalSince(start)))
            }
        }
        return network
    }

    /// `landmarks.face` of `indices` as `[B, 68, 2]` normalised coordinates.
    func labels(_ dataset: CorpusDataset, _ indices: [Int]) throws -> Tensor {
        let size = Double(dataset.meta.faceSize)
        return try Tensor(shape: [indices.count, LandmarkNetworkArchitecture.landmarkCount, 2],
                          scalars: indices.flatMap { i in dataset.records[i].landmarks.face.flatMap { p in p.map { Float(2 * $0 / size - 1) } } })
    }

    /// Mean landmark error of `network` on `indices` (pixels of the corpus face crop) and of the constant
    /// `baseline` landmarks (`[68, 2]` normalised, e.g. the training set's mean).
    public static func evaluate(_ network: LandmarkNetwork, on dataset: CorpusDataset, indices: [Int],
                                baseline: Tensor) throws -> Evaluation {
        guard !indices.isEmpty else { throw TrainingError.invalidArgument(operation: "LandmarkTrainer.evaluate", reason: "no images") }
        try baseline.checkShape([LandmarkNetworkArchitecture.landmarkCount, 2], "LandmarkTrainer.evaluate baseline")
        let halfSize = Double(dataset.meta.faceSize) / 2
        var networkSum = 0.0, baselineSum = 0.0, count = 0
        for chunk in Swift.stride(from: 0, to: indices.count, by: 32) {
            let picked = Array(indices[chunk..<min(chunk + 32, indices.count)])
            let predicted = try network.predict(dataset.images(picked, view: .face))
            for (b, i) in picked.enumerated() {
                for (k, p) in dataset.records[i].landmarks.face.enumerated() {
                    let x = p[0] / halfSize - 1, y = p[1] / halfSize - 1
                    let n = (b * LandmarkNetworkArchitecture.landmarkCount + k) * 2
                    let px = Double(predicted[flat: n]), py = Double(predicted[flat: n + 1])
                    let bx = Double(baseline[flat: 2 * k]), by = Double(baseline[flat: 2 * k + 1])
                    networkSum += ((px - x) * (px - x) + (py - y) * (py - y)).squareRoot() * halfSize
                    baselineSum += ((bx - x) * (bx - x) + (by - y) * (by - y)).squareRoot() * halfSize
                    count += 1
                }
            }
        }
        return Evaluation(meanPixelError: networkSum / Double(count), baselinePixelError: baselineSum / Double(count),
                          images: indices.count)
    }
}
