/// Errors raised by Geometry. Messages name the quantity and both sides of a mismatch.
public enum GeometryError: Error, CustomStringConvertible, Equatable {
    /// A matrix that had to be inverted is singular (a zero pivot in the LU factorisation).
    case singularMatrix(operation: String)
    /// A value is outside its allowed range or not finite.
    case invalidValue(name: String, value: Double, allowed: String)

    public var description: String {
        switch self {
        case let .singularMatrix(operation):
            return "\(operation): the matrix is singular"
        case let .invalidValue(name, value, allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        }
    }
}
