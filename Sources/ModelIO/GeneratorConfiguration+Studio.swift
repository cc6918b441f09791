extension GeneratorConfiguration {
    /// The built-in "studio" configuration (DESIGN.md section 6): `SSHQ512_inf`'s architecture, smaller, for
    /// interactive CPU rendering and CPU training: LR 64 / HR 256, radiance width 128 with 16 feature channels,
    /// level-field width 64, 12 manifolds (levels 23 → 8) of 32 orthographic samples, an SR net of width 32 with
    /// one RRDB (up-channels 32, 16), 16 expression coefficients (the named blendshapes), a deform net of width
    /// 64, 32 samples and 64 points per camera ray, and a 3 × 5 × 5 pose smoother. Mapping networks keep the
    /// release's widths (input 160 = identity 80 + noise 80, hidden 256).
    public static let studio = GeneratorConfiguration(
        zDim: 160, hiddenDim: 128, hiddenDimSample: 64, featureDim: 16, hrImageSize: 256, lrImageSize: 64,
        levelsStart: 23, levelsEnd: 8, numSamples: 32, numManifolds: 12,
        srNetKwargs: SRNetKwargs(wDim: 160, nf: 32, nb: 1, gc: 16, upChannels: [32, 16], toRGBKernelSize: 1, upSampleKernelSize: 3),
        identityDim: 80, noiseDim: 80, expressionDim: 16, shapeDim: 10, mappingHiddenDim: 256, srMappingHiddenDim: 256,
        deformHiddenDim: 64, deformMappingHiddenDim: 128, frameNumSamples: 32, frameNumPoints: 64, smootherKD: 3)
}
