import Foundation
import ModelIO
import Numerics

/// A network's parameters as named tensors in a fixed order (the order optimiser state and gradient lists
/// follow), saved and loaded as a safetensors file (`[String: Tensor]`, Float32).
public struct NamedParameters: Sendable, Equatable {
    /// Parameter names in their fixed order.
    public let names: [String]
    /// The tensors by name.
    public private(set) var tensors: [String: Tensor]

    /// Parameters `names` with `tensors` (every name must have a tensor, and no extra tensors).
    public init(names: [String], tensors: [String: Tensor]) throws {
        guard Set(names).count == names.count else {
            throw TrainingError.parameters(source: "parameters", reason: "duplicate names")
        }
        for name in names where tensors[name] == nil {
            throw TrainingError.parameters(source: "parameters", reason: "no tensor named '\(name)'")
        }
        if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw TrainingError.parameters(source: "parameters", reason: "unexpected tensor '\(extra)'")
        }
        self.names = names
        self.tensors = tensors
    }

    /// The tensors in `names` order.
    public var values: [Tensor] { names.map { tensors[$0] ?? Tensor.zeros([0]) } }

    /// The shapes in `names` order.
    public var shapes: [[Int]] { values.map(\.shape) }

    /// Total number of scalars.
    public var scalarCount: Int { values.reduce(0) { $0 + $1.count } }

    public subscript(name: String) -> Tensor? { tensors[name] }

    /// Replaces every tensor by `values` (in `names` order, same shapes), e.g. after an optimiser step.
    public mutating func update(_ values: [Tensor]) throws {
        guard values.count == names.count else {
            throw TrainingError.parameters(source: "parameters", reason: "\(values.count) tensors for \(names.count) names")
        }
        for (name, value) in zip(names, values) {
            guard let old = tensors[name], old.shape == value.shape else {
                throw TrainingError.parameters(source: "parameters",
                                               reason: "'\(name)': shape \(value.shape), expected \(tensors[name]?.shape ?? [])")
            }
            tensors[name] = value
        }
    }

    /// Checks that a forward pass (`operation`) got one weight variable per parameter (`count` of them).
    public func checkWeightCount(_ count: Int, operation: String) throws {
        guard count == names.count else {
            throw TrainingError.invalidArgument(operation: operation, reason: "\(count) weight variables for \(names.count) parameters")
        }
    }

    /// Checks names and shapes against `expected` (name → shape, in order); messages name `source`.
    public func check(against expected: [(name: String, shape: [Int])], source: String) throws {
        for (name, shape) in expected {
            guard let t = tensors[name] else { throw TrainingError.parameters(source: source, reason: "missing tensor '\(name)'") }
            guard t.shape == shape else {
                throw TrainingError.parameters(source: source, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
        }
        let wanted = Set(expected.map(\.name))
        if let extra = names.first(where: { !wanted.contains($0) }) {
            throw TrainingError.parameters(source: source, reason: "unexpected tensor '\(extra)'")
        }
    }

    /// The safetensors bytes (Float32; `metadata` goes into the header).
    public func encoded(metadata: [String: String] = [:]) throws -> Data {
        var writer = SafetensorsWriter(metadata: metadata)
        for name in names { if let t = tensors[name] { try writer.add(name, t) } }
        return try writer.encoded()
    }

    /// Writes the safetensors file atomically.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        do { try AtomicFile.write(try encoded(metadata: metadata), to: path) } catch {
            throw TrainingError.parameters(source: path, reason: "cannot write: \(error)")
        }
    }

    /// Reads the tensors `expected` (names and shapes, in order) from a safetensors file; missing, extra or
    /// misshapen tensors are errors naming the file and the tensor.
    public static func load(path: String, expected: [(name: String, shape: [Int])]) throws -> NamedParameters {
        try load(read(path: path).tensors, expected: expected, source: path)
    }

    /// Every tensor of a safetensors file (as Float32) and the header's metadata; errors name the file.
    public static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: path) } catch {
            throw TrainingError.parameters(source: path, reason: ModelIOError.reason(error, about: path))
        }
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            do { tensors[name] = try file.tensor(name) } catch {
                throw TrainingError.parameters(source: path, reason: "tensor '\(name)': \(ModelIOError.reason(error, about: path))")
            }
        }
        return (tensors, file.metadata)
    }

    /// The tensors `expected` out of a dictionary (e.g. part of a checkpoint), checked as in `load(path:)`.
    public static func load(_ tensors: [String: Tensor], expected: [(name: String, shape: [Int])],
                            source: String) throws -> NamedParameters {
        for (name, shape) in expected {
            guard let t = tensors[name] else { throw TrainingError.parameters(source: source, reason: "missing tensor '\(name)'") }
            guard t.shape == shape else {
                throw TrainingError.parameters(source: source, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
        }
        let wanted = Set(expected.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !wanted.contains($0) }) {
            throw TrainingError.parameters(source: source, reason: "unexpected tensor '\(extra)'")
        }
        return try NamedParameters(names: expected.map(\.name), tensors: tensors)
    }

    /// Kaiming-normal initial values for `expected` (weights: N(0, gain²/fanIn) with `fanIn` the product
    /// of all axes but the first; tensors whose name ends in `bias` start at zero), drawn in order from
    /// `seed`.
    public static func kaimingNormal(_ expected: [(name: String, shape: [Int])], seed: UInt64,
                                     gain: Float = (2 / (1 + 0.2 * 0.2) as Float).squareRoot()) -> NamedParameters {
        var normal = SeededNormal(seed: seed)
        var tensors: [String: Tensor] = [:]
        for (name, shape) in expected {
            if name.hasSuffix("bias") {
                tensors[name] = Tensor.zeros(shape)
            } else {
                let fanIn = max(shape.dropFirst().reduce(1, *), 1)
                tensors[name] = normal.tensor(shape, standardDeviation: gain / Float(fanIn).squareRoot())
            }
        }
        // Names are unique and complete by construction.
        guard let parameters = try? NamedParameters(names: expected.map(\.name), tensors: tensors) else {
            preconditionFailure("NamedParameters.kaimingNormal: duplicate names in \(expected.map(\.name))")
        }
        return parameters
    }
}
