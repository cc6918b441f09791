import Numerics

/// An exponential moving average of parameter tensors (the generator copy used for sampling):
/// after each update `average ← average + (1 − decay)·(parameter − average)`.
public struct ExponentialMovingAverage: Sendable {
    /// Weight of the old average per update, in [0, 1] (e.g. 0.999).
    public let decay: Float
    /// The averaged tensors, in the order of the parameters.
    public private(set) var averages: [Tensor]

    /// Starts the average at `parameters` (or at a restored average).
    public init(decay: Float, averages: [Tensor]) throws {
        guard decay >= 0, decay <= 1 else {
            throw AutodiffError.invalidArgument(operation: "ExponentialMovingAverage", reason: "decay \(decay) outside [0, 1]")
        }
        self.decay = decay
        self.averages = averages
    }

    /// Moves every average towards the current parameter values.
    public mutating func update(with parameters: [Tensor]) throws {
        guard parameters.count == averages.count else {
            throw AutodiffError.parameterMismatch(operation: "ExponentialMovingAverage.update",
                                                  reason: "\(parameters.count) parameters for \(averages.count) averages")
        }
        for i in averages.indices { try averages[i].moveAverage(towards: parameters[i], decay: decay) }
    }
}
