import Numerics

/// A dense layer `y = x W^T + b` (PyTorch `Linear`): weight `[output, input]`, bias `[output]`.
///
/// `apply` evaluates it on a batch of rows `[rows, input] -> [rows, output]` with one GEMM into a
/// caller-owned buffer (the bias is written first and the product accumulated onto it), allocating nothing.
public struct Linear: Sendable {
    /// `[output, input]`.
    public let weight: Tensor
    /// `[output]`.
    public let bias: Tensor
    /// Input width.
    public let inputCount: Int
    /// Output width.
    public let outputCount: Int

    /// A layer from its weight `[output, input]` and bias `[output]`.
    public init(weight: Tensor, bias: Tensor) throws {
        guard weight.rank == 2 else {
            throw GeneratorError.invalidInput(field: "Linear.weight", reason: "rank \(weight.rank), expected 2")
        }
        guard bias.shape == [weight.shape[0]] else {
            throw GeneratorError.invalidInput(
                field: "Linear.bias", reason: "shape \(bias.shape), expected [\(weight.shape[0])]")
        }
        self.weight = weight
        self.bias = bias
        outputCount = weight.shape[0]
        inputCount = weight.shape[1]
    }

    /// `output[r, o] = activation(Σ_i input[r·inputStride + i]·W[o, i] + b[o])` for `r < rows`.
    /// `input` holds `rows` rows of `inputStride >= inputCount` floats (the first `inputCount` are used);
    /// `output` holds at least `rows·outputCount` floats, written densely.
    public func apply(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int? = nil,
                      into output: UnsafeMutableBufferPointer<Float>, activation: Activation = .none) {
        let lda = inputStride ?? inputCount
        precondition(lda >= inputCount, "Linear: input stride \(lda) < input width \(inputCount)")
        precondition(rows == 0 || input.count >= (rows - 1) * lda + inputCount,
                     "Linear: input buffer of \(input.count) floats for \(rows) rows of \(inputCount)")
        precondition(output.count >= rows * outputCount,
                     "Linear: output buffer of \(output.count) floats for \(rows) x \(outputCount)")
        guard rows > 0, outputCount > 0 else { return }
        let n = outputCount
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                let base = r * n
                for o in 0..<n { output[base + o] = b[o] }
            }
        }
        if inputCount > 0 {
            weight.withUnsafeBufferPointer { w in
                GEMM.sgemm(.none, .transposed, m: rows, n: n, k: inputCount,
                           a: input.baseAddress!, lda: lda, b: w.baseAddress!, ldb: inputCount,
                           beta: 1, c: output.baseAddress!, ldc: n)
            }
        }
        activation.apply(UnsafeMutableBufferPointer(rebasing: output[0..<(rows * n)]))
    }

    /// The layer applied to one vector of `inputCount` values.
    public func apply(_ input: [Float], activation: Activation = .none) -> [Float] {
        precondition(input.count == inputCount, "Linear: \(input.count) inputs, expected \(inputCount)")
        var out = [Float](repeating: 0, count: outputCount)
        input.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in apply(x, rows: 1, into: y, activation: activation) }
        }
        return out
    }

    /// A layer made of the rows `rows` of the weight and bias (a subset of the outputs).
    public func selectingOutputs(_ rows: Range<Int>) throws -> Linear {
        try Linear(weight: weight.rows(rows), bias: bias.rows(rows))
    }

    /// A layer whose outputs are those of `layers` stacked in order (all must share the input width).
    /// Each output is the same dot product and bias as in its own layer (up to the BLAS summation order).
    public static func stacking(_ layers: [Linear]) throws -> Linear {
        guard let first = layers.first else {
            throw GeneratorError.invalidInput(field: "Linear.stacking", reason: "no layers")
        }
        var w: [Float] = []
        var b: [Float] = []
        for l in layers {
            guard l.inputCount == first.inputCount else {
                throw GeneratorError.invalidInput(
                    field: "Linear.stacking", reason: "input widths \(l.inputCount) and \(first.inputCount) differ")
            }
            w += l.weight.scalars
            b += l.bias.scalars
        }
        return try Linear(weight: Tensor(shape: [b.count, first.inputCount], scalars: w),
                          bias: Tensor(shape: [b.count], scalars: b))
    }
}
