import Autodiff
import Generator
import Numerics

/// Depth sort and front-to-back compositing on white (SPEC §1.3, §1.4) on a tape: the order is a constant
/// (stable sort of the depth values), the weights `Tape.compositingWeights` of `α·valid`.
enum Compositing {
    /// Composites `[P, M]` entries per pixel: `rgba` `[P, M, 4]`, `depth` `[P, M]` (10 for invalid entries),
    /// `valid` `[P, M]` 0/1 → image `[3, P]` (`2·rgb − 1` after the white background) and depth `[P]`
    /// (`Σ w·z / Σ w`, NaN without weight; no gradient flows through such a pixel, see `Tape.weightNormalized`).
    static func composite(_ tape: Tape, rgba: Variable, depth: Variable, valid: Tensor) throws -> (image: Variable, depth: Variable) {
        let (pixels, m) = (rgba.shape[0], rgba.shape[1])
        let z = try tape.value(depth).scalars
        var order = [Int](repeating: 0, count: pixels * m)
        for p in 0..<pixels {
            let row = (0..<m).sorted { a, b in
                let za = z[p * m + a], zb = z[p * m + b]
                return za < zb || (za == zb && a < b)
            }
            for (i, e) in row.enumerated() { order[p * m + i] = e }
        }
        let sorted = try tape.gather(rgba, axis: 1, indices: order, count: m)
        let sortedDepth = try tape.gather(depth, axis: 1, indices: order, count: m)
        let sortedValid = try valid.gathered(axis: 1, indices: order, count: m)
        let alpha = try tape.multiply(tape.reshape(tape.slice(sorted, axis: 2, range: 3..<4), [pixels, m]),
                                      tape.constant(sortedValid))
        let weights = try tape.compositingWeights(alpha)
        let weightSum = try tape.sum(weights, axis: 1)
        let rgb = try tape.sum(tape.multiply(tape.reshape(weights, [pixels, m, 1]), tape.slice(sorted, axis: 2, range: 0..<3)), axis: 1)
        let white = try tape.subtract(tape.affine(rgb, scale: 1, offset: 1), tape.reshape(weightSum, [pixels, 1]))
        let image = try tape.permute(tape.affine(white, scale: 2, offset: -1), [1, 0])
        let depthOut = try tape.weightNormalized(tape.sum(tape.multiply(weights, sortedDepth), axis: 1), by: weightSum)
        return (image, depthOut)
    }
}
