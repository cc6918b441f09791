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
        case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
        case .leakyReLU: return x >= 0 ? x : x * 0.2
        }
    }

    /// Applies the activation in place to every element of `values`.
    @inlinable
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .none: return
        case .relu:
            for i in values.indices { let x = values[i]; values[i] = x > 0 ? x : (x.isNaN ? x : 0) }
        case .leakyReLU:
            for i in values.indices { let x = values[i]; values[i] = x >= 0 ? x : x * 0.2 }
        }
    }
}
