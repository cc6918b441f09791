/// The crossing search of SPEC.md F10 on a batch of rays, with the interpolation as a differentiable map of
/// the level field and the interpolated values.
///
/// Per ray `r` and level `l_m`: `idx` = the first interval `q` (nearest the camera) with
/// `s[q+1] − l ≤ 0` and `l − s[q] ≤ 0`, else the last interval; `valid` = that condition at `idx`;
/// the intersection of values `A` is `((s_h − l)·A[idx] + (l − s_l)·A[idx+1]) / (s_h − s_l)` when valid and
/// `|s_h − s_l| > 0.05`, else `A[idx+1]` (`s_l = s[idx]`, `s_h = s[idx+1]`). The interval choice is
/// piecewise constant (no gradient); the interpolation is differentiable in `s` and `A`.
public struct LevelCrossings: Sendable, Equatable {
    /// `|s_h − s_l|` above which the intersection is interpolated.
    public static let interpolationThreshold: Float = 0.05

    public let rays: Int
    /// Samples per ray (`K ≥ 2`).
    public let samples: Int
    /// The levels, in order.
    public let levels: [Float]
    /// Per `(ray, level)` (ray-major): the interval index `idx`.
    public let index: [Int]
    /// Per `(ray, level)`: the crossing condition at `idx`.
    public let isValid: [Bool]
    /// Per `(ray, level)`: whether the value is interpolated (valid and `|s_h − s_l| > 0.05`).
    public let interpolates: [Bool]

    /// Finds the crossings of `levels` along every ray of the level field `levelField` `[rays, K]`.
    public init(levelField: Tensor, levels: [Float]) throws {
        guard levelField.rank == 2, levelField.shape[1] >= 2 else {
            throw NumericsError.invalidArgument(operation: "LevelCrossings", reason: "needs a level field [rays, K >= 2], got \(levelField.shape)")
        }
        let (rays, k) = (levelField.shape[0], levelField.shape[1])
        let m = levels.count
        var index = [Int](repeating: 0, count: rays * m)
        var valid = [Bool](repeating: false, count: rays * m)
        var interpolates = [Bool](repeating: false, count: rays * m)
        levelField.withUnsafeBufferPointer { s in
            for r in 0..<rays {
                let row = r * k
                for (j, l) in levels.enumerated() {
                    var idx = k - 2
                    for q in 0..<(k - 2) where s[row + q + 1] - l <= 0 && l - s[row + q] <= 0 {
                        idx = q
                        break
                    }
                    let sl = s[row + idx], sh = s[row + idx + 1]
                    let cond = sh - l <= 0 && l - sl <= 0
                    index[r * m + j] = idx
                    valid[r * m + j] = cond
                    interpolates[r * m + j] = cond && abs(sh - sl) > LevelCrossings.interpolationThreshold
                }
            }
        }
        self.rays = rays
        samples = k
        self.levels = levels
        self.index = index
        isValid = valid
        self.interpolates = interpolates
    }

    /// `valid` as 0/1 `[rays, levels]`.
    public var validMask: Tensor {
        Tensor.zeros([rays, levels.count]).replacingScalars(isValid.map { $0 ? 1 : 0 })
    }

    /// The intersections of `values` `[rays, K, C]` → `[rays, levels, C]` (float32, the grouping of the
    /// inference crossing search: `(a + b) / (s_h − s_l)`).
    public func interpolate(values: Tensor, levelField: Tensor) throws -> Tensor {
        let c = try checkShapes(values: values, levelField: levelField, "LevelCrossings.interpolate")
        let m = levels.count
        var out = Tensor.zeros([rays, m, c])
        values.withUnsafeBufferPointer { a in
            levelField.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { y in
                    for r in 0..<rays {
                        for j in 0..<m {
                            let e = r * m + j, idx = index[e]
                            let low = (r * samples + idx) * c, high = low + c
                            let dst = (r * m + j) * c
                            if interpolates[e] {
                                let sl = s[r * samples + idx], sh = s[r * samples + idx + 1], l = levels[j]
                                for ch in 0..<c {
                                    let x = (sh - l) * a[low + ch], z = (l - sl) * a[high + ch]
                                    y[dst + ch] = (x + z) / (sh - sl)
                                }
                            } else {
                                for ch in 0..<c { y[dst + ch] = a[high + ch] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Gradients of `interpolate` for the output gradient `gradient` `[rays, levels, C]`: values
    /// `∂A_l += g·(s_h − l)/den`, `∂A_h += g·(l − s_l)/den` (or `∂A_h += g` when not interpolating) and the
    /// level field `∂s_h += Σ_c g·(A_l − out)/den`, `∂s_l += Σ_c g·(out − A_h)/den` (`den = s_h − s_l`).
    public func interpolateBackward(values: Tensor, levelField: Tensor, gradient: Tensor) throws
        -> (values: Tensor, levelField: Tensor) {
        let c = try checkShapes(values: values, levelField: levelField, "LevelCrossings.interpolateBackward")
        let m = levels.count
        try gradient.checkShape([rays, m, c], "LevelCrossings.interpolateBackward gradient")
        var ga = Tensor.zeros(values.shape), gs = Tensor.zeros(levelField.shape)
        values.withUnsafeBufferPointer { a in
            levelField.withUnsafeBufferPointer { s in
                gradient.withUnsafeBufferPointer { g in
                    ga.withUnsafeMutableBufferPointer { da in
                        gs.withUnsafeMutableBufferPointer { ds in
                            for r in 0..<rays {
                                for j in 0..<m {
                                    let e = r * m + j, idx = index[e]
                                    let low = (r * samples + idx) * c, high = low + c
                                    let src = (r * m + j) * c
                                    guard interpolates[e] else {
                                        for ch in 0..<c { da[high + ch] += g[src + ch] }
                                        continue
                                    }
                                    let sl = s[r * samples + idx], sh = s[r * samples + idx + 1], l = levels[j]
                                    let den = sh - sl
                                    var dsh: Float = 0, dsl: Float = 0
                                    for ch in 0..<c {
                                        let gv = g[src + ch], al = a[low + ch], ah = a[high + ch]
                                        let out = ((sh - l) * al + (l - sl) * ah) / den
                                        da[low + ch] += gv * (sh - l) / den
                                        da[high + ch] += gv * (l - sl) / den
                                        dsh += gv * (al - out) / den
                                        dsl += gv * (out - ah) / den
                                    }
                                    ds[r * samples + idx + 1] += dsh
                                    ds[r * samples + idx] += dsl
                                }
                            }
                        }
                    }
                }
            }
        }
        return (ga, gs)
    }

    private func checkShapes(values: Tensor, levelField: Tensor, _ operation: String) throws -> Int {
        try levelField.checkShape([rays, samples], "\(operation) level field")
        guard values.rank == 3, values.shape[0] == rays, values.shape[1] == samples else {
            throw NumericsError.shapeMismatch(operation: "\(operation) values [rays, K, C]", got: values.shape, expected: [rays, samples, -1])
        }
        return values.shape[2]
    }
}

extension Tensor {
    /// This tensor's shape holding `scalars` (count must match; a programmer error otherwise).
    func replacingScalars(_ scalars: [Float]) -> Tensor {
        precondition(scalars.count == count, "replacingScalars: \(scalars.count) values for \(shape)")
        var out = self
        out.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] = scalars[i] } }
        return out
    }
}
