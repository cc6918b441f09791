import Numerics

/// Tensors under names, in a fixed order (a state dict whose order is the optimiser's parameter order).
public struct NamedTensors: Sendable {
    /// The names, in order (unique).
    public private(set) var names: [String]
    /// One tensor per name, in the same order.
    public var tensors: [Tensor]

    /// `names` and `tensors` must have equal lengths and `names` must be unique.
    public init(names: [String], tensors: [Tensor]) throws {
        guard names.count == tensors.count, Set(names).count == names.count else {
            throw TrainingError.invalidSetting(field: "parameters",
                                               reason: "\(names.count) names (\(Set(names).count) distinct) for \(tensors.count) tensors")
        }
        self.names = names
        self.tensors = tensors
    }

    /// The tensors of `dictionary`, ordered by name.
    public init(_ dictionary: [String: Tensor]) {
        names = dictionary.keys.sorted()
        tensors = names.compactMap { dictionary[$0] }
    }

    /// No tensors.
    public static let empty = NamedTensors([:])

    public var count: Int { names.count }
    /// Parameter shapes in order.
    public var shapes: [[Int]] { tensors.map(\.shape) }
    /// Total number of scalars.
    public var scalarCount: Int { tensors.reduce(0) { $0 + $1.count } }

    /// The tensor named `name`, or nil.
    public subscript(name: String) -> Tensor? {
        names.firstIndex(of: name).map { tensors[$0] }
    }

    /// Name → tensor.
    public var dictionary: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: zip(names, tensors))
    }

    /// Whether both hold the same names, shapes and bit patterns.
    public func isBitwiseEqual(to other: NamedTensors) -> Bool {
        names == other.names && zip(tensors, other.tensors).allSatisfy { a, b in
            a.shape == b.shape && a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern)
        }
    }
}
