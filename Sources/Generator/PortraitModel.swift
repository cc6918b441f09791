import ModelIO
import Numerics

/// Anything that turns `Controls` into a portrait: the neural generator of a bundle (`NeuralPortraitModel`)
/// or the parametric renderer (`synthetic`, in Synth).
///
/// Rendering is split so that a caller (the studio's render worker) can cache per-person work and show
/// something early: `prepareLowResolution` (cheap half of the identity work, enough for a preview),
/// `completeIdentity` (the expensive rest), then `render` per frame, from either stage. Every call takes an
/// `isCancelled` closure polled between stages and tiles; a cancelled call throws `CancellationError`.
/// Calls may come from any one thread at a time.
public protocol PortraitModel: AnyObject, Sendable {
    /// Who the model is, for favourites and trajectories.
    var identity: PortraitModelIdentity { get }
    /// The expression controls, ψ default, presets and output sizes the UI offers.
    var controlSpace: PortraitControlSpace { get }
    /// Whether prepared identities are worth keeping between frames (false when preparing is free).
    var cachesIdentity: Bool { get }

    /// Row `row` (0-based, `0..<controlSpace.expressionPresetCount`) of the model's expression samples,
    /// `expressionDim` values, or nil when out of range.
    func expressionPreset(_ row: Int) -> [Double]?
    /// The codes of a controls identity (seed with blend, or explicit codes checked against the model).
    func codes(for identity: Controls.Identity) throws -> IdentityCodes
    /// The cheap first half of the identity work for `codes` and truncation `psi` (for the neural model, the
    /// LR maps). The result renders (at preview quality) before `completeIdentity`.
    func prepareLowResolution(codes: IdentityCodes, psi: Double,
                              isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity
    /// The rest of the identity work (for the neural model, super-resolution). A complete identity is
    /// returned unchanged.
    func completeIdentity(_ prepared: PreparedIdentity,
                          isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity
    /// One frame of a prepared identity under `controls` (expression, camera, joints, view, quality).
    func render(identity: PreparedIdentity, controls: Controls,
                isCancelled: @escaping @Sendable () -> Bool) throws -> FrameOutput
}

extension PortraitModel {
    /// Codes, whole identity and one frame in one call (command-line rendering).
    public func renderAll(controls: Controls, isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> FrameOutput {
        let codes = try codes(for: controls.identity)
        let low = try prepareLowResolution(codes: codes, psi: controls.psi ?? controlSpace.defaultPsi,
                                           isCancelled: isCancelled)
        return try render(identity: completeIdentity(low, isCancelled: isCancelled), controls: controls,
                          isCancelled: isCancelled)
    }
}

/// A model's identity in favourites and trajectories (`"model"` objects of DESIGN.md §4).
public struct PortraitModelIdentity: Sendable, Equatable {
    /// The bundle's `name` (`studio`, `sshq512`, …) or `synthetic`.
    public var name: String
    /// `provenance.source` of a bundle (`official-checkpoint`, `builtin-untrained`, `trained`); nil otherwise.
    public var source: String?
    /// SHA-256 (hex) of a bundle's data section; nil for models that are code (`synthetic`).
    public var dataSha256: String?
    /// Version of a model that is code (the synthetic renderer's version); nil for bundles.
    public var version: String?

    public init(name: String, source: String? = nil, dataSha256: String? = nil, version: String? = nil) {
        self.name = name; self.source = source; self.dataSha256 = dataSha256; self.version = version
    }

    /// The members of the `"model"` JSON object, in order, those that are set (all string values).
    public var fields: [(key: String, value: String)] {
        var out: [(key: String, value: String)] = [("name", name)]
        if let source { out.append(("source", source)) }
        if let dataSha256 { out.append(("data_sha256", dataSha256)) }
        if let version { out.append(("version", version)) }
        return out
    }

    /// Whether two identities name the same model data (same hash, or same name and version).
    public func sameModel(as other: PortraitModelIdentity) -> Bool {
        if let a = dataSha256, let b = other.dataSha256 { return a == b }
        return name == other.name && version == other.version && dataSha256 == other.dataSha256
    }
}

/// What a model's controls look like.
public struct PortraitControlSpace: Sendable, Equatable {
    /// Number of expression coefficients.
    public var expressionDim: Int
    /// Their names, or nil for numbered controls `e00…`.
    public var expressionNames: [String]?
    /// Range of each expression coefficient (the bundle's `expression_range`).
    public var expressionRange: ClosedRange<Double>
    /// ψ when the controls leave it unset.
    public var defaultPsi: Double
    /// Rows of `samplers.expression` (0 = no presets).
    public var expressionPresetCount: Int
    /// Side of the `full` image in pixels (HS); `preview` renders at half of it.
    public var imageSize: Int
    /// Side of the LR image of a `full` frame in pixels.
    public var lowResolutionSize: Int
    /// Near and far depths of the depth visualisation (`ImageConversion.depth8`).
    public var depthRange: ClosedRange<Double>

    public init(expressionDim: Int, expressionNames: [String]?, expressionRange: ClosedRange<Double>, defaultPsi: Double,
                expressionPresetCount: Int, imageSize: Int, lowResolutionSize: Int, depthRange: ClosedRange<Double>) {
        self.expressionDim = expressionDim; self.expressionNames = expressionNames; self.expressionRange = expressionRange
        self.defaultPsi = defaultPsi; self.expressionPresetCount = expressionPresetCount; self.imageSize = imageSize
        self.lowResolutionSize = lowResolutionSize; self.depthRange = depthRange
    }

    /// Display name of expression control `i`: its name, or `e07`.
    public func expressionName(_ i: Int) -> String {
        if let names = expressionNames, i < names.count { return names[i] }
        return i < 10 ? "e0\(i)" : "e\(i)"
    }
}

/// A model's per-person work for one (codes, ψ), opaque to callers; produced and read by one model.
public struct PreparedIdentity: Sendable {
    /// How far the identity work got.
    public enum Stage: Sendable, Equatable {
        /// Enough for a preview (the neural model's LR maps).
        case lowResolution
        /// Everything a `full` frame needs.
        case complete
    }

    public let codes: IdentityCodes
    public let psi: Double
    public let stage: Stage
    /// Approximate memory held, in bytes (for cache bounds).
    public let byteCount: Int
    /// The model's own data.
    public let payload: any Sendable

    public init(codes: IdentityCodes, psi: Double, stage: Stage, byteCount: Int, payload: any Sendable) {
        self.codes = codes; self.psi = psi; self.stage = stage; self.byteCount = byteCount; self.payload = payload
    }
}

/// The neural generator of a `.portrait` bundle as a `PortraitModel`, with the bundle's identity and
/// expression samples.
public final class NeuralPortraitModel: PortraitModel {
    public let generator: PortraitGenerator
    public let identity: PortraitModelIdentity
    public let controlSpace: PortraitControlSpace
    public var cachesIdentity: Bool { true }
    /// `samplers.expression` `[N, expression_dim]`, when the bundle has one.
    private let expressionSamples: Tensor?

    /// Wraps `generator`, loaded from a bundle with `metadata`; `expressionSamples` is its
    /// `samplers.expression` (rows of `expression_dim` values).
    public init(generator: PortraitGenerator, metadata: BundleMetadata, expressionSamples: Tensor?) throws {
        let c = generator.configuration
        if let samples = expressionSamples, samples.rank != 2 || samples.shape[1] != c.expressionDim {
            throw GeneratorError.tensorShape(name: "samplers.expression", got: samples.shape,
                                             expected: [-1, c.expressionDim], source: metadata.name)
        }
        let range = metadata.controls.expressionRange
        guard range.count == 2, range[0] < range[1] else {
            throw GeneratorError.configuration("\(metadata.name): controls.expression_range needs [low, high] with low < high, got \(range)")
        }
        self.generator = generator
        self.expressionSamples = expressionSamples
        identity = PortraitModelIdentity(name: metadata.name, source: metadata.provenance.source,
                                         dataSha256: metadata.provenance.dataSha256)
        controlSpace = PortraitControlSpace(
            expressionDim: c.expressionDim, expressionNames: generator.expressionNames,
            expressionRange: range[0]...range[1], defaultPsi: generator.defaultPsi,
            expressionPresetCount: expressionSamples?.shape[0] ?? 0, imageSize: c.hrImageSize,
            lowResolutionSize: c.lrImageSize, depthRange: generator.depthRange)
    }

    /// Loads the bundle: generator, identity and `samplers.expression`.
    public convenience init(bundle: PortraitBundle) throws {
        let generator = try PortraitGenerator(bundle: bundle)
        let samples = bundle.contains("samplers.expression") ? try bundle.tensor("samplers.expression") : nil
        try self.init(generator: generator, metadata: bundle.metadata, expressionSamples: samples)
    }

    /// Loads the bundle at `path`.
    public convenience init(path: String) throws {
        try self.init(bundle: PortraitBundle(path: path))
    }

    public func expressionPreset(_ row: Int) -> [Double]? {
        guard let samples = expressionSamples, row >= 0, row < samples.shape[0],
              let values = try? samples.rows(row..<(row + 1)).scalars else { return nil }
        return values.map { Double($0) }
    }

    public func codes(for identity: Controls.Identity) throws -> IdentityCodes {
        try generator.codes(for: identity)
    }

    public func prepareLowResolution(codes: IdentityCodes, psi: Double,
                                     isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity {
        let low = try generator.identityStage.prepareLowResolution(identity: codes.identity, noise: codes.noise, psi: psi,
                                                                   isCancelled: isCancelled)
        if isCancelled() { throw CancellationError() }
        let bytes = 4 * (low.lrFeatures.count + low.lrMaps.count + low.style.count)
        return PreparedIdentity(codes: codes, psi: psi, stage: .lowResolution, byteCount: bytes, payload: low)
    }

    public func completeIdentity(_ prepared: PreparedIdentity,
                                 isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity {
        guard prepared.stage == .lowResolution else { return prepared }
        let low = lowResolution(prepared)
        let maps = try generator.identityStage.superResolve(low, isCancelled: isCancelled)
        return PreparedIdentity(codes: prepared.codes, psi: prepared.psi, stage: .complete,
                                byteCount: 4 * (maps.lrMaps.count + maps.hrMaps.count), payload: maps)
    }

    /// Renders from a complete identity, or (at most `preview` quality) from the LR maps of a partial one,
    /// bilinearly enlarged to stand in for the HR maps.
    public func render(identity prepared: PreparedIdentity, controls: Controls,
                       isCancelled: @escaping @Sendable () -> Bool) throws -> FrameOutput {
        let maps: IdentityMaps
        var controls = controls
        switch prepared.stage {
        case .complete:
            guard let complete = prepared.payload as? IdentityMaps else {
                preconditionFailure("NeuralPortraitModel: prepared identity from another model")
            }
            maps = complete
        case .lowResolution:
            let low = lowResolution(prepared)
            let size = generator.configuration.hrImageSize
            maps = IdentityMaps(identity: low.identity, noise: low.noise, psi: low.psi, lrMaps: low.lrMaps,
                                hrMaps: try low.lrMaps.resizedBilinear(height: size, width: size, alignCorners: false))
            controls.quality = .preview
        }
        return try generator.render(identity: maps, shape: prepared.codes.shape, controls: controls,
                                    isCancelled: isCancelled)
    }

    private func lowResolution(_ prepared: PreparedIdentity) -> LowResolutionIdentity {
        guard let low = prepared.payload as? LowResolutionIdentity else {
            preconditionFailure("NeuralPortraitModel: prepared identity from another model")
        }
        return low
    }
}
