import Numerics

/// Pointwise activation applied after a dense layer.
public enum Activation: Sendable, Equatable {
    /// Identity.
    case none
    /// `max(x, 0)`.
    case relu
    /// `x` if `x >= 0`, else `0.2·x` (slope 0.2 everywhere in the release).
    case leakyReLU

    /// The activation of one value.
    @inlinable
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return x < 0 ? 0 : x
        case .leakyReLU: return x >= 0 ? x : x * 0.2
        }
    }

    /// The activation as a Numerics elementwise function (nil for the identity).
    public var elementwise: ElementwiseFunction? {
        switch self {
        case .none: return nil
        case .relu: return .relu
        case .leakyReLU: return .leakyReLU(slope: 0.2)
        }
    }

    /// Applies the activation in place to every element of `values` (vectorised, Numerics).
    @inlinable
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, !values.isEmpty else { return }
        switch self {
        case .none: return
        case .relu: VectorMath.relu(base, base, count: values.count)
        case .leakyReLU: VectorMath.leakyReLU(base, base, count: values.count, slope: 0.2)
        }
    }
}
