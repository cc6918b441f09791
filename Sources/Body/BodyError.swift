/// Errors raised by Body. Messages name the array or input and both sides of a mismatch.
public enum BodyError: Error, CustomStringConvertible, Equatable {
    /// An array of the body model has the wrong shape.
    case shapeMismatch(name: String, got: [Int], expected: String)
    /// The kinematic tree is not a tree rooted at joint 0 with parents before children.
    case invalidParents(reason: String)
    /// An index (vertex subset, joint) is out of range or not strictly increasing.
    case invalidIndex(name: String, reason: String)
    /// An input (betas, joint angles) has the wrong size or a non-finite value.
    case invalidInput(name: String, reason: String)
    /// A blended skinning transform could not be inverted.
    case singularTransform(vertex: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(name, got, expected):
            return "body model array '\(name)': shape \(got), expected \(expected)"
        case let .invalidParents(reason):
            return "body model array 'parents': \(reason)"
        case let .invalidIndex(name, reason):
            return "\(name): \(reason)"
        case let .invalidInput(name, reason):
            return "\(name): \(reason)"
        case let .singularTransform(vertex):
            return "the blended skinning transform of vertex \(vertex) is singular"
        }
    }
}
