import Numerics

/// A FiLM-SIREN layer (SPEC §2.0): `y = sin(f ⊙ (x W^T + b) + φ)`, evaluated in this order with every
/// step rounded to Float32: linear with bias, multiply by `f`, add `φ`, `sin`.
///
/// `f` and `φ` are per-item vectors of length `output`, broadcast over all rows. The frequencies passed
/// here are the final ones (the mapping output already transformed by `·15 + 30`).
public struct FiLMLayer: Sendable {
    /// The linear part (`.layer` in the checkpoint).
    public let linear: Linear

    public init(linear: Linear) { self.linear = linear }

    /// Input width.
    public var inputCount: Int { linear.inputCount }
    /// Output width.
    public var outputCount: Int { linear.outputCount }

    /// Evaluates the layer on `rows` rows of `input` (`[rows, inputStride]`, first `inputCount` used)
    /// into `output` `[rows, outputCount]`; `frequencies` and `phases` hold `outputCount` values each.
    public func apply(_ input: UnsafeBufferPointer<Float>, rows: Int, inputStride: Int? = nil,
                      frequencies: UnsafeBufferPointer<Float>, phases: UnsafeBufferPointer<Float>,
                      into output: UnsafeMutableBufferPointer<Float>) {
        precondition(frequencies.count >= outputCount && phases.count >= outputCount && output.count >= rows * outputCount,
                     "FiLMLayer.apply: buffers too small for \(rows) x \(outputCount)")
        linear.applyProduct(input, rows: rows, inputStride: inputStride, into: output)
        guard rows > 0, outputCount > 0 else { return }
        // Bias, frequency, phase and sine in one pass: the same roundings as linear-with-bias then `modulate`.
        linear.bias.withUnsafeBufferPointer { b in
            DenseKernels.filmSin(output.baseAddress!, rows: rows, width: outputCount, bias: b.baseAddress!,
                                 frequencies: frequencies.baseAddress!, phases: phases.baseAddress!)
        }
    }

    /// In place: `y[r, o] = sin(y[r, o]·f[o] + φ[o])` for `r < rows`, `o < width` (product and sum each
    /// rounded to float32, then the vectorised `sin` of Numerics).
    public static func modulate(_ y: UnsafeMutableBufferPointer<Float>, rows: Int, width: Int,
                                frequencies: UnsafeBufferPointer<Float>, phases: UnsafeBufferPointer<Float>) {
        precondition(frequencies.count >= width && phases.count >= width && y.count >= rows * width,
                     "FiLMLayer.modulate: buffers too small for \(rows) x \(width)")
        guard rows > 0, width > 0, let base = y.baseAddress else { return }
        VectorMath.filmSin(base, base, rows: rows, width: width,
                           frequencies: frequencies.baseAddress!, phases: phases.baseAddress!)
    }
}
