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

    /// Fresh Kaiming-normal weights (LeakyReLU 0.2 gain, fan-in; zero biases) from `seed`; the heatmap layer
    /// starts at zero, so the first prediction is every landmark at the image centre.
    public init(architecture: LandmarkNetworkArchitecture = .standard, seed: UInt64) throws {
        try architecture.validate()
        self.architecture = architecture
        var p = NamedParameters.kaimingNormal(architecture.parameterShapes, seed: seed)
        var values = p.values
        values[values.count - 1] = values[values.count - 1].scaled(by: 0)
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
        let (x, used) = try trunk(tape, faces: faces, weights: weights)
        let batch = faces.shape[0], side = x.shape[2]
        let maps = try tape.reshape(tape.conv2d(x, weight: weights[used], bias: nil, padding: 0),
                                    [batch, LandmarkNetworkArchitecture.landmarkCount, side * side])
        return try Self.softArgmax(tape, maps, side: side)
    }

    /// Image features of `faces` `[B, 3, S, S]` → `[B, C]`: the last refinement layer's activations averaged
    /// over the heatmap cells (C = the last refinement width). `portrait eval` measures Fréchet distances in
    /// this space.
    public func features(_ faces: Tensor) throws -> Tensor {
        let tape = Tape()
        let (x, _) = try trunk(tape, faces: tape.constant(faces), weights: parameters.values.map { tape.constant($0) })
        return try tape.value(tape.mean(tape.reshape(x, [x.shape[0], x.shape[1], x.shape[2] * x.shape[3]]), axis: 2))
    }

    /// Resize, pooled stages and refinement: the activations before the heatmap layer `[B, C, side, side]`
    /// and the number of weight variables used.
    private func trunk(_ tape: Tape, faces: Variable, weights: [Variable]) throws -> (Variable, Int) {
        let a = architecture
        guard faces.shape.count == 4, faces.shape[0] > 0, faces.shape[1] == 3, faces.shape[2] == faces.shape[3],
              faces.shape[2] >= a.workingSize else {
            throw TrainingError.invalidArgument(operation: "LandmarkNetwork.landmarks",
                                                reason: "faces of shape \(faces.shape), expected [B, 3, S, S] with S >= \(a.workingSize)")
        }
        try parameters.checkWeightCount(weights.count, operation: "LandmarkNetwork.landmarks")
        var x = faces
        var side = faces.shape[2]
        while side >= 2 * a.workingSize, side % 2 == 0 {
            side /= 2
            x = try tape.resize(x, to: [side, side], alignCorners: false)
        }
        if side != a.workingSize { x = try tape.resize(x, to: [a.workingSize, a.workingSize], alignCorners: false) }
        side = a.workingSize
        var w = 0
        for _ in a.stageChannels {
            x = try tape.leakyReLU(tape.conv2d(x, weight: weights[w], bias: weights[w + 1], padding: 1))
            w += 2
            side /= 2
            x = try tape.resize(x, to: [side, side], alignCorners: false)      // the 2x2 mean
        }
        for _ in a.refineChannels {
            x = try tape.leakyReLU(tape.conv2d(x, weight: weights[w], bias: weights[w + 1], padding: 1))
            w += 2
        }
        return (x, w)
    }

    /// Soft-argmax of heatmap logits `[B, K, side²]` → `[B, K, 2]`: the softmax over the cells (shifted by
    /// each map's maximum, a constant, for range) weighting the cell centres `(2j + 1)/side − 1`.
    static func softArgmax(_ tape: Tape, _ maps: Variable, side: Int) throws -> Variable {
        let b = maps.shape[0], k = maps.shape[1], cells = side * side
        let values = try tape.value(maps)
        var shift = Tensor.zeros([b, k, 1])
        values.withUnsafeBufferPointer { v in
            shift.withUnsafeMutableBufferPointer { s in
                for r in 0..<(b * k) { s[r] = v[(r * cells)..<((r + 1) * cells)].max() ?? 0 }
            }
        }
        let e = try tape.exp(tape.subtract(maps, tape.constant(shift)))
        let p = try tape.divide(e, tape.reshape(tape.sum(e, axis: 2), [b, k, 1]))
        var gridX = [Float](repeating: 0, count: cells), gridY = gridX
        for i in 0..<side {
            for j in 0..<side {
                gridX[i * side + j] = Float(2 * j + 1) / Float(side) - 1
                gridY[i * side + j] = Float(2 * i + 1) / Float(side) - 1
            }
        }
        let x = try tape.sum(tape.multiply(p, tape.constant(Tensor(shape: [1, 1, cells], scalars: gridX))), axis: 2)
        let y = try tape.sum(tape.multiply(p, tape.constant(Tensor(shape: [1, 1, cells], scalars: gridY))), axis: 2)
        return try tape.concatenate([tape.reshape(x, [b, k, 1]), tape.reshape(y, [b, k, 1])], axis: 2)
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

    /// Writes the weights as safetensors, with the architecture in the header's metadata (sorted keys: the
    /// same network gives the same bytes).
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(architecture), as: UTF8.self)
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
