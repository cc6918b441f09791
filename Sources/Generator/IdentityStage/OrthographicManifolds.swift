import ModelIO
import Numerics

/// The orthographic level-field pass of the identity stage (SPEC I4-I6): the sample grid, the level
/// field on it and the crossing search (variant A). It has no latent input, so its result is the same
/// for every identity of a model.
public enum OrthographicManifolds {
    /// SAMPLE_CENTER `c` (float64 constant of the release).
    public static let sampleCenter: Double = -0.02830771
    /// SAMPLE_SCALE `a`.
    public static let sampleScale: Double = 0.22
    /// Interpolation threshold on `|s_h − s_l|` of the crossing searches.
    public static let flatThreshold: Float = 0.05
    /// Points per tile of the level-field evaluation.
    static let tileRows = 2048

    /// The grid axes (SPEC I4): `xs` (columns, world x), `ys` (rows, world y, row 0 lowest) over
    /// `lr_img_size` values, and `ts` (`num_samples` values from 0.8 to 1.2; z = 1 − t).
    public static func axes(_ c: GeneratorConfiguration) -> (xs: [Float], ys: [Float], ts: [Float]) {
        let h = c.lrImageSize
        let ys = linspace(Float(-sampleScale + sampleCenter), Float(sampleScale + sampleCenter), h)
        let xs = linspace(Float(-sampleScale), Float(sampleScale), h)
        let ts = linspace(0.8, 1.2, c.numSamples)
        return (xs, ys, ts)
    }

    /// The level values `linspace(levels_start, levels_end, M)`.
    public static func levels(_ c: GeneratorConfiguration) -> [Float] {
        linspace(Float(c.levelsStart), Float(c.levelsEnd), c.numManifolds)
    }

    /// The level field `s[p, n]` on the orthographic grid, `[HL·HL, num_samples]` (SPEC I5): the sample
    /// net at `(P·k)·k − (0, 0, −1.5)` with `P[p, n] = (xs[j], ys[i], 1 − ts[n])`.
    /// `isCancelled` is polled between tiles; a cancelled call throws `CancellationError`.
    public static func levelField(sampleNet: SampleNet, configuration c: GeneratorConfiguration,
                                  isCancelled: (@Sendable () -> Bool)? = nil) throws -> Tensor {
        let (xs, ys, ts) = axes(c)
        let hl = c.lrImageSize
        let n = c.numSamples
        let total = hl * hl * n
        var s = Tensor.zeros([hl * hl, n])
        let tile = tileRows
        let scratchCount = tile * 3 + sampleNet.scratchCount(rows: tile)
        try s.withUnsafeMutableBufferPointer { out in
            try Tiling.forEachTile(count: total, tile: tile, scratchCount: scratchCount, isCancelled: isCancelled) { range, scratch in
                let inputs = UnsafeMutableBufferPointer(rebasing: scratch[0..<(range.count * 3)])
                let work = UnsafeMutableBufferPointer(rebasing: scratch[(tile * 3)...])
                for (r, index) in range.enumerated() {
                    let p = index / n
                    let sample = index - p * n
                    let point = SIMD3<Float>(xs[p % hl], ys[p / hl], 1 - ts[sample])
                    let q = point * SampleNet.warp
                    let g = SampleNet.input(warpedOnce: q)
                    inputs[3 * r] = g.x
                    inputs[3 * r + 1] = g.y
                    inputs[3 * r + 2] = g.z
                }
                sampleNet.evaluate(UnsafeBufferPointer(inputs), rows: range.count, scratch: work,
                                   into: UnsafeMutableBufferPointer(rebasing: out[range]))
            }
        }
        return s
    }

    /// The crossing search, variant A (SPEC I6), on a level field `s` `[HL·HL, N]`: per pixel and level,
    /// the first interval whose ends strictly straddle the level (either direction), the interpolated
    /// once-warped point (or `x_h`) and the validity (downward crossings only).
    public static func intersections(levelField s: Tensor, configuration c: GeneratorConfiguration) throws -> ManifoldIntersections {
        let (xs, ys, ts) = axes(c)
        let hl = c.lrImageSize
        let n = c.numSamples
        let pixels = hl * hl
        let levels = levels(c)
        let m = levels.count
        let cost = linspace(Float(n - 1), 0, n - 1)
        var warped = Tensor.zeros([pixels, m, 3])
        var validity = Tensor.zeros([pixels, m])
        let k = SampleNet.warp
        let zs = ts.map { (1 - $0) * k }
        try warped.withUnsafeMutableBufferPointer { xOut in
            try validity.withUnsafeMutableBufferPointer { vOut in
                try s.withUnsafeBufferPointer { field in
                    let rowsPerTile = 64
                    try Tiling.forEachTile(count: pixels, tile: rowsPerTile, scratchCount: 0) { range, _ in
                        for p in range {
                            let qx = xs[p % hl] * k
                            let qy = ys[p / hl] * k
                            let base = p * n
                            for (mi, l) in levels.enumerated() {
                                var best = -Float.infinity
                                var idx = 0
                                for q in 0..<(n - 1) {
                                    let sl = field[base + q]
                                    let sh = field[base + q + 1]
                                    let product = (sh - l) * (l - sl)
                                    let sign: Float = product > 0 ? 1 : (product < 0 ? -1 : 0)
                                    let r = sign * cost[q]
                                    if r > best {
                                        best = r
                                        idx = q
                                    }
                                }
                                let sl = field[base + idx]
                                let sh = field[base + idx + 1]
                                let downward = (sh - l) <= 0 && (l - sl) <= 0
                                let big = abs(sh - sl) > flatThreshold
                                let zl = zs[idx]
                                let zh = zs[idx + 1]
                                let out = (p * m + mi) * 3
                                if downward && big {
                                    let wl = sh - l
                                    let wh = l - sl
                                    let den = sh - sl
                                    xOut[out] = (wl * qx + wh * qx) / den
                                    xOut[out + 1] = (wl * qy + wh * qy) / den
                                    xOut[out + 2] = (wl * zl + wh * zh) / den
                                } else {
                                    xOut[out] = qx
                                    xOut[out + 1] = qy
                                    xOut[out + 2] = zh
                                }
                                vOut[p * m + mi] = downward ? 1 : 0
                            }
                        }
                    }
                }
            }
        }
        return ManifoldIntersections(consistentWarped: warped, validity: validity)
    }
}
