extension Tensor {
    /// Front-to-back compositing weights (SPEC.md §1.4) of rays of sorted effective alphas `self` `[rays, S]`:
    /// `T₀ = 1`, `T_{i+1} = T_i·((1 − a_i) + 1e-10)`, `w_i = a_i·T_i` (float32, this grouping, as the
    /// inference compositor). Result `[rays, S]`.
    public func compositingWeights() throws -> Tensor {
        guard rank == 2 else {
            throw NumericsError.invalidArgument(operation: "compositingWeights", reason: "needs alphas [rays, samples], got \(shape)")
        }
        let (rays, samples) = (shape[0], shape[1])
        var out = Tensor.zeros(shape)
        withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { w in
                for r in 0..<rays {
                    var transmittance: Float = 1
                    for i in 0..<samples {
                        let alpha = a[r * samples + i]
                        w[r * samples + i] = alpha * transmittance
                        transmittance = transmittance * ((1 - alpha) + 1e-10)
                    }
                }
            }
        }
        return out
    }

    /// Gradient of `compositingWeights` with respect to the alphas `self`, for the weight gradient `gradient`
    /// (both `[rays, S]`). With the suffix sums `S_k = Σ_{i>k} g_i·a_i·Π_{k<j<i}((1 − a_j) + 1e-10)`
    /// (one backward scan, no division), `∂a_k = T_k·(g_k − S_k)`; accumulated in Double.
    public func compositingWeightsBackward(gradient: Tensor) throws -> Tensor {
        guard rank == 2 else {
            throw NumericsError.invalidArgument(operation: "compositingWeightsBackward", reason: "needs alphas [rays, samples], got \(shape)")
        }
        try gradient.checkShape(shape, "compositingWeightsBackward gradient")
        let (rays, samples) = (shape[0], shape[1])
        var out = Tensor.zeros(shape)
        var transmittance = [Double](repeating: 0, count: samples)
        withUnsafeBufferPointer { a in
            gradient.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer { ga in
                    for r in 0..<rays {
                        let base = r * samples
                        var t = 1.0
                        for i in 0..<samples {
                            transmittance[i] = t
                            t *= (1 - Double(a[base + i])) + 1e-10
                        }
                        var suffix = 0.0
                        for k in stride(from: samples - 1, through: 0, by: -1) {
                            ga[base + k] = Float(transmittance[k] * (Double(g[base + k]) - suffix))
                            let alpha = Double(a[base + k])
                            suffix = Double(g[base + k]) * alpha + ((1 - alpha) + 1e-10) * suffix
                        }
                    }
                }
            }
        }
        return out
    }

    /// Points `self` `[N, 3]` transformed by 4x4 matrices `[N, 4, 4]` (one per point) or `[4, 4]` (shared):
    /// `out[n, i] = M[i,0]·x + M[i,1]·y + M[i,2]·z + M[i,3]` for `i < 3` (the fourth row is ignored, as
    /// SPEC F6).
    public func transformedPoints(by matrices: Tensor) throws -> Tensor {
        let shared = try checkPointTransform(matrices, "transformedPoints")
        let n = shape[0]
        var out = Tensor.zeros([n, 3])
        withUnsafeBufferPointer { p in
            matrices.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { y in
                    for k in 0..<n {
                        let t = shared ? 0 : 16 * k
                        let x0 = p[3 * k], x1 = p[3 * k + 1], x2 = p[3 * k + 2]
                        for i in 0..<3 {
                            y[3 * k + i] = m[t + 4 * i] * x0 + m[t + 4 * i + 1] * x1 + m[t + 4 * i + 2] * x2 + m[t + 4 * i + 3]
                        }
                    }
                }
            }
        }
        return out
    }

    /// Gradients of `transformedPoints(by:)` for the output gradient `gradient` `[N, 3]`: points
    /// `∂p = M[0..<3, 0..<3]ᵀ·g`, matrices `∂M[i, j] = g_i·p_j` (`j < 3`), `∂M[i, 3] = g_i`, fourth row 0;
    /// a shared matrix sums over the points (in Double).
    public func transformedPointsBackward(by matrices: Tensor, gradient: Tensor) throws -> (points: Tensor, matrices: Tensor) {
        let shared = try checkPointTransform(matrices, "transformedPointsBackward")
        try gradient.checkShape(shape, "transformedPointsBackward gradient")
        let n = shape[0]
        var gp = Tensor.zeros(shape)
        var gm = [Double](repeating: 0, count: matrices.count)
        withUnsafeBufferPointer { p in
            matrices.withUnsafeBufferPointer { m in
                gradient.withUnsafeBufferPointer { g in
                    gp.withUnsafeMutableBufferPointer { dp in
                        for k in 0..<n {
                            let t = shared ? 0 : 16 * k
                            for j in 0..<3 {
                                dp[3 * k + j] = m[t + j] * g[3 * k] + m[t + 4 + j] * g[3 * k + 1] + m[t + 8 + j] * g[3 * k + 2]
                            }
                            for i in 0..<3 {
                                let gi = Double(g[3 * k + i])
                                for j in 0..<3 { gm[t + 4 * i + j] += gi * Double(p[3 * k + j]) }
                                gm[t + 4 * i + 3] += gi
                            }
                        }
                    }
                }
            }
        }
        return (gp, try Tensor(shape: matrices.shape, scalars: gm.map { Float($0) }))
    }

    /// True for a shared `[4, 4]` matrix, false for per-point `[N, 4, 4]`; throws otherwise.
    private func checkPointTransform(_ matrices: Tensor, _ operation: String) throws -> Bool {
        guard rank == 2, shape[1] == 3 else {
            throw NumericsError.invalidArgument(operation: operation, reason: "needs points [N, 3], got \(shape)")
        }
        if matrices.shape == [4, 4] { return true }
        try matrices.checkShape([shape[0], 4, 4], "\(operation) matrices for points \(shape)")
        return false
    }
}
