import Body
import Foundation
import Generator
import Numerics
import Synchronization

/// The parametric renderer as a `PortraitModel` (the reserved model name `synthetic`): the built-in body and
/// face drawn by the corpus rasteriser, so every control shows a recognisable person.
///
/// Seed N is the person `portrait synth --seed N --count 1` draws first (face identity, body shape, skin,
/// hair, clothing); `blend` walks identity and shape towards seed N+1 (appearance switches at 0.5); ψ
/// scales identity and shape towards the mean person (ψ 0 = mean); the expression sliders are the 16
/// named blendshapes; yaw/pitch drive the portrait camera, or with view `face` the face camera relative to
/// the posed head; the six joints pose the body. `lr` is the image averaged down to LR size; `depth` the
/// z-buffer.
public final class SyntheticPortraitModel: PortraitModel {
    public let renderer: SyntheticPortraitRenderer
    public let identity: PortraitModelIdentity
    public let controlSpace: PortraitControlSpace
    public var cachesIdentity: Bool { false }
    /// Expression presets: the corpus distribution's expressions for seeds 0…99.
    private let presets: [[Double]]
    /// The last posed figure and what it was posed from: frames that differ only in camera, view or quality
    /// (the studio's full frame after its preview, camera drags) skip posing and dressing.
    private let lastScene = Mutex<(key: SceneKey, scene: SyntheticPortraitRenderer.Scene)?>(nil)

    /// Everything a scene depends on.
    struct SceneKey: Equatable, Sendable {
        let identity: [Double]
        let shape: [Double]
        let expression: [Double]
        let joints: [[Double]]
        let appearanceSeed: UInt64
    }

    /// The low-resolution image's side relative to the full image (the studio configuration's HR / LR).
    public static let lowResolutionFactor = 4

    public init(size: Int = 256) throws {
        let renderer = try SyntheticPortraitRenderer(size: size, faceSize: size)
        self.renderer = renderer
        identity = PortraitModelIdentity(name: "synthetic", version: SyntheticPortraitRenderer.version)
        presets = (0..<100).map { CorpusBuilder(renderer: renderer, seed: UInt64($0)).draw(0).0.expression }
        let depthNear = 1.755087979372887, depthFar = 2.115087979372887
        controlSpace = PortraitControlSpace(
            expressionDim: FaceModel.expressionNames.count, expressionNames: FaceModel.expressionNames,
            expressionRange: 0...1, defaultPsi: 1, expressionPresetCount: presets.count, imageSize: size,
            lowResolutionSize: size / Self.lowResolutionFactor, depthRange: depthNear...depthFar)
    }

    /// Length of the identity code (the face model's identity directions).
    public var identityDimension: Int { FaceModel.identityNames.count }
    /// Length of the shape code (the built-in body's shape directions).
    public var shapeDimension: Int { BuiltinBody.shapeDirectionNames.count }

    /// What a prepared identity holds: the person's codes after ψ.
    struct Person: Sendable {
        let identity: [Double]
        let shape: [Double]
    }

    public func expressionPreset(_ row: Int) -> [Double]? { presets.indices.contains(row) ? presets[row] : nil }

    /// The person of a seed (corpus image 0 of that seed).
    func person(seed: UInt64) -> (PortraitLabels, Appearance) {
        CorpusBuilder(renderer: renderer, seed: seed).draw(0)
    }

    public func codes(for identity: Controls.Identity) throws -> IdentityCodes {
        switch identity {
        case let .seed(seed, blend):
            let (a, _) = person(seed: UInt64(seed))
            let (b, _) = person(seed: UInt64(seed) &+ 1)
            func mix(_ x: [Double], _ y: [Double]) -> [Float] { zip(x, y).map { Float((1 - blend) * $0 + blend * $1) } }
            return IdentityCodes(identity: mix(a.identity, b.identity), shape: mix(a.shape, b.shape), noise: [])
        case let .codes(codes):
            let identityDim = FaceModel.identityNames.count, shapeDim = BuiltinBody.shapeDirectionNames.count
            guard codes.identity.count == identityDim, codes.shape.count == shapeDim else {
                throw ControlsError.invalid(path: "identity.codes", reason:
                    "\(codes.identity.count) identity and \(codes.shape.count) shape values, the synthetic model has \(identityDim) and \(shapeDim)")
            }
            return IdentityCodes(identity: codes.identity, shape: codes.shape, noise: [])
        }
    }

    public func prepareLowResolution(codes: IdentityCodes, psi: Double,
                                     isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity {
        let person = Person(identity: codes.identity.map { Double($0) * psi }, shape: codes.shape.map { Double($0) * psi })
        return PreparedIdentity(codes: codes, psi: psi, stage: .complete, byteCount: 8 * 90, payload: person)
    }

    public func completeIdentity(_ prepared: PreparedIdentity,
                                 isCancelled: @escaping @Sendable () -> Bool) throws -> PreparedIdentity { prepared }

    public func render(identity prepared: PreparedIdentity, controls: Controls,
                       isCancelled: @escaping @Sendable () -> Bool) throws -> FrameOutput {
        guard let person = prepared.payload as? Person else {
            preconditionFailure("SyntheticPortraitModel: prepared identity from another model")
        }
        let expression = try controls.expressionVector(dimension: controlSpace.expressionDim, names: FaceModel.expressionNames)
        let view: SyntheticPortraitRenderer.View = controls.view == .face ? .face : .portrait
        let labels = PortraitLabels(cameraYaw: controls.camera.yaw, cameraPitch: controls.camera.pitch, joints: controls.joints,
                                    shape: person.shape, identity: person.identity, expression: expression,
                                    faceYaw: controls.camera.yaw, facePitch: controls.camera.pitch)
        if isCancelled() { throw CancellationError() }
        // The appearance is the seed's (the next seed's past blend 0.5); explicit codes get seed 0's.
        var seed: UInt64 = 0
        if case let .seed(s, blend) = controls.identity { seed = UInt64(s) &+ (blend >= 0.5 ? 1 : 0) }
        let key = SceneKey(identity: person.identity, shape: person.shape, expression: expression, joints: controls.joints,
                           appearanceSeed: seed)
        let scene: SyntheticPortraitRenderer.Scene
        if let cached = lastScene.withLock({ $0?.key == key ? $0?.scene : nil }) {
            scene = cached
        } else {
            scene = try renderer.scene(labels, appearance: self.person(seed: seed).1)
            lastScene.withLock { $0 = (key, scene) }
        }
        let size = controls.quality == .preview ? renderer.size / 2 : renderer.size
        let rendering = renderer.draw(scene, view: view, yaw: controls.camera.yaw, pitch: controls.camera.pitch, size: size)
        return try Self.frameOutput(rendering, lowResolution: renderer.size / Self.lowResolutionFactor)
    }

    /// The generator's output layout: `[3, s, s]` in [−1, 1], the LR image by area averaging, depth `[s, s]`.
    static func frameOutput(_ r: SyntheticPortraitRenderer.Rendering, lowResolution: Int) throws -> FrameOutput {
        let s = r.size
        var image = [Float](repeating: 0, count: 3 * s * s)
        for (i, c) in r.colour.enumerated() {
            for k in 0..<3 { image[k * s * s + i] = 2 * min(max(c[k], 0), 1) - 1 }
        }
        let n = max(1, min(lowResolution, s)), block = max(1, s / n)
        var low = [Float](repeating: 0, count: 3 * n * n)
        for y in 0..<n {
            for x in 0..<n {
                for k in 0..<3 {
                    var sum: Float = 0
                    for dy in 0..<block { for dx in 0..<block { sum += image[k * s * s + (y * block + dy) * s + x * block + dx] } }
                    low[k * n * n + y * n + x] = sum / Float(block * block)
                }
            }
        }
        return FrameOutput(image: try Tensor(shape: [3, s, s], scalars: image),
                           lowResolutionImage: try Tensor(shape: [3, n, n], scalars: low),
                           depth: try Tensor(shape: [s, s], scalars: r.depth))
    }
}
