import Numerics

/// The Adam optimiser (PyTorch `torch.optim.Adam` without weight decay or AMSGrad) over a fixed list of
/// parameter tensors, with per-parameter moments and step counts. Updates are sequential and
/// deterministic: the same parameters, gradients and state give bit-identical results.
public struct Adam: Sendable {
    /// Step size (parameter units per step, before the moment scaling).
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Per parameter: first-moment estimates (the parameter's shape; empty before the first update).
    public private(set) var firstMoments: [Tensor]
    /// Per parameter: second-moment estimates.
    public private(set) var secondMoments: [Tensor]
    /// Per parameter: number of updates applied (a parameter whose gradient was nil is not advanced).
    public private(set) var steps: [Int]

    /// Fresh state for parameters of the given shapes.
    public init(parameterShapes: [[Int]], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameterShapes.map { Tensor.zeros($0) }
        secondMoments = parameterShapes.map { Tensor.zeros($0) }
        steps = parameterShapes.map { _ in 0 }
    }

    /// Restores saved state (from a checkpoint); the three lists must have equal lengths and matching shapes.
    public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
                firstMoments: [Tensor], secondMoments: [Tensor], steps: [Int]) throws {
        guard firstMoments.count == secondMoments.count, firstMoments.count == steps.count else {
            throw AutodiffError.parameterMismatch(
                operation: "Adam state",
                reason: "\(firstMoments.count) first moments, \(secondMoments.count) second moments, \(steps.count) step counts")
        }
        for (i, (m, v)) in zip(firstMoments, secondMoments).enumerated() where m.shape != v.shape {
            throw AutodiffError.parameterMismatch(operation: "Adam state",
                                                  reason: "parameter \(i): first moment \(m.shape), second moment \(v.shape)")
        }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.steps = steps
    }

    /// Applies one update to every parameter whose gradient is not nil.
    /// - Parameters:
    ///   - parameters: the tensors being trained, in the order of the state.
    ///   - gradients: one per parameter (same shape), nil to leave that parameter and its state unchanged.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor?]) throws {
        guard parameters.count == steps.count, gradients.count == steps.count else {
            throw AutodiffError.parameterMismatch(
                operation: "Adam.update",
                reason: "\(parameters.count) parameters and \(gradients.count) gradients for a state of \(steps.count)")
        }
        for i in parameters.indices {
            guard let gradient = gradients[i] else { continue }
            steps[i] += 1
            try parameters[i].adamStep(gradient: gradient, firstMoment: &firstMoments[i], secondMoment: &secondMoments[i],
                                       learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                       step: steps[i])
        }
    }
}
