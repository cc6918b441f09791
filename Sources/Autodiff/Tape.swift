import Numerics

// Module Autodiff (depends on Numerics only): reverse-mode differentiation for training.
//
// - `Tape` / `Variable`: define-by-run recording; one pull-back rule per operation (Tape+*.swift), raw
//   backward kernels in Sources/Numerics/Backward/ (unsafe pointers stay in Numerics).
// - Operations: broadcasting add/subtract/multiply/divide, affine, elementwise functions (ReLU, LeakyReLU,
//   sigmoid, softplus, exp, log, sin, cos, sqrt, tanh, square, abs), matmul, linear, FiLM sine, sum/mean
//   (all or one axis), reshape/concatenate/slice/permute/gather, conv2d, depthwise conv3d, linear/bilinear/
//   trilinear resize, pixel shuffle, grid sample (map and grid), compositing weights, weight normalisation
//   (no gradient through an element without weight), crossing interpolation, 4x4 point transforms.
// - Memory: `checkpointed` re-runs a sub-computation in the backward pass instead of keeping its values.
// - Optimisers: `Adam`, `ExponentialMovingAverage`.
// - Second order: no double backward. R1 (`R1Penalty`) uses the finite-difference Hessian-vector product
//   of `FiniteDifference.directionalDerivative` (three first-order passes), tested against exact cases; it
//   is biased where the step crosses a LeakyReLU kink, so training uses `Training.DiscriminatorR1` (exact).

/// A reverse-mode (define-by-run) tape: every differentiable operation called on it evaluates its value
/// immediately and records how to pull a gradient back to its inputs; `backward(_:)` then runs those rules
/// in reverse recording order and accumulates the gradients of the leaves.
///
/// Leaves are made with `variable(_:)` (trainable: gets a gradient) and `constant(_:)` (no gradient).
/// Operations on constants only record no rule. Gradients of intermediate values are released as soon as
/// they have been pulled back; `gradient(of:)` answers for leaves. A tape is differentiated once; record a
/// new tape for every forward pass. Not thread-safe: one thread records and differentiates a tape (the
/// kernels themselves spread their work over `Parallel.workerCount` cores).
public final class Tape {
    /// Pulls the output gradient (the value's shape) back to the inputs through `accumulate`.
    typealias PullBack = (_ gradient: Tensor, _ tape: Tape) throws -> Void

    private var values: [Tensor] = []
    private var pullBacks: [PullBack?] = []
    private var needsGradient: [Bool] = []
    private var isLeaf: [Bool] = []
    private var gradients: [Tensor?] = []
    private var differentiated = false

    public init() {}

    /// Number of recorded values (leaves and operation results).
    public var count: Int { values.count }

    /// A trainable leaf: `backward` computes its gradient.
    public func variable(_ value: Tensor) -> Variable { append(value, needsGradient: true, leaf: true, pullBack: nil) }

    /// A leaf without gradient (data, labels, frozen weights).
    public func constant(_ value: Tensor) -> Variable { append(value, needsGradient: false, leaf: true, pullBack: nil) }

    /// The value of `variable` as a new constant: later uses do not pass gradients back (PyTorch `detach`).
    public func detached(_ variable: Variable) throws -> Variable { constant(try value(variable)) }

    /// The value of `variable`.
    public func value(_ variable: Variable) throws -> Tensor {
        try check(variable)
        return values[variable.index]
    }

    /// The gradient of the last `backward`'s loss with respect to the leaf `variable`; nil before
    /// `backward`, for constants, and for leaves the loss does not depend on.
    public func gradient(of variable: Variable) throws -> Tensor? {
        try check(variable)
        return gradients[variable.index]
    }

    /// The gradients of several leaves (e.g. the parameters, in the order an optimiser keeps them).
    public func gradients(of variables: [Variable]) throws -> [Tensor?] {
        try variables.map { try gradient(of: $0) }
    }

    /// Whether gradients flow into `variable` (a trainable leaf or a result depending on one).
    public func requiresGradient(_ variable: Variable) -> Bool { needsGradient[variable.index] }

    /// Back-propagates from `loss`: with `seed` nil the loss must have one element and its gradient is 1;
    /// otherwise `seed` (the loss's shape) is the gradient of some scalar with respect to `loss`.
    public func backward(_ loss: Variable, seed: Tensor? = nil) throws {
        try check(loss)
        guard !differentiated else { throw AutodiffError.backwardAlreadyRun }
        let start: Tensor
        if let seed {
            guard seed.shape == loss.shape else { throw AutodiffError.seedShapeMismatch(loss: loss.shape, seed: seed.shape) }
            start = seed
        } else {
            guard loss.count == 1 else { throw AutodiffError.lossNotScalar(shape: loss.shape) }
            start = try Tensor(shape: loss.shape, repeating: 1)
        }
        differentiated = true
        guard needsGradient[loss.index] else { return }
        gradients[loss.index] = start
        for index in stride(from: loss.index, through: 0, by: -1) {
            guard let pullBack = pullBacks[index] else { continue }
            pullBacks[index] = nil                       // releases the tensors the rule captured
            guard let gradient = gradients[index] else { continue }
            if !isLeaf[index] { gradients[index] = nil }
            try pullBack(gradient, self)
        }
    }

    // MARK: - Recording (for the operations)

    /// Records an operation's result. `pullBack` is kept only when some input needs a gradient.
    func record(_ value: Tensor, inputs: [Variable], pullBack: @escaping PullBack) throws -> Variable {
        for input in inputs { try check(input) }
        let needs = inputs.contains { needsGradient[$0.index] }
        return append(value, needsGradient: needs, leaf: false, pullBack: needs ? pullBack : nil)
    }

    /// Adds `gradient` to the gradient of `variable` (ignored when it needs none). The first contribution
    /// is stored without copying.
    func accumulate(_ gradient: Tensor, into variable: Variable) throws {
        guard needsGradient[variable.index] else { return }
        guard gradient.shape == variable.shape else {
            throw NumericsError.shapeMismatch(operation: "gradient accumulation", got: gradient.shape, expected: variable.shape)
        }
        if gradients[variable.index] == nil {
            gradients[variable.index] = gradient
        } else {
            try gradients[variable.index]?.add(gradient)
        }
    }

    /// Lets `body` add into the gradient buffer of `variable` in place (zero-filled when it has none yet),
    /// e.g. a GEMM with `beta = 1`. Not called when the variable needs no gradient.
    func accumulate(into variable: Variable, _ body: (inout Tensor) throws -> Void) throws {
        guard needsGradient[variable.index] else { return }
        var buffer = gradients[variable.index] ?? Tensor.zeros(variable.shape)
        gradients[variable.index] = nil                  // keeps the storage uniquely referenced
        try body(&buffer)
        gradients[variable.index] = buffer
    }

    private func append(_ value: Tensor, needsGradient needs: Bool, leaf: Bool, pullBack: PullBack?) -> Variable {
        let variable = Variable(index: values.count, shape: value.shape, tape: ObjectIdentifier(self))
        values.append(value)
        pullBacks.append(pullBack)
        needsGradient.append(needs)
        isLeaf.append(leaf)
        gradients.append(nil)
        return variable
    }

    private func check(_ variable: Variable) throws {
        guard variable.tape == ObjectIdentifier(self), variable.index < values.count else {
            throw AutodiffError.foreignVariable(index: variable.index)
        }
    }
}
