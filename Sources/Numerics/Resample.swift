/// The two interpolation taps of every output index along one axis of a linear resize (PyTorch
/// `interpolate(mode="linear" | "bilinear" | "trilinear")`, SPEC.md A.3, A.4, A.7).
///
/// Source position of output `i`, float32:
/// - `alignCorners`: `scale = (in − 1) / (out − 1)` (0 when `out == 1`), `src = scale · i`;
/// - otherwise: `scale = in / out`, `src = max(0, scale · (i + 0.5) − 0.5)`.
///
/// Then `i0 = min(floor(src), in − 1)`, `i1 = i0 + (i0 < in − 1 ? 1 : 0)`, `λ1 = clamp(src − i0, 0, 1)`,
/// `λ0 = 1 − λ1`, and the value is `λ0·x[i0] + λ1·x[i1]`.
public struct LinearResampleAxis: Sendable, Equatable {
    public let inCount: Int
    public let outCount: Int
    public let alignCorners: Bool
    /// Per output index: first and second source index, and their weights.
    public let index0: [Int]
    public let index1: [Int]
    public let lambda0: [Float]
    public let lambda1: [Float]

    public init(inCount: Int, outCount: Int, alignCorners: Bool) throws {
        guard inCount > 0, outCount > 0 else {
            throw NumericsError.invalidArgument(operation: "resample",
                                                reason: "axis sizes must be positive, got \(inCount) -> \(outCount)")
        }
        self.inCount = inCount
        self.outCount = outCount
        self.alignCorners = alignCorners
        let scale: Float = alignCorners
            ? (outCount > 1 ? Float(inCount - 1) / Float(outCount - 1) : 0)
            : Float(inCount) / Float(outCount)
        var i0s = [Int](), i1s = [Int](), l0s = [Float](), l1s = [Float]()
        i0s.reserveCapacity(outCount); i1s.reserveCapacity(outCount)
        l0s.reserveCapacity(outCount); l1s.reserveCapacity(outCount)
        for i in 0..<outCount {
            var src: Float
            if alignCorners {
                src = scale * Float(i)
            } else {
                src = scale * (Float(i) + 0.5) - 0.5
                if src < 0 { src = 0 }
            }
            let i0 = min(Int(src.rounded(.down)), inCount - 1)
            let l1 = min(max(src - Float(i0), 0), 1)
            i0s.append(i0)
            i1s.append(i0 + (i0 < inCount - 1 ? 1 : 0))
            l0s.append(1 - l1)
            l1s.append(l1)
        }
        index0 = i0s; index1 = i1s; lambda0 = l0s; lambda1 = l1s
    }
}

/// Linear, bilinear and trilinear resizing with PyTorch semantics over contiguous planes.
public enum Resample {
    /// Resizes `planes` rows `[planes, axis.inCount]` to `[planes, axis.outCount]` (along the last axis).
    public static func linear(input: UnsafePointer<Float>, planes: Int, axis: LinearResampleAxis,
                              output: UnsafeMutablePointer<Float>) {
        axis.index0.withUnsafeBufferPointer { i0 in axis.index1.withUnsafeBufferPointer { i1 in
        axis.lambda0.withUnsafeBufferPointer { l0 in axis.lambda1.withUnsafeBufferPointer { l1 in
            for p in 0..<planes {
                let src = input + p * axis.inCount, dst = output + p * axis.outCount
                for i in 0..<axis.outCount {
                    dst[i] = l0[i] * src[i0[i]] + l1[i] * src[i1[i]]
                }
            }
        } } } }
    }

    /// Resizes `planes` images `[planes, rows.inCount, columns.inCount]` to `[planes, rows.outCount,
    /// columns.outCount]`: `λh0·(λw0·x[h0,w0] + λw1·x[h0,w1]) + λh1·(λw0·x[h1,w0] + λw1·x[h1,w1])`.
    public static func bilinear(input: UnsafePointer<Float>, planes: Int, rows: LinearResampleAxis,
                                columns: LinearResampleAxis, output: UnsafeMutablePointer<Float>) {
        let (hin, win, hout, wout) = (rows.inCount, columns.inCount, rows.outCount, columns.outCount)
        for p in 0..<planes {
            let src = input + p * hin * win, dst = output + p * hout * wout
            for y in 0..<hout {
                let r0 = src + rows.index0[y] * win, r1 = src + rows.index1[y] * win
                let lh0 = rows.lambda0[y], lh1 = rows.lambda1[y]
                let out = dst + y * wout
                columns.index0.withUnsafeBufferPointer { c0 in columns.index1.withUnsafeBufferPointer { c1 in
                columns.lambda0.withUnsafeBufferPointer { lw0 in columns.lambda1.withUnsafeBufferPointer { lw1 in
                    for x in 0..<wout {
                        let top = lw0[x] * r0[c0[x]] + lw1[x] * r0[c1[x]]
                        let bottom = lw0[x] * r1[c0[x]] + lw1[x] * r1[c1[x]]
                        out[x] = lh0 * top + lh1 * bottom
                    }
                } } } }
            }
        }
    }

    /// Resizes `planes` volumes `[planes, depth.inCount, rows.inCount, columns.inCount]` to the axes' output
    /// sizes: `λt0·(bilinear at t0) + λt1·(bilinear at t1)` with the bilinear order of `bilinear`.
    public static func trilinear(input: UnsafePointer<Float>, planes: Int, depth: LinearResampleAxis,
                                 rows: LinearResampleAxis, columns: LinearResampleAxis,
                                 output: UnsafeMutablePointer<Float>) {
        let (din, hin, win) = (depth.inCount, rows.inCount, columns.inCount)
        let (dout, hout, wout) = (depth.outCount, rows.outCount, columns.outCount)
        columns.index0.withUnsafeBufferPointer { c0 in columns.index1.withUnsafeBufferPointer { c1 in
        columns.lambda0.withUnsafeBufferPointer { lw0 in columns.lambda1.withUnsafeBufferPointer { lw1 in
            for p in 0..<planes {
                let src = input + p * din * hin * win, dst = output + p * dout * hout * wout
                for t in 0..<dout {
                    let s0 = src + depth.index0[t] * hin * win, s1 = src + depth.index1[t] * hin * win
                    let lt0 = depth.lambda0[t], lt1 = depth.lambda1[t]
                    for y in 0..<hout {
                        let h0 = rows.index0[y] * win, h1 = rows.index1[y] * win
                        let lh0 = rows.lambda0[y], lh1 = rows.lambda1[y]
                        let out = dst + (t * hout + y) * wout
                        for x in 0..<wout {
                            let a0 = c0[x], a1 = c1[x], w0 = lw0[x], w1 = lw1[x]
                            let near = lh0 * (w0 * s0[h0 + a0] + w1 * s0[h0 + a1])
                                + lh1 * (w0 * s0[h1 + a0] + w1 * s0[h1 + a1])
                            let far = lh0 * (w0 * s1[h0 + a0] + w1 * s1[h0 + a1])
                                + lh1 * (w0 * s1[h1 + a0] + w1 * s1[h1 + a1])
                            out[x] = lt0 * near + lt1 * far
                        }
                    }
                }
            }
        } } } }
    }
}

extension Tensor {
    /// Linear resize of the last axis to `size` (PyTorch `interpolate(mode="linear")` on `[N, C, L]`; any
    /// rank >= 1, leading axes are independent rows).
    public func resizedLinear(size: Int, alignCorners: Bool) throws -> Tensor {
        guard rank >= 1 else {
            throw NumericsError.invalidArgument(operation: "resizedLinear", reason: "needs rank >= 1, got \(shape)")
        }
        let axis = try LinearResampleAxis(inCount: shape[rank - 1], outCount: size, alignCorners: alignCorners)
        var outShape = shape
        outShape[rank - 1] = size
        return try resampled(outShape: outShape, leading: rank - 1) { x, planes, y in
            Resample.linear(input: x, planes: planes, axis: axis, output: y)
        }
    }

    /// Bilinear resize of the last two axes to `height x width` (PyTorch `interpolate(mode="bilinear")` on
    /// `[N, C, H, W]`; any rank >= 2).
    public func resizedBilinear(height: Int, width: Int, alignCorners: Bool) throws -> Tensor {
        guard rank >= 2 else {
            throw NumericsError.invalidArgument(operation: "resizedBilinear", reason: "needs rank >= 2, got \(shape)")
        }
        let rows = try LinearResampleAxis(inCount: shape[rank - 2], outCount: height, alignCorners: alignCorners)
        let columns = try LinearResampleAxis(inCount: shape[rank - 1], outCount: width, alignCorners: alignCorners)
        var outShape = shape
        outShape[rank - 2] = height
        outShape[rank - 1] = width
        return try resampled(outShape: outShape, leading: rank - 2) { x, planes, y in
            Resample.bilinear(input: x, planes: planes, rows: rows, columns: columns, output: y)
        }
    }

    /// Trilinear resize of the last three axes to `depth x height x width` (PyTorch
    /// `interpolate(mode="trilinear")` on `[N, C, D, H, W]`; any rank >= 3).
    public func resizedTrilinear(depth: Int, height: Int, width: Int, alignCorners: Bool) throws -> Tensor {
        guard rank >= 3 else {
            throw NumericsError.invalidArgument(operation: "resizedTrilinear", reason: "needs rank >= 3, got \(shape)")
        }
        let d = try LinearResampleAxis(inCount: shape[rank - 3], outCount: depth, alignCorners: alignCorners)
        let rows = try LinearResampleAxis(inCount: shape[rank - 2], outCount: height, alignCorners: alignCorners)
        let columns = try LinearResampleAxis(inCount: shape[rank - 1], outCount: width, alignCorners: alignCorners)
        var outShape = shape
        outShape[rank - 3] = depth
        outShape[rank - 2] = height
        outShape[rank - 1] = width
        return try resampled(outShape: outShape, leading: rank - 3) { x, planes, y in
            Resample.trilinear(input: x, planes: planes, depth: d, rows: rows, columns: columns, output: y)
        }
    }

    /// Runs `body(input, planes, output)` over the leading-axes planes (`leading` axes, the same in `outShape`)
    /// into a new zero tensor of `outShape`, split over the workers (planes are independent). The resizes and
    /// their gradients (`resizeBackward`) share it.
    func resampled(outShape: [Int], leading: Int,
                           _ body: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void) throws -> Tensor {
        let planes = shape[0..<leading].reduce(1, *)
        var out = try Tensor(shape: outShape)
        guard planes > 0, count > 0, out.count > 0 else { return out }
        let inPlane = count / planes, outPlane = out.count / planes
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                guard let xp = x.baseAddress, let yp = y.baseAddress else { return }
                let chunks = min(planes, 4 * Parallel.workerCount)
                let perChunk = (planes + chunks - 1) / chunks
                Parallel.forEach((planes + perChunk - 1) / perChunk) { chunk in
                    let p0 = chunk * perChunk, n = min(perChunk, planes - p0)
                    body(xp + p0 * inPlane, n, yp + p0 * outPlane)
                }
            }
        }
        return out
    }
}
