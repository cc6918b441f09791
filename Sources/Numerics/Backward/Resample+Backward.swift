extension Resample {
    /// Gradient of `linear`: adds `λ0·g` and `λ1·g` of every output back into its two source entries, for
    /// `planes` rows (`gradOutput` `[planes, axis.outCount]` into `gradInput` `[planes, axis.inCount]`).
    public static func linearBackward(gradOutput: UnsafePointer<Float>, planes: Int, axis: LinearResampleAxis,
                                      gradInput: UnsafeMutablePointer<Float>) {
        for p in 0..<planes {
            let dy = gradOutput + p * axis.outCount, dx = gradInput + p * axis.inCount
            for i in 0..<axis.outCount {
                dx[axis.index0[i]] += axis.lambda0[i] * dy[i]
                dx[axis.index1[i]] += axis.lambda1[i] * dy[i]
            }
        }
    }

    /// Gradient of `bilinear` (see `linearBackward`), over `planes` images.
    public static func bilinearBackward(gradOutput: UnsafePointer<Float>, planes: Int, rows: LinearResampleAxis,
                                        columns: LinearResampleAxis, gradInput: UnsafeMutablePointer<Float>) {
        let (hin, win, hout, wout) = (rows.inCount, columns.inCount, rows.outCount, columns.outCount)
        for p in 0..<planes {
            let dy = gradOutput + p * hout * wout, dx = gradInput + p * hin * win
            for y in 0..<hout {
                let r0 = dx + rows.index0[y] * win, r1 = dx + rows.index1[y] * win
                let lh0 = rows.lambda0[y], lh1 = rows.lambda1[y]
                for x in 0..<wout {
                    let gv = dy[y * wout + x]
                    let c0 = columns.index0[x], c1 = columns.index1[x]
                    let w0 = columns.lambda0[x] * gv, w1 = columns.lambda1[x] * gv
                    r0[c0] += lh0 * w0; r0[c1] += lh0 * w1
                    r1[c0] += lh1 * w0; r1[c1] += lh1 * w1
                }
            }
        }
    }

    /// Gradient of `trilinear` (see `linearBackward`), over `planes` volumes.
    public static func trilinearBackward(gradOutput: UnsafePointer<Float>, planes: Int, depth: LinearResampleAxis,
                                         rows: LinearResampleAxis, columns: LinearResampleAxis,
                                         gradInput: UnsafeMutablePointer<Float>) {
        let (din, hin, win) = (depth.inCount, rows.inCount, columns.inCount)
        let (dout, hout, wout) = (depth.outCount, rows.outCount, columns.outCount)
        for p in 0..<planes {
            let dy = gradOutput + p * dout * hout * wout, dx = gradInput + p * din * hin * win
            for t in 0..<dout {
                let s0 = dx + depth.index0[t] * hin * win, s1 = dx + depth.index1[t] * hin * win
                let lt0 = depth.lambda0[t], lt1 = depth.lambda1[t]
                for y in 0..<hout {
                    let h0 = rows.index0[y] * win, h1 = rows.index1[y] * win
                    let lh0 = rows.lambda0[y], lh1 = rows.lambda1[y]
                    for x in 0..<wout {
                        let gv = dy[(t * hout + y) * wout + x]
                        let a0 = columns.index0[x], a1 = columns.index1[x]
                        let w0 = columns.lambda0[x], w1 = columns.lambda1[x]
                        let near = lt0 * gv, far = lt1 * gv
                        s0[h0 + a0] += lh0 * w0 * near; s0[h0 + a1] += lh0 * w1 * near
                        s0[h1 + a0] += lh1 * w0 * near; s0[h1 + a1] += lh1 * w1 * near
                        s1[h0 + a0] += lh0 * w0 * far; s1[h0 + a1] += lh0 * w1 * far
                        s1[h1 + a0] += lh1 * w0 * far; s1[h1 + a1] += lh1 * w1 * far
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Gradient of a linear resize of the last `lastAxes` (1, 2 or 3) axes of a tensor of `inputShape`
    /// (`resizedLinear`, `resizedBilinear`, `resizedTrilinear` with the same `alignCorners`), for the output
    /// gradient `self` (the resized shape). Parallel over the leading-axes planes.
    public func resizeBackward(inputShape: [Int], lastAxes: Int, alignCorners: Bool) throws -> Tensor {
        let axes = rank
        guard axes == inputShape.count, (1...3).contains(lastAxes), lastAxes <= axes,
              shape[..<(axes - lastAxes)] == inputShape[..<(axes - lastAxes)] else {
            throw NumericsError.invalidArgument(operation: "resizeBackward",
                                                reason: "only the last \(lastAxes) axes (1 to 3) may differ: \(inputShape) -> \(shape)")
        }
        let leading = axes - lastAxes
        let specs = try (leading..<axes).map {
            try LinearResampleAxis(inCount: inputShape[$0], outCount: shape[$0], alignCorners: alignCorners)
        }
        return try resampled(outShape: inputShape, leading: leading) { dy, n, dx in
            switch specs.count {
            case 1: Resample.linearBackward(gradOutput: dy, planes: n, axis: specs[0], gradInput: dx)
            case 2: Resample.bilinearBackward(gradOutput: dy, planes: n, rows: specs[0], columns: specs[1], gradInput: dx)
            default: Resample.trilinearBackward(gradOutput: dy, planes: n, depth: specs[0], rows: specs[1],
                                                columns: specs[2], gradInput: dx)
            }
        }
    }
}
