import ModelIO

/// Floating-point work of the generator (SPEC.md §9; 1 multiply-add = 2 FLOP), counted from the
/// configuration: the network layers and convolutions that dominate, not the elementwise glue.
public struct CostModel: Sendable, Equatable {
    /// Identity stage: level field on the orthographic grid, radiance net at the intersections, SR net.
    public var identityFLOP: Double
    /// The part of `identityFLOP` spent in super-resolution.
    public var superResolutionFLOP: Double
    /// The part of `identityFLOP` spent on the orthographic level field (SampleNet on the `HL² × num_samples`
    /// grid): it has no latent input, so the generator computes it once per model, not per identity.
    public var levelFieldFLOP: Double
    /// Frame stage: DeformNet, SampleNet along the rays and the two smoother convolutions.
    public var frameFLOP: Double

    public init(configuration c: GeneratorConfiguration, rays: Int? = nil, samples: Int? = nil, points: Int? = nil) {
        let hl = Double(c.lrImageSize), m = Double(c.numManifolds)
        let hs = Double(c.hiddenDimSample), h = Double(c.hiddenDim), f = Double(c.featureDim)
        let sampleNetMAC = 3 * hs + 2 * hs * hs + hs
        let radianceMAC = 3 * h + 7 * h * h + (h + 3) * h + 7 * (1 + 3 + f) * h
        let orthographic = hl * hl * Double(c.numSamples) * sampleNetMAC
        let radiance = hl * hl * m * radianceMAC

        let sr = c.srNetKwargs
        let nf = Double(sr.nf), gc = Double(sr.gc)
        func conv(_ cin: Double, _ cout: Double, _ k: Int, _ size: Double) -> Double {
            size * size * cin * cout * Double(k * k)
        }
        var perMap = conv(4 + f, nf, 3, hl) + conv(nf, nf, 3, hl)
        let rdb = conv(nf, gc, 3, hl) + conv(nf + gc, gc, 3, hl) + conv(nf + 2 * gc, gc, 3, hl)
            + conv(nf + 3 * gc, gc, 3, hl) + conv(nf + 4 * gc, nf, 3, hl)
        perMap += Double(3 * sr.nb) * rdb
        var channels = nf, size = hl
        for up in sr.upChannels {
            perMap += conv(channels, Double(up) * 4, sr.upSampleKernelSize, size)
            channels = Double(up)
            size *= 2
        }
        perMap += conv(channels, channels, sr.upSampleKernelSize, size) + conv(channels, 4, sr.toRGBKernelSize, size)
        let superResolution = m * perMap

        let n = Double(rays ?? c.lrImageSize), d = Double(samples ?? c.frameNumSamples)
        let dp = Double(points ?? c.frameNumPoints), hd = Double(c.deformHiddenDim)
        let deformMAC = 7 * hd + 2 * hd * hd + hd * 7
        let kd = Double(c.smootherKD), taps = kd * (2 * kd - 1) * (2 * kd - 1)
        let smoother = 16 * taps * ((n / 2) * (n / 2) * (d / 2) + n * n * d)
        let frame = n * n * dp * (deformMAC + sampleNetMAC) + smoother

        identityFLOP = 2 * (orthographic + radiance + superResolution)
        superResolutionFLOP = 2 * superResolution
        levelFieldFLOP = 2 * orthographic
        frameFLOP = 2 * frame
    }
}
