extension Conv2D {
    /// Adds the im2col matrix `col` `[cg · k · k, rows.count · outWidth]` of one channel group back into the
    /// group's input gradient `[cg, height, width]` (the transpose of `im2col`; padding taps are dropped).
    static func col2imAdd(_ g: Conv2DGeometry, col: UnsafePointer<Float>, rows: Range<Int>,
                          into groupGradient: UnsafeMutablePointer<Float>) {
        forEachColumnRow(g, rows: rows) { column, source, xLo, xHi in
            guard let source, xHi > xLo else { return }
            let dst = groupGradient + source, src = col + column
            for x in xLo..<xHi { dst[x] += src[x] }
        }
    }

    /// Gradients of `forward` for `batch` images, accumulated (`+=`) into the non-nil outputs:
    /// - `gradInput` `[batch, inChannels, height, width]`: per tile and group `col = Wᵀ · g`, then col2im;
    /// - `gradWeight` `[outChannels, inChannels / groups, k, k]`: `g · im2col(x)ᵀ` per tile (GEMM, beta 1);
    /// - `gradBias` `[outChannels]`: sums of `g` per output channel.
    /// `gradOutput` is `[batch, outChannels, outHeight, outWidth]`. Tiles run one after another (BLAS uses its
    /// own threads); `scratch` needs `2 · g.scratchCount` floats, or nil to allocate them for this call.
    public static func backward(_ g: Conv2DGeometry, batch: Int, input: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                                gradBias: UnsafeMutablePointer<Float>?, scratch: UnsafeMutablePointer<Float>? = nil) {
        let cg = g.inChannels / g.groups, og = g.outChannels / g.groups
        let kk = cg * g.kernel * g.kernel, ow = g.outWidth, plane = g.outHeight * ow
        let owned: UnsafeMutablePointer<Float>? = scratch == nil && !g.isPointwise ? .allocate(capacity: 2 * g.scratchCount) : nil
        defer { owned?.deallocate() }
        let columns = scratch ?? owned, columnGradient = columns.map { $0 + g.scratchCount }
        if let gradBias {
            for image in 0..<batch {
                for o in 0..<g.outChannels {
                    let row = gradOutput + image * g.outputCount + o * plane
                    var total: Float = 0
                    for i in 0..<plane { total += row[i] }
                    gradBias[o] += total
                }
            }
        }
        guard gradInput != nil || gradWeight != nil else { return }
        for image in 0..<batch {
            let x = input + image * g.inputCount, dy = gradOutput + image * g.outputCount
            for tile in 0..<g.tileCount {
                let r0 = tile * g.tileRows, r1 = min(g.outHeight, r0 + g.tileRows)
                let n = (r1 - r0) * ow
                for group in 0..<g.groups {
                    let groupInput = x + group * cg * g.height * g.width
                    let dyGroup = dy + group * og * plane + r0 * ow
                    let w = weight + group * og * kk
                    if g.isPointwise {
                        if let gradWeight {
                            GEMM.sgemm(.none, .transposed, m: og, n: kk, k: n, a: dyGroup, lda: plane,
                                       b: groupInput + r0 * g.width, ldb: g.height * g.width,
                                       beta: 1, c: gradWeight + group * og * kk, ldc: kk)
                        }
                        if let gradInput {
                            GEMM.sgemm(.transposed, .none, m: kk, n: n, k: og, a: w, lda: kk, b: dyGroup, ldb: plane,
                                       beta: 1, c: gradInput + image * g.inputCount + group * cg * g.height * g.width + r0 * g.width,
                                       ldc: g.height * g.width)
                        }
                        continue
                    }
                    guard let columns, let columnGradient else { preconditionFailure("Conv2D.backward: scratch needed") }
                    if let gradWeight {
                        im2col(g, groupInput: groupInput, rows: r0..<r1, into: columns)
                        GEMM.sgemm(.none, .transposed, m: og, n: kk, k: n, a: dyGroup, lda: plane, b: columns, ldb: n,
                                   beta: 1, c: gradWeight + group * og * kk, ldc: kk)
                    }
                    if let gradInput {
                        GEMM.sgemm(.transposed, .none, m: kk, n: n, k: og, a: w, lda: kk, b: dyGroup, ldb: plane,
                                   beta: 0, c: columnGradient, ldc: n)
                        col2imAdd(g, col: columnGradient, rows: r0..<r1,
                                  into: gradInput + image * g.inputCount + group * cg * g.height * g.width)
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Gradients of `conv2d` (same arguments) for the output gradient `gradient`
    /// `[N, O, outHeight, outWidth]`: input `[N, C, H, W]`, weight `[O, C / groups, k, k]`, bias `[O]`
    /// (each nil unless requested).
    public func conv2dBackward(weight: Tensor, padding: Int? = nil, groups: Int = 1, gradient: Tensor,
                               input wantInput: Bool, weight wantWeight: Bool, bias wantBias: Bool) throws
        -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let g = try conv2dGeometry(weight: weight, padding: padding, groups: groups, operation: "conv2dBackward")
        try gradient.checkShape([shape[0], g.outChannels, g.outHeight, g.outWidth], "conv2dBackward output gradient")
        var gx: Tensor? = wantInput ? Tensor.zeros(shape) : nil
        var gw: Tensor? = wantWeight ? Tensor.zeros(weight.shape) : nil
        var gb: Tensor? = wantBias ? Tensor.zeros([g.outChannels]) : nil
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                gradient.withUnsafeBufferPointer { dy in
                    gx.withOptionalMutablePointer { gxp in
                        gw.withOptionalMutablePointer { gwp in
                            gb.withOptionalMutablePointer { gbp in
                                guard let xp = x.baseAddress, let wp = w.baseAddress, let dyp = dy.baseAddress else { return }
                                Conv2D.backward(g, batch: shape[0], input: xp, weight: wp, gradOutput: dyp,
                                                gradInput: gxp, gradWeight: gwp, gradBias: gbp)
                            }
                        }
                    }
                }
            }
        }
        return (gx, gw, gb)
    }
}

extension Optional where Wrapped == Tensor {
    /// Calls `body` with the wrapped tensor's mutable base address, or nil when there is no tensor.
    mutating func withOptionalMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>?) throws -> R) rethrows -> R {
        guard var tensor = self else { return try body(nil) }
        self = nil
        defer { self = tensor }
        return try tensor.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
    }
}
