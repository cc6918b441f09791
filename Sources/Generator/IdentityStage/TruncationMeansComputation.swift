import ModelIO
import Numerics

extension TruncationMeans {
    /// Rows per tile of the batched mapping networks.
    static let computationTile = 256

    /// The truncation means computed from the model itself (SPEC §2.7 with DESIGN.md §4's seeded codes):
    /// for the codes of seeds `0..<samples` (`SeedCodes`, with the `id_shape` sampler when given),
    /// `avg_f`, `avg_φ` = the means of the radiance mapping's raw outputs, `avg_w` = the mean of the SR
    /// mapping's `get_w`, `avg_style = from_w(avg_w)`. Sums are taken in Double in seed order (tile partial
    /// sums added in tile order), so the result does not depend on the thread count.
    public static func computed(weights: Weights, configuration c: GeneratorConfiguration, idShapeSampler: Tensor?,
                                samples: Int) throws -> TruncationMeans {
        guard samples > 0 else {
            throw GeneratorError.invalidInput(field: "samples", reason: "\(samples): at least one sample is needed")
        }
        let radiance = try RadianceMapping(weights: weights, configuration: c)
        let sr = try SRMapping(weights: weights, configuration: c)
        let zWidth = c.identityDim + c.noiseDim
        var latents = [Float](repeating: 0, count: samples * zWidth)
        for s in 0..<samples {
            let codes = SeedCodes.codes(seed: UInt32(truncatingIfNeeded: s), identityDim: c.identityDim,
                                        shapeDim: c.shapeDim, noiseDim: c.noiseDim, idShapeSampler: idShapeSampler)
            for (i, v) in (codes.identity + codes.noise).enumerated() { latents[s * zWidth + i] = v }
        }
        let rOut = radiance.network.outputCount
        let wOut = sr.network.body.outputCount
        let tile = computationTile
        let tiles = (samples + tile - 1) / tile
        // Per tile: Double sums of the radiance outputs then of w.
        var partial = [Double](repeating: 0, count: tiles * (rOut + wOut))
        let scratchCount = tile * rOut + tile * wOut + tile * radiance.network.body.outputCount
            + max(radiance.network.body.scratchCount(rows: tile), sr.network.body.scratchCount(rows: tile))
        try latents.withUnsafeBufferPointer { z in
            try partial.withUnsafeMutableBufferPointer { sums in
                try Tiling.forEachTile(count: samples, tile: tile, scratchCount: scratchCount) { range, scratch in
                    let rows = range.count
                    let input = UnsafeBufferPointer(rebasing: z[(range.lowerBound * zWidth)..<(range.upperBound * zWidth)])
                    var offset = 0
                    func carve(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
                        defer { offset += n }
                        return UnsafeMutableBufferPointer(rebasing: scratch[offset..<(offset + n)])
                    }
                    let rBuffer = carve(tile * rOut)
                    let wBuffer = carve(tile * wOut)
                    let hidden = carve(tile * radiance.network.body.outputCount)
                    let work = UnsafeMutableBufferPointer(rebasing: scratch[offset...])
                    radiance.network.body.apply(input, rows: rows, scratch: work, into: hidden)
                    radiance.network.head.apply(UnsafeBufferPointer(hidden), rows: rows, into: rBuffer)
                    sr.network.body.apply(input, rows: rows, scratch: work, into: wBuffer)
                    let t = range.lowerBound / tile
                    let base = t * (rOut + wOut)
                    for r in 0..<rows {
                        for j in 0..<rOut { sums[base + j] += Double(rBuffer[r * rOut + j]) }
                        for j in 0..<wOut { sums[base + rOut + j] += Double(wBuffer[r * wOut + j]) }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: rOut + wOut)
        for t in 0..<tiles {
            for j in 0..<(rOut + wOut) { total[j] += partial[t * (rOut + wOut) + j] }
        }
        let mean = total.map { Float($0 / Double(samples)) }
        let half = radiance.halfCount
        let w = Array(mean[rOut...])
        return TruncationMeans(frequencies: Array(mean[0..<half]), phases: Array(mean[half..<rOut]), w: w,
                               style: sr.style(fromW: w))
    }

    /// `computed` in the form `portrait import` takes (pass it as `OfficialImport.assemble`'s
    /// `computeMeans`): configuration, the checkpoint's float tensors, the `id_shape` sampler, the sample count.
    public static func forImport(_ configuration: GeneratorConfiguration, _ tensors: [String: Tensor],
                                 _ sampler: Tensor?, _ samples: Int) throws -> OfficialImport.TruncationMeans {
        let means = try computed(weights: Weights(tensors: tensors, source: "checkpoint"), configuration: configuration,
                                 idShapeSampler: sampler, samples: samples)
        return OfficialImport.TruncationMeans(frequencies: means.frequencies, phaseShifts: means.phases,
                                              w: means.w ?? [], style: means.style)
    }
}
