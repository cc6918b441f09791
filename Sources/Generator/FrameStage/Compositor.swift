/// Sorting and alpha compositing of the manifold entries of one pixel (SPEC §1.3, §1.4: white background,
/// `last_back = false`).
public enum Compositor {
    /// Depth given to invalid entries.
    public static let invalidDepth: Float = 10
    /// The `+1e-10` inside the transmittance product (not negligible for near-opaque alphas).
    public static let transmittanceEpsilon = Float(1e-10)

    /// The factor `(1 − a) + 1e-10` by which an entry of effective alpha `a` scales the transmittance.
    @inlinable
    public static func transmittanceFactor(_ a: Float) -> Float { (1 - a) + transmittanceEpsilon }

    /// Composites `count` entries whose depths, colours `[r, g, b, α]` and validity are in `z`, `rgba`
    /// (`4·count`, entry-major) and `valid`, front to back after a stable sort by depth, using `order` (at
    /// least `count` slots) as scratch. Returns the output colour `2·rgb − 1` per channel (rgb after the
    /// white background) and the depth `Σ w·z / Σ w` (NaN when no entry has weight).
    @inlinable
    public static func composite(count: Int, z: UnsafeMutableBufferPointer<Float>,
                                 rgba: UnsafeMutableBufferPointer<Float>, valid: UnsafeMutableBufferPointer<Float>,
                                 order: UnsafeMutableBufferPointer<Int>) -> (color: SIMD3<Float>, depth: Float) {
        // Stable insertion sort of the entry indices by depth.
        for i in 0..<count { order[i] = i }
        if count > 1 {
            for i in 1..<count {
                let k = order[i]
                let zk = z[k]
                var j = i - 1
                while j >= 0 && z[order[j]] > zk {
                    order[j + 1] = order[j]
                    j -= 1
                }
                order[j + 1] = k
            }
        }
        var transmittance: Float = 1
        var weightSum: Float = 0
        var rgb = SIMD3<Float>(repeating: 0)
        var depthSum: Float = 0
        for i in 0..<count {
            let e = order[i]
            let a = rgba[4 * e + 3] * valid[e]
            let w = a * transmittance
            transmittance = transmittance * transmittanceFactor(a)
            weightSum += w
            rgb += w * SIMD3(rgba[4 * e], rgba[4 * e + 1], rgba[4 * e + 2])
            depthSum += w * z[e]
        }
        let depth = depthSum / weightSum
        let background = (rgb + 1) - weightSum
        return (background * 2 - 1, depth)
    }
}
