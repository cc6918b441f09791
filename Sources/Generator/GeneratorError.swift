/// Errors raised by the generator. Each message names the tensor, input or field and both sides of a
/// mismatch.
public enum GeneratorError: Error, CustomStringConvertible, Equatable {
    /// A tensor the configuration needs is absent from the weights; `source` names where they came from.
    case missingTensor(name: String, source: String)
    /// A tensor has another shape than the configuration implies.
    case tensorShape(name: String, got: [Int], expected: [Int], source: String)
    /// A caller-supplied value is unusable (wrong size, not finite, out of range).
    case invalidInput(field: String, reason: String)
    /// The configuration cannot be run (inconsistent or unsupported sizes).
    case configuration(String)

    public var description: String {
        switch self {
        case let .missingTensor(name, source):
            return "\(source): tensor '\(name)' is missing"
        case let .tensorShape(name, got, expected, source):
            return "\(source): tensor '\(name)': \(Self.format(got)), expected \(Self.format(expected))"
        case let .invalidInput(field, reason):
            return "\(field): \(reason)"
        case let .configuration(reason):
            return "configuration: \(reason)"
        }
    }

    private static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }
}
