import Testing
@testable import Generator
import ModelIO
import Numerics

@Suite struct TruncationMeansTests {
    /// The batched, tiled computation equals a plain per-seed loop.
    @Test func batchedMeansEqualPerSeedMeans() throws {
        let ref = try ReferenceData.tiny()
        let weights = try ref.requireWeights()
        let c = ref.configuration
        let samples = 300   // more than one tile
        let means = try TruncationMeans.computed(weights: weights, configuration: c, idShapeSampler: nil, samples: samples)
        let radiance = try RadianceMapping(weights: weights, configuration: c)
        let sr = try SRMapping(weights: weights, configuration: c)
        var f = [Double](repeating: 0, count: radiance.halfCount), p = f
        var w = [Double](repeating: 0, count: c.srMappingHiddenDim)
        for s in 0..<samples {
            let codes = SeedCodes.codes(seed: UInt32(s), identityDim: c.identityDim, shapeDim: c.shapeDim,
                                        noiseDim: c.noiseDim, idShapeSampler: nil)
            let z = codes.identity + codes.noise
            let (rf, rp) = radiance(z)
            for i in f.indices { f[i] += Double(rf[i]); p[i] += Double(rp[i]) }
            for (i, v) in sr.w(z).enumerated() { w[i] += Double(v) }
        }
        let n = Double(samples)
        #expect(Comparison(means.frequencies, f.map { Float($0 / n) }).maxAbs <= 1e-6)
        #expect(Comparison(means.phases, p.map { Float($0 / n) }).maxAbs <= 1e-6)
        let wMean = w.map { Float($0 / n) }
        #expect(Comparison(try #require(means.w), wMean).maxAbs <= 1e-6)
        #expect(Comparison(means.style, sr.style(fromW: wMean)).maxAbs <= 1e-6)
    }

    /// 10,000 seeded N(0, 1) codes estimate the same averages as the reference's 10,000 torch-seeded
    /// N(0, 1) codes (README "Computed buffers"): equal up to sampling noise, far from zero codes' outputs.
    @Test func seededMeansAgreeWithTheReferenceMeansStatistically() throws {
        let ref = try ReferenceData.tiny()
        let weights = try ref.requireWeights()
        let computed = try TruncationMeans.computed(weights: weights, configuration: ref.configuration,
                                                    idShapeSampler: nil, samples: 10_000)
        let f = Comparison(computed.frequencies, ref.means.frequencies)
        let style = Comparison(computed.style, ref.means.style)
        print("[means] ref-tiny seeded vs reference means: frequencies \(f); style \(style)")
        #expect(f.maxAbs <= 0.02 && style.maxAbs <= 0.02)
        // The bound is meaningful: a single code (all zeros) maps much further from the means.
        let zero = try RadianceMapping(weights: weights, configuration: ref.configuration)([Float](repeating: 0, count: 160))
        let single = Comparison(zero.frequencies, ref.means.frequencies)
        print("[means] zero codes vs reference means: frequencies \(single)")
        #expect(single.maxAbs > 0.1)
        // The conversion for `portrait import` keeps the values.
        let forImport = try TruncationMeans.forImport(ref.configuration, weights.tensors, nil, 10)
        let direct = try TruncationMeans.computed(weights: weights, configuration: ref.configuration, idShapeSampler: nil, samples: 10)
        #expect(forImport.frequencies == direct.frequencies && forImport.style == direct.style)
        let _: OfficialImport.MeansComputer = TruncationMeans.forImport
    }
}
