import Numerics

/// A stack of Linear layers with one activation after every layer (after the last one only when
/// `activatesLast`), evaluated on batches of rows through caller-owned scratch memory.
public struct MLP: Sendable {
    /// The layers, first to last; each one's input width is the previous one's output width.
    public let layers: [Linear]
    /// Activation after the hidden layers.
    public let activation: Activation
    /// Whether the activation also follows the last layer.
    public let activatesLast: Bool

    public init(layers: [Linear], activation: Activation, activatesLast: Bool = false) throws {
        guard !layers.isEmpty else { throw GeneratorError.invalidInput(field: "MLP", reason: "no layers") }
        for i in 1..<layers.count where layers[i].inputCount != layers[i - 1].outputCount {
            throw GeneratorError.invalidInput(
                field: "MLP", reason: "layer \(i) takes \(layers[i].inputCount) inputs, layer \(i - 1) gives \(layers[i - 1].outputCount)")
        }
        self.layers = layers
        self.activation = activation
        self.activatesLast = activatesLast
    }

    /// Loads layer `i` from `prefixes[i]` (`.weight`/`.bias`) with widths `widths[i] -> widths[i+1]`.
    public init(weights: Weights, prefixes: [String], widths: [Int], activation: Activation,
                activatesLast: Bool = false) throws {
        precondition(widths.count == prefixes.count + 1, "MLP: \(prefixes.count) layers need \(prefixes.count + 1) widths")
        let layers = try prefixes.indices.map { try weights.linear(prefixes[$0], input: widths[$0], output: widths[$0 + 1]) }
        try self.init(layers: layers, activation: activation, activatesLast: activatesLast)
    }

    /// Input width.
    public var inputCount: Int { layers[0].inputCount }
    /// Output width.
    public var outputCount: Int { layers[layers.count - 1].outputCount }

    /// Floats of scratch memory `apply` needs for `rows` rows.
    public func scratchCount(rows: Int) -> Int {
        let widest = layers.dropLast().map(\.outputCount).max() ?? 0
        return 2 * rows * widest
    }

    /// Evaluates the stack on `rows` rows of `input` (`[rows, inputStride]`) into `output`
    /// `[rows, outputCount]`, using `scratch` (at least `scratchCount(rows:)` floats).
    public func apply(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int? = nil,
                      scratch: UnsafeMutableBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(scratch.count >= scratchCount(rows: rows), "MLP: scratch of \(scratch.count) floats, needs \(scratchCount(rows: rows))")
        let half = scratch.count / 2
        let a = UnsafeMutableBufferPointer(rebasing: scratch[0..<half])
        let b = UnsafeMutableBufferPointer(rebasing: scratch[half..<(2 * half)])
        var source = input
        var stride = inputStride
        for (i, layer) in layers.enumerated() {
            let last = i == layers.count - 1
            let target = last ? output : (i % 2 == 0 ? a : b)
            layer.apply(source, rows: rows, inputStride: stride, into: target,
                        activation: (last && !activatesLast) ? .none : activation)
            source = UnsafeBufferPointer(target)
            stride = nil
        }
    }

    /// The stack applied to one vector.
    public func apply(_ input: [Float]) -> [Float] {
        precondition(input.count == inputCount, "MLP: \(input.count) inputs, expected \(inputCount)")
        var scratch = [Float](repeating: 0, count: scratchCount(rows: 1))
        var out = [Float](repeating: 0, count: outputCount)
        input.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { s in
                out.withUnsafeMutableBufferPointer { y in apply(x, rows: 1, scratch: s, into: y) }
            }
        }
        return out
    }
}
