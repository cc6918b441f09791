import Foundation

extension Tensor {
    /// The FiLM-SIREN activation on per-item rows: `x` `[items, rows, width]` (any shape whose count is
    /// `items · rows · width`, the last axis `width`), `frequencies` and `phases` `[items, width]`;
    /// `y[b, r, j] = sin(x[b, r, j] · f[b, j] + φ[b, j])` with the rounding of `VectorMath.filmSin`.
    public func filmSine(frequencies: Tensor, phases: Tensor) throws -> Tensor {
        let (items, rows, width) = try filmLayout(frequencies: frequencies, phases: phases)
        var out = self
        out.withUnsafeMutableBufferPointer { y in
            frequencies.withUnsafeBufferPointer { f in
                phases.withUnsafeBufferPointer { p in
                    guard let yp = y.baseAddress, let fp = f.baseAddress, let pp = p.baseAddress else { return }
                    for b in 0..<items {
                        let block = yp + b * rows * width
                        VectorMath.filmSinParallel(block, block, rows: rows, width: width,
                                                   frequencies: fp + b * width, phases: pp + b * width)
                    }
                }
            }
        }
        return out
    }

    /// Vector-Jacobian products of `filmSine` for the output gradient `gradient` (shape of `self`):
    /// with `c = cos(x·f + φ)`, `∂x = g·c·f`, `∂f[b, j] = Σ_r g·c·x`, `∂φ[b, j] = Σ_r g·c`
    /// (the sums accumulated in Double).
    public func filmSineBackward(frequencies: Tensor, phases: Tensor, gradient: Tensor) throws
        -> (input: Tensor, frequencies: Tensor, phases: Tensor) {
        let (items, rows, width) = try filmLayout(frequencies: frequencies, phases: phases)
        try gradient.checkShape(shape, "filmSineBackward gradient")
        var gx = Tensor.zeros(shape)
        var gfDouble = [Double](repeating: 0, count: items * width)
        var gpDouble = [Double](repeating: 0, count: items * width)
        withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                frequencies.withUnsafeBufferPointer { f in
                    phases.withUnsafeBufferPointer { p in
                        gx.withUnsafeMutableBufferPointer { dx in
                            for b in 0..<items {
                                for r in 0..<rows {
                                    let base = (b * rows + r) * width
                                    for j in 0..<width {
                                        let fj = f[b * width + j]
                                        let product = x[base + j] * fj
                                        let c = Foundation.cos(product + p[b * width + j])
                                        let gc = g[base + j] * c
                                        dx[base + j] = gc * fj
                                        gfDouble[b * width + j] += Double(gc * x[base + j])
                                        gpDouble[b * width + j] += Double(gc)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gx, try Tensor(shape: frequencies.shape, scalars: gfDouble.map { Float($0) }),
                try Tensor(shape: phases.shape, scalars: gpDouble.map { Float($0) }))
    }

    private func filmLayout(frequencies: Tensor, phases: Tensor) throws -> (items: Int, rows: Int, width: Int) {
        guard frequencies.rank == 2, phases.shape == frequencies.shape, let width = shape.last,
              width == frequencies.shape[1], frequencies.shape[0] > 0, width > 0,
              count % (frequencies.shape[0] * width) == 0 else {
            throw NumericsError.invalidArgument(
                operation: "filmSine",
                reason: "needs x [items, rows, width] with frequencies and phases [items, width], got \(shape), \(frequencies.shape), \(phases.shape)")
        }
        let items = frequencies.shape[0]
        return (items, count / (items * width), width)
    }
}
