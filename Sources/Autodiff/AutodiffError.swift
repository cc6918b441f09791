import Numerics

/// Errors raised while recording or differentiating a tape. Shape errors of the kernels themselves are
/// `NumericsError`s naming the operation.
public enum AutodiffError: Error, CustomStringConvertible, Equatable {
    /// `backward` was called a second time on the same tape (a tape is differentiated once; there is no
    /// double backward, see the module documentation).
    case backwardAlreadyRun
    /// The loss passed to `backward` without a seed gradient is not a single element.
    case lossNotScalar(shape: [Int])
    /// A seed gradient's shape differs from the loss's.
    case seedShapeMismatch(loss: [Int], seed: [Int])
    /// A variable recorded on another tape was passed to this one.
    case foreignVariable(index: Int)
    /// An argument is invalid on its own (axis outside the shape, bad index, ...).
    case invalidArgument(operation: String, reason: String)
    /// Optimiser state does not match the parameters it is applied to.
    case parameterMismatch(operation: String, reason: String)

    public var description: String {
        switch self {
        case .backwardAlreadyRun:
            return "backward: this tape was already differentiated (record a new tape for every pass)"
        case let .lossNotScalar(shape):
            return "backward: loss of shape \(shape) is not a single element; pass a seed gradient"
        case let .seedShapeMismatch(loss, seed):
            return "backward: seed gradient shape \(seed) does not match the loss shape \(loss)"
        case let .foreignVariable(index):
            return "tape: variable #\(index) belongs to another tape"
        case let .invalidArgument(operation, reason):
            return "\(operation): \(reason)"
        case let .parameterMismatch(operation, reason):
            return "\(operation): \(reason)"
        }
    }
}
