import Autodiff
import Foundation
import Numerics

/// A small CNN predicting the 68 face landmarks of a face crop (`LandmarkNetworkArchitecture`), trained on
/// the corpus's face crops and their `landmarks.face` labels (`LandmarkTrainer`), then frozen and applied to
/// generated faces by the landmark loss (gradients reach the image, not the weights).
public struct LandmarkNetwork: Sendable {
    public let architecture: LandmarkNetworkArchitecture
    public var parameters: NamedParameters

    /// Metadata key of the architecture (JSON) in a saved file.
    public static let architectureKey = "landmark_network"

    /// Fresh weights from `seed` (Kaiming-normal, LeakyReLU 0.2 gain) with the head's bias at
    /// `meanLandmarks` (`[68, 2]` normalised; zeros when nil) and its weights scaled down ×0.1, so training
    /// starts from the mean-landmark prediction.
    public init(architecture: LandmarkNetworkArchitecture = .standard, seed: UInt64, meanLandmarks: Tensor? = nil) throws {
        try architecture.validate()
        self.architecture = architecture
        var p = NamedParameters.kaimingNormal(architecture.parameterShapes, seed: seed)
        var values = p.values
        let n = values.count
        values[n - 2] = values[n - 2].scaled(by: 0.1)
        if let meanLandmarks {
            try meanLandmarks.checkShape([LandmarkNetworkArchitecture.landmarkCount, 2], "LandmarkNetwork mean landmarks")
            values[n - 1] = try meanLandmarks.reshaped([2 * LandmarkNetworkArchitecture.landmarkCount])
        }
        try p.update(values)
        parameters = p
    }

    /// Existing weights, checked against `architecture`.
    public init(architecture: LandmarkNetworkArchitecture, parameters: NamedParameters, source: String = "landmark network") throws {
        try architecture.validate()
        try parameters.check(against: architecture.parameterShapes, source: source)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// Records the landmarks of `faces` `[B, 3, S, S]` (values in [−1, 1], S ≥ `workingSize`) → `[B, 68, 2]`.
    /// - Parameter weights: one variable per parameter (`parameters.names` order).
    public func landmarks(_ tape: Tape, faces: Variable, weights: [Variable]) throws -> Variable {
        let a = architecture
        guard faces.shape.count == 4, faces.shape[0] > 0, faces.shape[1] == 3, faces.shape[2] == faces.shape[3],
              faces.shape[2] >= a.workingSize else {
            throw TrainingError.invalidArgument(operation: "LandmarkNetwork.landmarks",
                                                reason: "faces of shape \(faces.shape), expected [B, 3, S, S] with S >= \(a.workingSize)")
        }
        guard weights.count == parameters.names.count else {
            throw TrainingError.invalidArgument(operation: "LandmarkNetwork.landmarks",
                                                reason: "\(weights.count) weight variables for \(parameters.names.count) parameters")
        }
        let batch = faces.shape[0]
        var x = faces
        var side = faces.shape[2]
        while side >= 2 * a.workingSize, side % 2 == 0 {
            side /= 2
            x = try tape.resize(x, to: [side, side], alignCorners: false)
        }
        if side != a.workingSize { x = try tape.resize(x, to: [a.workingSize, a.workingSize], alignCorners: false) }
        side = a.workingSize
        for s in a.stageChannels.indices {
            x = try tape.leakyReLU(tape.conv2d(x, weight: weights[2 * s], bias: weights[2 * s + 1], padding: 1))
            side /= 2
            x = try tape.resize(x, to: [side, side], alignCorners: false)      // the 2x2 mean
        }
        let k = 2 * a.stageChannels.count
        let flat = try tape.reshape(x, [batch, x.count / batch])
        let hidden = try tape.leakyReLU(tape.linear(flat, weight: weights[k], bias: weights[k + 1]))
        let out = try tape.linear(hidden, weight: weights[k + 2], bias: weights[k + 3])
        return try tape.reshape(out, [batch, LandmarkNetworkArchitecture.landmarkCount, 2])
    }

    /// The frozen network on a tape: weights as constants, so gradients flow to `faces` only.
    public func landmarks(_ tape: Tape, faces: Variable) throws -> Variable {
        try landmarks(tape, faces: faces, weights: parameters.values.map { tape.constant($0) })
    }

    /// Plain prediction (no gradients): `[B, 68, 2]`.
    public func predict(_ faces: Tensor) throws -> Tensor {
        let tape = Tape()
        return try tape.value(landmarks(tape, faces: tape.constant(faces)))
    }

    /// Writes the weights as safetensors, with the architecture in the header's metadata.
    public func save(to path: String) throws {
        let json = String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
        try parameters.save(to: path, metadata: [Self.architectureKey: json])
    }

    /// Reads a network written by `save(to:)`; errors name the file.
    public static func load(path: String) throws -> LandmarkNetwork {
        let (tensors, metadata) = try NamedParameters.read(path: path)
        guard let json = metadata[architectureKey] else {
            throw TrainingError.parameters(source: path, reason: "no '\(architectureKey)' metadata (not a landmark network file)")
        }
        let architecture: LandmarkNetworkArchitecture
        do { architecture = try JSONDecoder().decode(LandmarkNetworkArchitecture.self, from: Data(json.utf8)) } catch {
            throw TrainingError.parameters(source: path, reason: "unreadable '\(architectureKey)' metadata: \(error)")
        }
        try architecture.validate()
        return try LandmarkNetwork(architecture: architecture,
                                   parameters: NamedParameters.load(tensors, expected: architecture.parameterShapes, source: path),
                                   source: path)
    }
}
