import Foundation

/// An elementwise function with its derivative, for reverse-mode differentiation.
///
/// Forward values use `VectorMath` where it has the function (`relu`, `leakyReLU`, `sigmoid`, `softplus`,
/// `exp`, `sin`), so a differentiable forward pass gives the same numbers as inference.
public enum DifferentiableFunction: Sendable, Equatable {
    case relu
    /// `x` if `x >= 0`, else `slope · x`.
    case leakyReLU(slope: Float)
    case sigmoid
    /// PyTorch softplus (beta 1, threshold 20): `x` above 20, else `log1p(exp(x))`.
    case softplus
    case exp
    /// Natural logarithm.
    case log
    case sin
    case cos
    case sqrt
    case tanh
    /// `x²`.
    case square
    /// `|x|` (derivative `sign(x)`, 0 at 0, as PyTorch).
    case abs
    /// `min(max(x, lower), upper)` (derivative 1 inside the bounds and on them, 0 outside, as PyTorch `clamp`).
    case clamp(lower: Float, upper: Float)

    /// The `VectorMath` function computing the same values, when there is one.
    var vectorised: ElementwiseFunction? {
        switch self {
        case .relu: return .relu
        case let .leakyReLU(slope): return .leakyReLU(slope: slope)
        case .sigmoid: return .sigmoid
        case .softplus: return .softplus
        case .exp: return .exp
        case .sin: return .sin
        case .log, .cos, .sqrt, .tanh, .square, .abs, .clamp: return nil
        }
    }
}

extension Tensor {
    /// `f(x)` for every element.
    public func evaluated(_ function: DifferentiableFunction) -> Tensor {
        if let vectorised = function.vectorised { return applying(vectorised) }
        var out = self
        out.withUnsafeMutableBufferPointer { b in
            switch function {
            case .log: for i in 0..<b.count { b[i] = Foundation.log(b[i]) }
            case .cos: for i in 0..<b.count { b[i] = Foundation.cos(b[i]) }
            case .sqrt: for i in 0..<b.count { b[i] = b[i].squareRoot() }
            case .tanh: for i in 0..<b.count { b[i] = Foundation.tanh(b[i]) }
            case .square: for i in 0..<b.count { b[i] *= b[i] }
            case .abs: for i in 0..<b.count { b[i] = Swift.abs(b[i]) }
            case let .clamp(lower, upper): for i in 0..<b.count { b[i] = Swift.min(Swift.max(b[i], lower), upper) }
            case .relu, .leakyReLU, .sigmoid, .softplus, .exp, .sin: break
            }
        }
        return out
    }

    /// The vector-Jacobian product of `function`: `gradient · f'(input)` elementwise, given the forward
    /// `input` and `output` (same shape as `gradient`).
    public static func derivativeProduct(_ function: DifferentiableFunction, input: Tensor, output: Tensor,
                                         gradient: Tensor) throws -> Tensor {
        try input.checkShape(gradient.shape, "derivative of \(function): input")
        try output.checkShape(gradient.shape, "derivative of \(function): output")
        var out = gradient
        input.withUnsafeBufferPointer { x in
            output.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { g in
                    let n = g.count
                    switch function {
                    case .relu: for i in 0..<n where !(x[i] > 0) { g[i] = 0 }
                    case let .leakyReLU(slope): for i in 0..<n where !(x[i] >= 0) { g[i] *= slope }
                    case .sigmoid: for i in 0..<n { g[i] *= y[i] * (1 - y[i]) }
                    case .softplus:
                        // PyTorch: z = exp(x); grad · z / (z + 1) below the threshold, grad above it.
                        for i in 0..<n where !(x[i] > 20) {
                            let z = Foundation.exp(x[i])
                            g[i] *= z / (z + 1)
                        }
                    case .exp: for i in 0..<n { g[i] *= y[i] }
                    case .log: for i in 0..<n { g[i] /= x[i] }
                    case .sin: for i in 0..<n { g[i] *= Foundation.cos(x[i]) }
                    case .cos: for i in 0..<n { g[i] *= -Foundation.sin(x[i]) }
                    case .sqrt: for i in 0..<n { g[i] *= 0.5 / y[i] }
                    case .tanh: for i in 0..<n { g[i] *= 1 - y[i] * y[i] }
                    case .square: for i in 0..<n { g[i] *= 2 * x[i] }
                    case .abs: for i in 0..<n { g[i] = x[i] > 0 ? g[i] : (x[i] < 0 ? -g[i] : 0) }
                    case let .clamp(lower, upper): for i in 0..<n where !(x[i] >= lower && x[i] <= upper) { g[i] = 0 }
                    }
                }
            }
        }
        return out
    }
}
