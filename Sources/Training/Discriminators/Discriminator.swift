import Autodiff
import Numerics

/// A progressive residual CNN discriminator (`DiscriminatorArchitecture`) with its parameters; the
/// forward pass records on an Autodiff tape so gradients reach the images (generator step, R1) and the
/// parameters (discriminator step).
public struct Discriminator: Sendable {
    public let architecture: DiscriminatorArchitecture
    /// The weights, named as in `architecture.parameterShapes`.
    public var parameters: NamedParameters

    /// Fresh Kaiming-normal weights (LeakyReLU 0.2 gain, fan-in; zero biases) from `seed`.
    public init(architecture: DiscriminatorArchitecture, seed: UInt64) throws {
        try architecture.validate()
        self.architecture = architecture
        parameters = NamedParameters.kaimingNormal(architecture.parameterShapes, seed: seed)
    }

    /// Existing weights (e.g. loaded from a checkpoint), checked against the architecture.
    public init(architecture: DiscriminatorArchitecture, parameters: NamedParameters, source: String = "discriminator") throws {
        try architecture.validate()
        try parameters.check(against: architecture.parameterShapes, source: source)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// Records the logits of `images` `[B, 3, height, width]` (values in [−1, 1]) → `[B]`.
    /// - Parameter weights: one variable per parameter in `parameters.names` order (trainable variables for
    ///   the discriminator step, constants when only the images need gradients).
    public func logits(_ tape: Tape, images: Variable, weights: [Variable]) throws -> Variable {
        var slopes: [Tensor]? = nil
        return try run(tape, images, weights: weights, tangentSlopes: nil, recordSlopes: &slopes)
    }

    /// The logits and, per LeakyReLU, its slope at every element (1 where the pre-activation is ≥ 0, else
    /// 0.2), in recording order: the activation pattern `tangent` linearises around.
    func logitsAndSlopes(_ tape: Tape, images: Variable, weights: [Variable]) throws -> (logits: Variable, slopes: [Tensor]) {
        var slopes: [Tensor]? = []
        let out = try run(tape, images, weights: weights, tangentSlopes: nil, recordSlopes: &slopes)
        return (out, slopes ?? [])
    }

    /// The Jacobian-vector product `J_x(θ)·direction` of the logits at the activation pattern `slopes`
    /// (from `logitsAndSlopes` at `x`): the same layers without biases, each LeakyReLU replaced by the
    /// product with its recorded slopes → `[B]`. Differentiable in the weights; this is the forward-mode
    /// half of the exact R1 gradient (`DiscriminatorR1`).
    func tangent(_ tape: Tape, direction: Variable, weights: [Variable], slopes: [Tensor]) throws -> Variable {
        var unused: [Tensor]? = nil
        return try run(tape, direction, weights: weights, tangentSlopes: slopes, recordSlopes: &unused)
    }

    /// The layers of `DiscriminatorArchitecture`: primal (`tangentSlopes` nil; records each LeakyReLU's slopes
    /// into `recordSlopes` unless it is nil) or tangent (no biases, activations multiplied by `tangentSlopes` in order).
    private func run(_ tape: Tape, _ images: Variable, weights: [Variable], tangentSlopes: [Tensor]?,
                     recordSlopes: inout [Tensor]?) throws -> Variable {
        let a = architecture
        guard images.shape == [images.shape.first ?? 0, 3, a.height, a.width], images.shape[0] > 0 else {
            throw TrainingError.invalidArgument(operation: "Discriminator.logits",
                                                reason: "images of shape \(images.shape), expected [B, 3, \(a.height), \(a.width)]")
        }
        try parameters.checkWeightCount(weights.count, operation: "Discriminator.logits")
        if let tangentSlopes, tangentSlopes.count != 1 + 2 * a.blockCount {
            throw TrainingError.invalidArgument(operation: "Discriminator.tangent",
                                                reason: "\(tangentSlopes.count) slope tensors for \(1 + 2 * a.blockCount) activations")
        }
        var w = weights.makeIterator()
        func next() -> Variable {
            guard let v = w.next() else { preconditionFailure("Discriminator: weight list checked above") }
            return v
        }
        var activation = 0
        /// `conv → LeakyReLU` (primal) or `conv without bias → × slopes` (tangent).
        func convolutionAndActivation(_ x: Variable, padding: Int) throws -> Variable {
            let weight = next(), bias = next()
            if let tangentSlopes {
                let pre = try tape.conv2d(x, weight: weight, bias: nil, padding: padding)
                defer { activation += 1 }
                return try tape.multiply(pre, tape.constant(tangentSlopes[activation]))
            }
            let pre = try tape.conv2d(x, weight: weight, bias: bias, padding: padding)
            if recordSlopes != nil { recordSlopes?.append(try tape.value(pre).leakySlopes(Self.slope)) }
            return try tape.leakyReLU(pre, slope: Self.slope)
        }
        let batch = images.shape[0]
        let invSqrt2 = Float(0.5).squareRoot()
        var x = try convolutionAndActivation(images, padding: 0)
        var h = a.height, wd = a.width
        for _ in 0..<a.blockCount {
            var main = try convolutionAndActivation(x, padding: 1)
            main = try convolutionAndActivation(main, padding: 1)
            let ws = next()
            h /= 2; wd /= 2
            main = try Self.averagePool2(tape, main, height: h, width: wd)
            let skip = try tape.conv2d(Self.averagePool2(tape, x, height: h, width: wd), weight: ws, bias: nil, padding: 0)
            x = try tape.affine(tape.add(main, skip), scale: invSqrt2)
        }
        let flat = try tape.reshape(x, [batch, a.headInputs])
        let headWeight = next(), headBias = next()
        let out = try tape.linear(flat, weight: headWeight, bias: tangentSlopes == nil ? headBias : nil)
        return try tape.reshape(out, [batch])
    }

    /// The negative slope of every LeakyReLU.
    static let slope: Float = 0.2

    /// Convenience: the logits with all weights as constants (gradients flow to `images` only; the
    /// generator step).
    public func logits(_ tape: Tape, images: Variable) throws -> Variable {
        try logits(tape, images: images, weights: parameters.values.map { tape.constant($0) })
    }

    /// A 2x2 average pool to `[.., height, width]` (half the input): the align-corners-false bilinear resize
    /// by exactly one half samples at `2i + 0.5`, i.e. weights ½, ½ on rows `2i, 2i+1` and the same on
    /// columns, which is the 2x2 box mean (tested); its backward is the resize's.
    static func averagePool2(_ tape: Tape, _ x: Variable, height: Int, width: Int) throws -> Variable {
        try tape.resize(x, to: [height, width], alignCorners: false)
    }
}

extension Tensor {
    /// The LeakyReLU derivative elementwise: 1 where the value is ≥ 0, else `slope`.
    fileprivate func leakySlopes(_ slope: Float) -> Tensor {
        var out = self
        out.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = b[i] >= 0 ? 1 : slope } }
        return out
    }
}
