import Foundation
import ModelIO
import Numerics

/// Radiance at the manifold intersections and the LR maps (SPEC I7-I9).
public enum LowResolutionMaps {
    /// Points per tile of the radiance net.
    static let tileRows = 512
    /// The alpha step δ of `calculate_alpha`.
    public static let alphaStep: Float = 0.04
    /// The ray direction of every identity-stage point.
    public static let direction = SIMD3<Float>(0, 0, -1)

    /// `α = (1 − exp(−0.04 · softplus(σ))) · valid` with softplus of beta 1 and threshold 20 (A.8).
    @inlinable
    public static func alpha(sigma: Float, valid: Float) -> Float {
        let softplus = sigma > 20 ? sigma : Foundation.log1p(Foundation.exp(sigma))
        return (1 - Foundation.exp(-alphaStep * softplus)) * valid
    }

    /// `LRfeat` `[M, 4 + F, HL, HL]`: per manifold `m`, channel and map pixel `(i, j)` the vector
    /// `[r, g, b, α, feat...]` of the radiance net at the world point `intersections.warped / k`
    /// (`p = i·HL + j`, ray direction (0, 0, −1)). `frequencies` are the truncated mapping frequencies
    /// (before `·15 + 30`), `phases` the truncated phases, each `[9·hidden_dim]`. `isCancelled` is polled
    /// between tiles; a cancelled call throws `CancellationError`.
    public static func features(radianceNet: RadianceNet, frequencies: [Float], phases: [Float],
                                intersections: ManifoldIntersections, configuration c: GeneratorConfiguration,
                                isCancelled: (@Sendable () -> Bool)? = nil) throws -> Tensor {
        let hl = c.lrImageSize
        let pixels = hl * hl
        let m = c.numManifolds
        guard intersections.pixelCount == pixels, intersections.manifoldCount == m else {
            throw GeneratorError.invalidInput(
                field: "intersections",
                reason: "[\(intersections.pixelCount), \(intersections.manifoldCount)], expected [\(pixels), \(m)]")
        }
        guard frequencies.count == radianceNet.modulationCount, phases.count == radianceNet.modulationCount else {
            throw GeneratorError.invalidInput(
                field: "frequencies/phases",
                reason: "\(frequencies.count)/\(phases.count) values, expected \(radianceNet.modulationCount)")
        }
        let film = RadianceNet.filmFrequencies(frequencies)
        let width = radianceNet.outputWidth
        let total = pixels * m
        let tile = tileRows
        let scratchCount = tile * 3 + tile * width + radianceNet.scratchCount(rows: tile)
        let k = SampleNet.warp
        var out = Tensor.zeros([m, width, hl, hl])
        try out.withUnsafeMutableBufferPointer { lr in
            try intersections.warped.withUnsafeBufferPointer { xw in
                try intersections.validity.withUnsafeBufferPointer { valid in
                    try film.withUnsafeBufferPointer { f in
                        try phases.withUnsafeBufferPointer { phi in
                            try Tiling.forEachTile(count: total, tile: tile, scratchCount: scratchCount,
                                                   isCancelled: isCancelled) { range, scratch in
                                let points = UnsafeMutableBufferPointer(rebasing: scratch[0..<(tile * 3)])
                                let values = UnsafeMutableBufferPointer(rebasing: scratch[(tile * 3)..<(tile * (3 + width))])
                                let work = UnsafeMutableBufferPointer(rebasing: scratch[(tile * (3 + width))...])
                                for (r, q) in range.enumerated() {
                                    for d in 0..<3 { points[3 * r + d] = xw[3 * q + d] / k }
                                }
                                radianceNet.evaluate(points: UnsafeBufferPointer(points), rows: range.count,
                                                     direction: direction, frequencies: f, phases: phi,
                                                     scratch: work, into: values)
                                for (r, q) in range.enumerated() {
                                    let p = q / m
                                    let mi = q - p * m
                                    let row = r * width
                                    values[row + 3] = alpha(sigma: values[row + 3], valid: valid[q])
                                    for ch in 0..<width {
                                        lr[(mi * width + ch) * pixels + p] = values[row + ch]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
