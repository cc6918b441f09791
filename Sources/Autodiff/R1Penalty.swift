import Numerics

/// The R1 gradient penalty on real images (Mescheder et al. 2018; StyleGAN2 form), by the finite-difference
/// Hessian-vector product of `FiniteDifference` (this module has no double backward).
///
/// For a batch of `N` real images `x` and discriminator logits `D(x; θ)` (one per image):
/// `penalty = (γ / 2N)·‖v‖²` with `v = ∇ₓ Σ_i D(x_i; θ)` (per-image input gradients, since image `i`
/// only affects logit `i`), and `∇_θ penalty = (γ / N)·(∂²ΣD/∂θ∂x)·v`, computed as the central difference
/// of `∇_θ ΣD` at `x ± h·v`. Three first-order passes in all.
///
/// Exact up to O(h²) for smooth discriminators only: where `x ± h·v` moves an activation across a
/// LeakyReLU kink, `∇_θ D` jumps and the difference is biased whatever `h`. Training therefore uses the
/// exact `Training.DiscriminatorR1`; this one remains as an independent cross-check at small steps.
public enum R1Penalty {
    /// The penalty and its gradients with respect to `parameters`.
    /// - Parameters:
    ///   - images: real images, batch first (`[N, ...]`).
    ///   - parameters: the discriminator's parameter tensors.
    ///   - gamma: `γ` (e.g. 1 in stage 1, 10 with lazy regularisation).
    ///   - relativeStep: root-mean-square input displacement of the difference (see
    ///     `FiniteDifference.directionalDerivative`).
    ///   - discriminator: records `D` on a tape for an image variable and parameter variables (in the order of
    ///     `parameters`) and returns the logits (any shape; they are summed).
    /// - Returns: the penalty value and one gradient per parameter (zeros for parameters `D` does not use).
    public static func evaluate(images: Tensor, parameters: [Tensor], gamma: Float, relativeStep: Float = 1e-2,
                                discriminator: (Tape, Variable, [Variable]) throws -> Variable) throws
        -> (penalty: Float, gradients: [Tensor]) {
        guard let batch = images.shape.first, batch > 0 else {
            throw AutodiffError.invalidArgument(operation: "R1Penalty", reason: "needs a batch of images, got shape \(images.shape)")
        }
        /// `∇ₓ ΣD` and `∇_θ ΣD` at `x`.
        func gradients(at x: Tensor, wantInput: Bool) throws -> (input: Tensor?, parameters: [Tensor]) {
            let tape = Tape()
            let image = wantInput ? tape.variable(x) : tape.constant(x)
            let variables = parameters.map { tape.variable($0) }
            try tape.backward(tape.sum(discriminator(tape, image, variables)))
            let parameterGradients = try zip(variables, parameters).map { v, p in try tape.gradient(of: v) ?? Tensor.zeros(p.shape) }
            return (wantInput ? try tape.gradient(of: image) ?? Tensor.zeros(x.shape) : nil, parameterGradients)
        }
        guard let direction = try gradients(at: images, wantInput: true).input else {
            preconditionFailure("R1Penalty: the input gradient was requested")
        }
        let squaredNorm = direction.withUnsafeBufferPointer { b in b.reduce(0.0) { $0 + Double($1) * Double($1) } }
        let penalty = Float(Double(gamma) / (2 * Double(batch)) * squaredNorm)
        let mixed = try FiniteDifference.directionalDerivative(
            of: { point in try gradients(at: point[0], wantInput: false).parameters },
            at: [images], along: [direction], relativeStep: relativeStep)
        return (penalty, mixed.map { $0.scaled(by: gamma / Float(batch)) })
    }
}
