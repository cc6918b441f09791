import Foundation

/// An elementwise function over float32 buffers.
public enum ElementwiseFunction: Sendable, Equatable {
    /// `max(x, 0)` (NaN stays NaN).
    case relu
    /// `x` if `x >= 0`, else `slope · x`.
    case leakyReLU(slope: Float)
    /// `1 / (1 + exp(−x))`.
    case sigmoid
    /// `x` if `x > 20`, else `log1p(exp(x))` (beta 1, threshold 20; SPEC.md A.8).
    case softplus
    case exp
    case log1p
    case sin
}

/// Elementwise math over float32 buffers. Input and output may be the same buffer (in place).
public enum VectorMath {
    /// `y[i] = f(x[i])` for `i < count`.
    public static func apply(_ function: ElementwiseFunction, _ x: UnsafePointer<Float>,
                             _ y: UnsafeMutablePointer<Float>, count: Int) {
        switch function {
        case .relu: relu(x, y, count: count)
        case let .leakyReLU(slope): leakyReLU(x, y, count: count, slope: slope)
        case .sigmoid: sigmoid(x, y, count: count)
        case .softplus: softplus(x, y, count: count)
        case .exp: exp(x, y, count: count)
        case .log1p: log1p(x, y, count: count)
        case .sin: sin(x, y, count: count)
        }
    }

    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { let v = x[i]; y[i] = v < 0 ? 0 : v }
    }

    public static func leakyReLU(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
        for i in 0..<count { let v = x[i]; y[i] = v >= 0 ? v : slope * v }
    }

    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
    }

    public static func softplus(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { let v = x[i]; y[i] = v > 20 ? v : Foundation.log1p(Foundation.exp(v)) }
    }

    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Foundation.exp(x[i]) }
    }

    public static func log1p(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Foundation.log1p(x[i]) }
    }

    public static func sin(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Float(Foundation.sin(Double(x[i]))) }
    }
}

extension Tensor {
    /// A new tensor with `function` applied to every element.
    public func applying(_ function: ElementwiseFunction) -> Tensor {
        var out = self
        out.apply(function)
        return out
    }

    /// Applies `function` to every element in place.
    public mutating func apply(_ function: ElementwiseFunction) {
        withUnsafeMutableBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            VectorMath.apply(function, p, p, count: buffer.count)
        }
    }
}
