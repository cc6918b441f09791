import Numerics

/// Named Float32 tensors of a generator state dict under the official keys (SPEC §3.2), with lookups
/// that check the shape the configuration implies and name the tensor when it is missing or differs.
public struct Weights: Sendable {
    /// The tensors by state-dict key.
    public let tensors: [String: Tensor]
    /// Where the tensors came from (a file path or a description); used in error messages.
    public let source: String

    /// Wraps a name -> tensor map; `source` names its origin in error messages.
    public init(tensors: [String: Tensor], source: String) {
        self.tensors = tensors
        self.source = source
    }

    /// Keys in sorted order.
    public var names: [String] { tensors.keys.sorted() }

    /// The tensor `name`, which must have exactly `shape`.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let t = tensors[name] else { throw GeneratorError.missingTensor(name: name, source: source) }
        guard t.shape == shape else {
            throw GeneratorError.tensorShape(name: name, got: t.shape, expected: shape, source: source)
        }
        return t
    }

    /// The tensor `name` when present (any shape), else nil.
    public func optionalTensor(_ name: String) -> Tensor? { tensors[name] }

    /// The Linear layer `prefix.weight` `[output, input]`, `prefix.bias` `[output]`.
    public func linear(_ prefix: String, input: Int, output: Int) throws -> Linear {
        try Linear(weight: tensor(prefix + ".weight", shape: [output, input]),
                   bias: tensor(prefix + ".bias", shape: [output]))
    }

    /// The FiLM layer whose Linear is `prefix.layer.weight` `[output, input]` / `prefix.layer.bias`.
    public func film(_ prefix: String, input: Int, output: Int) throws -> FiLMLayer {
        try FiLMLayer(linear: linear(prefix + ".layer", input: input, output: output))
    }
}
