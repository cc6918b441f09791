import Generator
import ModelIO
import Numerics

/// The constant part of the identity stage's crossing search (SPEC I6, variant A) on a level-field value
/// `[HL², N_o]`: per (pixel, level) the interval, the validity, the interpolation mask and the constants of
/// `z = z_h + mask·(z_l − z_h)·(s_h − l)/(s_h − s_l)` (once-warped z; x and y are the pixel's, computed with
/// the inference's literal expression).
struct OrthographicCrossings {
    /// Interval index per (pixel, level), pixel-major.
    let index: [Int]
    /// `[HL², M]`: 1 where the intersection is interpolated (downward crossing, `|s_h − s_l| > 0.05`).
    let mask: Tensor
    /// `1 − mask`.
    let unmasked: Tensor
    /// `mask·(z_l − z_h)` `[HL², M]`.
    let scaledSpan: Tensor
    /// `z_h` `[HL², M]`.
    let farZ: Tensor
    /// World x, y of each intersection `[HL²·M, 2]` (the once-warped value divided by the warp).
    let worldXY: Tensor
    /// Validity 0/1 `[HL², M]` (downward crossings).
    let validity: Tensor

    init(levelField s: Tensor, levels: [Float], configuration c: GeneratorConfiguration) throws {
        let (xs, ys, ts) = OrthographicManifolds.axes(c)
        let hl = c.lrImageSize, n = c.numSamples, m = levels.count, pixels = hl * hl
        let k = SampleNet.warp
        let zs = ts.map { (1 - $0) * k }
        let cost = linspace(Float(n - 1), 0, n - 1)
        let field = s.scalars
        var index = [Int](repeating: 0, count: pixels * m)
        var mask = [Float](repeating: 0, count: pixels * m), span = mask, far = mask, valid = mask
        var xy = [Float](repeating: 0, count: pixels * m * 2)
        for p in 0..<pixels {
            let qx = xs[p % hl] * k, qy = ys[p / hl] * k
            let base = p * n
            for (mi, l) in levels.enumerated() {
                var best = -Float.infinity, idx = 0
                for q in 0..<(n - 1) {
                    let product = (field[base + q + 1] - l) * (l - field[base + q])
                    let sign: Float = product > 0 ? 1 : (product < 0 ? -1 : 0)
                    let r = sign * cost[q]
                    if r > best { best = r; idx = q }
                }
                let sl = field[base + idx], sh = field[base + idx + 1]
                let downward = (sh - l) <= 0 && (l - sl) <= 0
                let interpolates = downward && abs(sh - sl) > OrthographicManifolds.flatThreshold
                let e = p * m + mi
                index[e] = idx
                valid[e] = downward ? 1 : 0
                far[e] = zs[idx + 1]
                if interpolates {
                    mask[e] = 1
                    span[e] = zs[idx] - zs[idx + 1]
                    let wl = sh - l, wh = l - sl, den = sh - sl
                    xy[2 * e] = ((wl * qx + wh * qx) / den) / k
                    xy[2 * e + 1] = ((wl * qy + wh * qy) / den) / k
                } else {
                    xy[2 * e] = qx / k
                    xy[2 * e + 1] = qy / k
                }
            }
        }
        self.index = index
        self.mask = try Tensor(shape: [pixels, m], scalars: mask)
        unmasked = try Tensor(shape: [pixels, m], scalars: mask.map { 1 - $0 })
        scaledSpan = try Tensor(shape: [pixels, m], scalars: span)
        farZ = try Tensor(shape: [pixels, m], scalars: far)
        worldXY = try Tensor(shape: [pixels * m, 2], scalars: xy)
        validity = try Tensor(shape: [pixels, m], scalars: valid)
    }
}
