/// The generator's architecture: the official `SSHQ512_inf` generator kwargs (snake_case, as in
/// `curriculums.py` and the reference `config.json`) plus the sizes the release fixes in code, which our
/// own configurations change (DESIGN.md section 6). Missing release-fixed fields decode to the release's
/// values, so an official `generator_kwargs` object decodes as is.
public struct GeneratorConfiguration: Codable, Sendable, Equatable {
    /// Kwargs of the style RRDB super-resolution network.
    public struct SRNetKwargs: Codable, Sendable, Equatable {
        public var wDim: Int
        public var nf: Int
        public var nb: Int
        public var gc: Int
        public var upChannels: [Int]
        public var toRGBKernelSize: Int
        /// Kernel size of the up-sampling and HR convolutions (fixed to 3 in the release).
        public var upSampleKernelSize: Int

        enum CodingKeys: String, CodingKey {
            case wDim = "w_dim", nf, nb, gc, upChannels = "up_channels", toRGBKernelSize = "to_rgb_ks"
            case upSampleKernelSize = "up_sample_ks"
        }

        public init(wDim: Int = 160, nf: Int = 64, nb: Int = 4, gc: Int = 32, upChannels: [Int] = [64, 32],
                    toRGBKernelSize: Int = 1, upSampleKernelSize: Int = 3) {
            self.wDim = wDim; self.nf = nf; self.nb = nb; self.gc = gc; self.upChannels = upChannels
            self.toRGBKernelSize = toRGBKernelSize; self.upSampleKernelSize = upSampleKernelSize
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = SRNetKwargs()
            wDim = try c.decodeIfPresent(Int.self, forKey: .wDim) ?? d.wDim
            nf = try c.decodeIfPresent(Int.self, forKey: .nf) ?? d.nf
            nb = try c.decodeIfPresent(Int.self, forKey: .nb) ?? d.nb
            gc = try c.decodeIfPresent(Int.self, forKey: .gc) ?? d.gc
            upChannels = try c.decodeIfPresent([Int].self, forKey: .upChannels) ?? d.upChannels
            toRGBKernelSize = try c.decodeIfPresent(Int.self, forKey: .toRGBKernelSize) ?? d.toRGBKernelSize
            upSampleKernelSize = try c.decodeIfPresent(Int.self, forKey: .upSampleKernelSize) ?? d.upSampleKernelSize
        }
    }

    public var generatorClass: String
    public var zDim: Int
    /// RadianceNet (FiLM SIREN) width.
    public var hiddenDim: Int
    /// SampleNet (level field) width.
    public var hiddenDimSample: Int
    /// Feature channels per manifold point; SR input = 4 + featureDim.
    public var featureDim: Int
    public var hrImageSize: Int
    public var lrImageSize: Int
    public var clampMode: String
    public var levelsStart: Double
    public var levelsEnd: Double
    /// Orthographic samples per map pixel (identity stage).
    public var numSamples: Int
    /// Number of manifolds M.
    public var numManifolds: Int
    public var lastBack: Bool
    public var whiteBack: Bool
    public var srNetKwargs: SRNetKwargs

    // Sizes fixed in the release's code (configurable here).
    public var identityDim: Int
    public var noiseDim: Int
    public var expressionDim: Int
    public var shapeDim: Int
    /// Width of the radiance mapping network (160 -> 256 -> 256 -> 256 -> 9·hidden·2).
    public var mappingHiddenDim: Int
    /// Width of the SR mapping network.
    public var srMappingHiddenDim: Int
    /// DeformNet FiLM width.
    public var deformHiddenDim: Int
    /// DeformNet mapping width.
    public var deformMappingHiddenDim: Int
    /// Samples per camera ray (D, 64 in the release).
    public var frameNumSamples: Int
    /// Samples per ray after 1-D upsampling (D', 256 in the release).
    public var frameNumPoints: Int
    /// Smoother depth kernel k_d (kernel k_d x (2k_d-1) x (2k_d-1)); 5 in the release.
    public var smootherKD: Int

    enum CodingKeys: String, CodingKey {
        case generatorClass = "class", zDim = "z_dim", hiddenDim = "hidden_dim", hiddenDimSample = "hidden_dim_sample"
        case featureDim = "feature_dim", hrImageSize = "hr_img_size", lrImageSize = "lr_img_size"
        case clampMode = "clamp_mode", levelsStart = "levels_start", levelsEnd = "levels_end"
        case numSamples = "num_samples", numManifolds = "num_manifolds", lastBack = "last_back"
        case whiteBack = "white_back", srNetKwargs = "sr_net_kwargs"
        case identityDim = "identity_dim", noiseDim = "noise_dim", expressionDim = "expression_dim"
        case shapeDim = "shape_dim", mappingHiddenDim = "mapping_hidden_dim"
        case srMappingHiddenDim = "sr_mapping_hidden_dim", deformHiddenDim = "deform_hidden_dim"
        case deformMappingHiddenDim = "deform_mapping_hidden_dim", frameNumSamples = "frame_num_samples"
        case frameNumPoints = "frame_num_points", smootherKD = "smoother_k_d"
    }

    /// The official `SSHQ512_inf` configuration.
    public static let sshq512 = GeneratorConfiguration()

    public init(generatorClass: String = "ManifoldSRGenerator3d", zDim: Int = 256, hiddenDim: Int = 256,
                hiddenDimSample: Int = 128, featureDim: Int = 32, hrImageSize: Int = 512, lrImageSize: Int = 128,
                clampMode: String = "softplus", levelsStart: Double = 23, levelsEnd: Double = 8,
                numSamples: Int = 64, numManifolds: Int = 24, lastBack: Bool = false, whiteBack: Bool = true,
                srNetKwargs: SRNetKwargs = SRNetKwargs(), identityDim: Int = 80, noiseDim: Int = 80,
                expressionDim: Int = 64, shapeDim: Int = 10, mappingHiddenDim: Int = 256,
                srMappingHiddenDim: Int = 256, deformHiddenDim: Int = 128, deformMappingHiddenDim: Int = 128,
                frameNumSamples: Int = 64, frameNumPoints: Int = 256, smootherKD: Int = 5) {
        self.generatorClass = generatorClass; self.zDim = zDim; self.hiddenDim = hiddenDim
        self.hiddenDimSample = hiddenDimSample; self.featureDim = featureDim; self.hrImageSize = hrImageSize
        self.lrImageSize = lrImageSize; self.clampMode = clampMode; self.levelsStart = levelsStart
        self.levelsEnd = levelsEnd; self.numSamples = numSamples; self.numManifolds = numManifolds
        self.lastBack = lastBack; self.whiteBack = whiteBack; self.srNetKwargs = srNetKwargs
        self.identityDim = identityDim; self.noiseDim = noiseDim; self.expressionDim = expressionDim
        self.shapeDim = shapeDim; self.mappingHiddenDim = mappingHiddenDim
        self.srMappingHiddenDim = srMappingHiddenDim; self.deformHiddenDim = deformHiddenDim
        self.deformMappingHiddenDim = deformMappingHiddenDim; self.frameNumSamples = frameNumSamples
        self.frameNumPoints = frameNumPoints; self.smootherKD = smootherKD
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GeneratorConfiguration()
        func v<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        generatorClass = try v(.generatorClass, d.generatorClass)
        zDim = try v(.zDim, d.zDim)
        hiddenDim = try v(.hiddenDim, d.hiddenDim)
        hiddenDimSample = try v(.hiddenDimSample, d.hiddenDimSample)
        featureDim = try v(.featureDim, d.featureDim)
        hrImageSize = try v(.hrImageSize, d.hrImageSize)
        lrImageSize = try v(.lrImageSize, d.lrImageSize)
        clampMode = try v(.clampMode, d.clampMode)
        levelsStart = try v(.levelsStart, d.levelsStart)
        levelsEnd = try v(.levelsEnd, d.levelsEnd)
        numSamples = try v(.numSamples, d.numSamples)
        numManifolds = try v(.numManifolds, d.numManifolds)
        lastBack = try v(.lastBack, d.lastBack)
        whiteBack = try v(.whiteBack, d.whiteBack)
        srNetKwargs = try v(.srNetKwargs, d.srNetKwargs)
        identityDim = try v(.identityDim, d.identityDim)
        noiseDim = try v(.noiseDim, d.noiseDim)
        expressionDim = try v(.expressionDim, d.expressionDim)
        shapeDim = try v(.shapeDim, d.shapeDim)
        mappingHiddenDim = try v(.mappingHiddenDim, d.mappingHiddenDim)
        srMappingHiddenDim = try v(.srMappingHiddenDim, d.srMappingHiddenDim)
        deformHiddenDim = try v(.deformHiddenDim, d.deformHiddenDim)
        deformMappingHiddenDim = try v(.deformMappingHiddenDim, d.deformMappingHiddenDim)
        frameNumSamples = try v(.frameNumSamples, d.frameNumSamples)
        frameNumPoints = try v(.frameNumPoints, d.frameNumPoints)
        smootherKD = try v(.smootherKD, d.smootherKD)
    }

    /// HR / LR scale factor.
    public var scaleFactor: Int { lrImageSize > 0 ? hrImageSize / lrImageSize : 0 }
    /// Style vector length of the SR net: nf + up_channels[0..<n-1] + 2·up_channels.last.
    public var styleDim: Int {
        let up = srNetKwargs.upChannels
        guard let last = up.last else { return 0 }
        return srNetKwargs.nf + up.dropLast().reduce(0, +) + 2 * last
    }

    /// Checks internal consistency; returns the first problem as a sentence, or nil.
    public func problem() -> String? {
        let positive: [(String, Int)] = [
            ("hidden_dim", hiddenDim), ("hidden_dim_sample", hiddenDimSample), ("feature_dim", featureDim),
            ("hr_img_size", hrImageSize), ("lr_img_size", lrImageSize), ("num_samples", numSamples),
            ("num_manifolds", numManifolds), ("identity_dim", identityDim), ("noise_dim", noiseDim),
            ("expression_dim", expressionDim), ("shape_dim", shapeDim), ("mapping_hidden_dim", mappingHiddenDim),
            ("sr_mapping_hidden_dim", srMappingHiddenDim), ("deform_hidden_dim", deformHiddenDim),
            ("deform_mapping_hidden_dim", deformMappingHiddenDim), ("frame_num_samples", frameNumSamples),
            ("frame_num_points", frameNumPoints), ("smoother_k_d", smootherKD),
            ("sr_net_kwargs.nf", srNetKwargs.nf), ("sr_net_kwargs.nb", srNetKwargs.nb),
            ("sr_net_kwargs.gc", srNetKwargs.gc), ("sr_net_kwargs.to_rgb_ks", srNetKwargs.toRGBKernelSize),
            ("sr_net_kwargs.up_sample_ks", srNetKwargs.upSampleKernelSize),
        ]
        for (name, value) in positive where value <= 0 || value > 1 << 16 {
            return "\(name) = \(value) is out of range (1...65536)"
        }
        if srNetKwargs.upChannels.isEmpty || srNetKwargs.upChannels.contains(where: { $0 <= 0 || $0 > 1 << 16 }) {
            return "sr_net_kwargs.up_channels = \(srNetKwargs.upChannels) must be non-empty and positive"
        }
        if hrImageSize != lrImageSize << srNetKwargs.upChannels.count {
            return "hr_img_size / lr_img_size = \(hrImageSize)/\(lrImageSize) must equal 2^len(up_channels) = \(1 << srNetKwargs.upChannels.count)"
        }
        if srNetKwargs.wDim != identityDim + noiseDim {
            return "sr_net_kwargs.w_dim = \(srNetKwargs.wDim) must equal identity_dim + noise_dim = \(identityDim + noiseDim)"
        }
        if frameNumSamples % 2 != 0 { return "frame_num_samples = \(frameNumSamples) must be even" }
        if lrImageSize % 2 != 0 { return "lr_img_size = \(lrImageSize) must be even" }
        if lrImageSize / 2 < smootherKD { return "lr_img_size / 2 = \(lrImageSize / 2) must be at least smoother_k_d = \(smootherKD)" }
        if srNetKwargs.toRGBKernelSize % 2 == 0 || srNetKwargs.upSampleKernelSize % 2 == 0 {
            return "convolution kernel sizes must be odd"
        }
        if clampMode != "softplus" { return "clamp_mode '\(clampMode)' is not supported (only softplus)" }
        if !levelsStart.isFinite || !levelsEnd.isFinite { return "levels must be finite" }
        return nil
    }
}
