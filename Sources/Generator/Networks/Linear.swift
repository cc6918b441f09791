import Numerics

/// A dense layer `y = x W^T + b` (PyTorch `Linear`): weight `[output, input]`, bias `[output]`.
///
/// `apply` evaluates it on a batch of rows `[rows, input] -> [rows, output]` into a caller-owned buffer,
/// allocating nothing: one GEMM followed by one pass adding the bias and applying the activation, or for at
/// most `DenseKernels.smallOutputLimit` outputs direct dot products.
public struct Linear: Sendable {
    /// `[output, input]`.
    public let weight: Tensor
    /// `[output]`.
    public let bias: Tensor
    /// Input width.
    public let inputCount: Int
    /// Output width.
    public let outputCount: Int
    /// `weight` transposed (`[input, output]`) for layers of at most `DenseKernels.smallInputLimit` inputs,
    /// which `apply` evaluates without a GEMM.
    let transposedWeight: Tensor?

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
        if inputCount > 0, inputCount <= DenseKernels.smallInputLimit, outputCount > DenseKernels.smallOutputLimit {
            let w = weight.scalars
            let (o, i) = (outputCount, inputCount)
            transposedWeight = try Tensor(shape: [i, o], scalars: (0..<(i * o)).map { w[($0 % o) * i + $0 / o] })
        } else {
            transposedWeight = nil
        }
    }

    /// `output[r, o] = activation(Σ_i input[r·inputStride + i]·W[o, i] + b[o])` for `r < rows`.
    /// `input` holds `rows` rows of `inputStride >= inputCount` floats (the first `inputCount` are used);
    /// `output` holds at least `rows·outputCount` floats, written densely.
    public func apply(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int? = nil,
                      into output: UnsafeMutableBufferPointer<Float>, activation: Activation = .none) {
        bias.withUnsafeBufferPointer { b in
            evaluate(input, rows: rows, inputStride: inputStride, bias: b.baseAddress, activation: activation, into: output)
        }
    }

    /// `output[r, o] = Σ_i input[r·inputStride + i]·W[o, i]` without the bias, for callers that add it in
    /// their next step: the same products (bit for bit) as `apply` computes before adding the bias.
    public func applyProduct(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int? = nil,
                             into output: UnsafeMutableBufferPointer<Float>) {
        evaluate(input, rows: rows, inputStride: inputStride, bias: nil, activation: .none, into: output)
    }

    /// The products, plus `bias` (`[outputCount]`) when given, then the activation. Paths by shape: at most
    /// `DenseKernels.smallInputLimit` inputs or `smallOutputLimit` outputs take direct kernels (a GEMM of
    /// such shapes is bound by its overhead or packs the whole input for a few dot products); the rest one
    /// GEMM, then bias and activation in one pass (the sum rounds as a GEMM accumulating onto the bias would).
    private func evaluate(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int?, bias: UnsafePointer<Float>?,
                          activation: Activation, into output: UnsafeMutableBufferPointer<Float>) {
        let lda = inputStride ?? inputCount
        precondition(lda >= inputCount, "Linear: input stride \(lda) < input width \(inputCount)")
        precondition(rows == 0 || input.count >= (rows - 1) * lda + inputCount,
                     "Linear: input buffer of \(input.count) floats for \(rows) rows of \(inputCount)")
        precondition(output.count >= rows * outputCount,
                     "Linear: output buffer of \(output.count) floats for \(rows) x \(outputCount)")
        guard rows > 0, outputCount > 0 else { return }
        let n = outputCount
        let out = output.baseAddress!
        guard inputCount > 0 else {
            for r in 0..<rows {
                if let bias { (out + r * n).update(from: bias, count: n) } else { (out + r * n).update(repeating: 0, count: n) }
            }
            activation.apply(UnsafeMutableBufferPointer(rebasing: output[0..<(rows * n)]))
            return
        }
        // The direct kernels always add a bias: without one, exact zeros (x + 0 = x).
        func withBias(_ body: (UnsafePointer<Float>) -> Void) {
            if let bias { return body(bias) }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { zeros in
                zeros.initialize(repeating: 0)
                body(UnsafePointer(zeros.baseAddress!))
            }
        }
        weight.withUnsafeBufferPointer { w in
            if let transposed = transposedWeight {
                transposed.withUnsafeBufferPointer { wt in
                    withBias { b in
                        DenseKernels.smallInputProduct(input.baseAddress!, rows: rows, k: inputCount, lda: lda,
                                                       weightTransposed: wt.baseAddress!, n: n, bias: b,
                                                       activation: activation.elementwise, output: out)
                    }
                }
            } else if n <= DenseKernels.smallOutputLimit {
                withBias { b in
                    DenseKernels.smallOutputProduct(input.baseAddress!, rows: rows, k: inputCount, lda: lda,
                                                    weight: w.baseAddress!, n: n, bias: b, output: out)
                }
                activation.apply(UnsafeMutableBufferPointer(rebasing: output[0..<(rows * n)]))
            } else {
                GEMM.sgemm(.none, .transposed, m: rows, n: n, k: inputCount,
                           a: input.baseAddress!, lda: lda, b: w.baseAddress!, ldb: inputCount,
                           beta: 0, c: out, ldc: n)
                if let bias {
                    DenseKernels.addBias(out, rows: rows, width: n, bias: bias, activation: activation.elementwise)
                } else {
                    activation.apply(UnsafeMutableBufferPointer(rebasing: output[0..<(rows * n)]))
                }
            }
        }
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
