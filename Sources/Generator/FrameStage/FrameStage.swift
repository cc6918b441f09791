import Body
import Foundation
import Geometry
import ModelIO
import Numerics

/// The frame stage of the generator (SPEC §1.2 F1–F12, §1.3, §1.4): from the cached radiance maps of an
/// identity and the per-frame controls (expression, body shape, joint angles, camera) to the image, the
/// low-resolution image and the depth map.
///
/// Work is tiled by rays with buffers allocated once per call and split over the cores
/// (`Parallel.forEachWithWorker`); no activation larger than one tile (`tileRows` points × the widest layer)
/// is materialised.
public struct FrameStage: Sendable {
    public let configuration: GeneratorConfiguration
    public let body: RenderingBody
    public let smoother: PoseSmoother
    public let deformNet: DeformNet
    public let sampleNet: SampleNet
    public let portraitCamera: PortraitCamera
    public let faceCamera: FaceCamera
    /// Level values `linspace(levels_start, levels_end, M)`.
    public let levels: [Float]

    /// Points per ray tile of the DeformNet / SampleNet pass (rays per tile = this / points per ray): the
    /// two 128-wide activations of a tile (1 MiB) stay in a core's L2 cache (4096 was measured 8 % slower).
    public static let tileRows = 1024
    /// `SAMPLE_CENTER` `c`: the map grid's y centre.
    public static let sampleCenter = Float(-0.02830771)
    /// `SAMPLE_SCALE`: half the extent of the orthographic map grid.
    public static let sampleScale = Float(0.22)

    /// Loads the frame-stage networks (`smoother.*`, `deform_net.*`, `sample_net.*`) for `configuration`.
    public init(weights: Weights, configuration: GeneratorConfiguration, body: RenderingBody,
                portraitCamera: PortraitCamera = .release, faceCamera: FaceCamera = .standard) throws {
        if let problem = configuration.problem() { throw GeneratorError.configuration(problem) }
        self.configuration = configuration
        self.body = body
        smoother = try PoseSmoother(weights: weights, configuration: configuration)
        deformNet = try DeformNet(weights: weights, configuration: configuration)
        sampleNet = try SampleNet(weights: weights, configuration: configuration)
        self.portraitCamera = portraitCamera
        self.faceCamera = faceCamera
        levels = linspace(Float(configuration.levelsStart), Float(configuration.levelsEnd), configuration.numManifolds)
    }

    /// Sizes of one render: the ray grid, samples and points per ray, the output image size, and how the
    /// pose-smoothing volume is sampled.
    public struct Plan: Sendable, Equatable {
        /// Rays per side (`n`); the LR image is `n × n`.
        public var rays: Int
        /// Samples per ray before the 1-D upsampling (D).
        public var samples: Int
        /// Points per ray after it (D').
        public var points: Int
        /// Side of the composited image and depth map.
        public var imageSize: Int
        /// Whether the nearest-vertex volume takes every 2nd ray (SPEC F4, F5: upsampled ×2 by the smoother)
        /// or every ray (smoothed at that resolution by `PoseSmoother.coarseApply`). It always takes every
        /// 2nd sample.
        public var subsampledVolume: Bool
    }

    /// The plan of a quality.
    ///
    /// `full` is exactly SPEC §1.2: `HL` rays per side, `frame_num_samples` samples, `frame_num_points`
    /// points, images at `HS`.
    ///
    /// `preview` (SPEC §7 items 3, 4 and 2; not a parity path) drops:
    /// - three quarters of the rays: an `HL/2` ray grid; the LR image is rendered on it (`HL/2` pixels);
    /// - three quarters of the points per ray (`D'/4` after the 1-D upsampling): coarser crossings;
    /// - three quarters of the output pixels: the intersections are upsampled to `HS/2` and the HR maps are
    ///   read there (at full size).
    /// It keeps all `D` samples per ray (halving them bends the pose warp along the ray visibly) and the
    /// pose smoothing at the full quality's resolution: with half the rays, every ray is one cell of the
    /// nearest-vertex volume (the full quality's cell spacing); the volume is smoothed by conv1, upsampled
    /// along depth, and convolved with one kernel equivalent to the height/width ×2 upsampling + conv2 +
    /// keeping the even rows and columns (`PoseSmoother.coarseApply`, equal away from the borders).
    public func plan(_ quality: Controls.Quality) -> Plan {
        let c = configuration
        switch quality {
        case .full:
            return Plan(rays: c.lrImageSize, samples: c.frameNumSamples, points: c.frameNumPoints,
                        imageSize: c.hrImageSize, subsampledVolume: true)
        case .preview:
            return Plan(rays: c.lrImageSize / 2, samples: c.frameNumSamples, points: max(2, c.frameNumPoints / 4),
                        imageSize: max(1, c.hrImageSize / 2), subsampledVolume: false)
        }
    }

    /// Renders one frame.
    /// - Parameters:
    ///   - identity: the identity stage's result: its maps (`[M, 4, HL, HL]`, `[M, 4, HS, HS]`) and `z_id`.
    ///   - expression: `z_exp` `[expression_dim]`.
    ///   - shape: SMPL `β` `[shape_dim]`.
    ///   - camera: camera angles (absolute radians; for the face view relative to the posed head).
    ///   - jointEulers: `(z, y, x)` radians of SMPL joints 12…17 relative to the mean pose.
    ///   - isCancelled: polled between stages and tiles (from worker threads); when it returns true the call
    ///     throws `CancellationError`.
    public func render(identity: IdentityMaps, expression: [Float], shape: [Float], camera: CameraAngles,
                       jointEulers: [SIMD3<Float>], view: Controls.View = .portrait, quality: Controls.Quality = .full,
                       isCancelled: @Sendable () -> Bool = { false }) throws -> FrameOutput {
        try run(identity: identity, expression: expression, shape: shape, camera: camera, jointEulers: jointEulers,
                view: view, plan: plan(quality), traced: false, isCancelled: isCancelled).output
    }

    /// `render` that also returns the intermediates of the reference dumps (SPEC §6.2).
    public func renderTraced(identity: IdentityMaps, expression: [Float], shape: [Float], camera: CameraAngles,
                             jointEulers: [SIMD3<Float>], view: Controls.View = .portrait,
                             quality: Controls.Quality = .full) throws -> (output: FrameOutput, trace: FrameTrace) {
        let r = try run(identity: identity, expression: expression, shape: shape, camera: camera,
                        jointEulers: jointEulers, view: view, plan: plan(quality), traced: true, isCancelled: { false })
        guard let trace = r.trace else { preconditionFailure("FrameStage: traced run without a trace") }
        return (r.output, trace)
    }

    func validate(identity: IdentityMaps, expression: [Float], shape: [Float], camera: CameraAngles,
                  jointEulers: [SIMD3<Float>]) throws {
        let maps = (lr: identity.lrMaps, hr: identity.hrMaps)
        let c = configuration
        let m = c.numManifolds
        func check(_ name: String, _ values: [Float], _ count: Int) throws {
            guard values.count == count else {
                throw GeneratorError.invalidInput(field: name, reason: "\(values.count) values, model has \(count)")
            }
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw GeneratorError.invalidInput(field: "\(name)[\(i)]", reason: "\(values[i]) is not finite")
            }
        }
        try check("identity code", identity.identity, c.identityDim)
        try check("expression", expression, c.expressionDim)
        try check("shape", shape, c.shapeDim)
        try check("camera", [camera.pitch, camera.yaw], 2)
        try check("joints", jointEulers.flatMap { [$0.x, $0.y, $0.z] }, 3 * MeanPose.slotCount)
        guard maps.lr.shape == [m, 4, c.lrImageSize, c.lrImageSize] else {
            throw GeneratorError.invalidInput(field: "LR maps", reason: "shape \(maps.lr.shape), expected \([m, 4, c.lrImageSize, c.lrImageSize])")
        }
        guard maps.hr.shape == [m, 4, c.hrImageSize, c.hrImageSize] else {
            throw GeneratorError.invalidInput(field: "HR maps", reason: "shape \(maps.hr.shape), expected \([m, 4, c.hrImageSize, c.hrImageSize])")
        }
    }

    func run(identity: IdentityMaps, expression: [Float], shape: [Float], camera: CameraAngles,
             jointEulers: [SIMD3<Float>], view: Controls.View, plan: Plan, traced: Bool,
             isCancelled: @Sendable () -> Bool) throws -> (output: FrameOutput, trace: FrameTrace?) {
        try validate(identity: identity, expression: expression, shape: shape, camera: camera, jointEulers: jointEulers)
        func checkCancelled() throws { if isCancelled() { throw CancellationError() } }

        // F3: the posed body (first: the face camera needs the head).
        let profile = StageProfile.shared
        let posed = try profile.region(.bodyPosing) { try body.pose(betas: shape, eulers: jointEulers) }
        // F1, F2: rays in the target space.
        let (frame, target) = profile.region(.rays) {
            let frame: CameraFrame
            let grid: RayGrid
            switch view {
            case .portrait:
                frame = portraitCamera.frame(camera)
                grid = portraitCamera.rays(resolution: plan.rays, samples: plan.samples)
            case .face:
                frame = faceCamera.frame(camera, head: posed.headTransform)
                grid = faceCamera.rays(resolution: plan.rays, samples: plan.samples)
            }
            return (frame, Self.samplePoints(grid: grid, frame: frame))
        }
        try checkCancelled()
        // F4: nearest valid vertex on the 2x-subsampled samples, and the volume of its inverse transforms.
        // Row 3 of the transforms is never read by F6: without a trace only rows 0...2 are smoothed.
        let (volume, nearest) = try profile.region(.nearestNeighbours) {
            let search = try NearestVertexSearch(points: posed.validVertices)
            return Self.nearestTransforms(target: target, rays: plan.rays, samples: plan.samples,
                                          stride: plan.subsampledVolume ? 2 : 1, search: search,
                                          inverses: posed.inverseTransforms, rows: traced ? 4 : 3)
        }
        try checkCancelled()
        // F5, F6.
        let smoothed = try profile.region(.smoother) {
            try plan.subsampledVolume ? smoother.apply(volume) : smoother.coarseApply(volume)
        }
        let canonical = profile.region(.poseWarp) {
            Self.inverseTransform(target: target, smoothed: smoothed, rays: plan.rays, samples: plan.samples)
        }
        try checkCancelled()
        // F7-F10.
        let modulation = try profile.region(.mapping) {
            try deformNet.modulation(identity: identity.identity, expression: expression)
        }
        let hits = try intersect(canonical: canonical, target: traced ? target : nil, plan: plan,
                                 modulation: modulation, isCancelled: isCancelled)
        try checkCancelled()
        // F11, F12.
        let (lowResolution, image, depth) = try profile.region(.compositing) {
            let lowResolution = try Self.renderLowResolution(intersections: hits.canonical, valid: hits.valid,
                                                             origin: frame.origin, maps: identity.lrMaps, rays: plan.rays)
            let (image, depth) = try Self.renderHighResolution(intersections: hits.canonical, valid: hits.valid,
                                                                origin: frame.origin, maps: identity.hrMaps,
                                                                rays: plan.rays, size: plan.imageSize)
            return (lowResolution, image, depth)
        }
        let output = FrameOutput(image: image, lowResolutionImage: lowResolution, depth: depth)
        guard traced else { return (output, nil) }
        let n = plan.rays
        let rayIDs = [n / 8, 3 * n / 8, 5 * n / 8, 7 * n / 8].map { (n / 2) * n + $0 }
        let trace = FrameTrace(
            cameraOrigin: frame.origin, targetPoints: target, nearestVertex: nearest,
            inverseTransformRays: try Self.transformsOfRays(rayIDs, smoothed: smoothed, rays: n, samples: plan.samples),
            canonicalPoints: canonical, intersectionsTarget: hits.target ?? Tensor.zeros([0]),
            intersectionsSMPL: hits.smpl ?? Tensor.zeros([0]), intersectionsCanonical: hits.canonical,
            isValid: hits.valid)
        return (output, trace)
    }

    // MARK: F1, F2

    /// `Xw[p, n] = R·(d_p·z_n) + o + offset` for every ray `p` and sample `n`: `[n², D, 3]` (SPEC F1, F2).
    static func samplePoints(grid: RayGrid, frame: CameraFrame) -> Tensor {
        let rays = grid.directions.count
        let samples = grid.depths.count
        var out = Tensor.zeros([rays, samples, 3])
        out.withUnsafeMutableBufferPointer { x in
            for p in 0..<rays {
                for n in 0..<samples {
                    let w = frame.worldPoint(grid.cameraPoint(ray: p, sample: n))
                    let base = (p * samples + n) * 3
                    x[base] = w.x; x[base + 1] = w.y; x[base + 2] = w.z
                }
            }
        }
        return out
    }

    // MARK: F4

    /// The nearest valid vertex of every sub-sampled point `(a, b, e) ↔ (row s·a, col s·b, sample 2e)` for
    /// the ray stride `s` (2 in SPEC F4; flat index `(a·n/s + b)·D/2 + e`) and the volume
    /// `Vol[ch, e, a, b] = Tinv[nn][ch / 4][ch % 4]` `[4·rows, D/2, n/s, n/s]` of the first `rows` matrix
    /// rows (SPEC F4, F5).
    static func nearestTransforms(target: Tensor, rays n: Int, samples: Int, stride: Int = 2, search: NearestVertexSearch,
                                  inverses: [Matrix4], rows: Int = 4) -> (volume: Tensor, nearest: [Int32]) {
        let half = n / stride, depth = samples / 2
        var volume = Tensor.zeros([4 * rows, depth, half, half])
        var nearest = [Int32](repeating: 0, count: half * half * depth)
        let plane = half * half
        let channelStride = depth * plane
        target.withUnsafeBufferPointer { x in
            volume.withUnsafeMutableBufferPointer { vol in
                nearest.withUnsafeMutableBufferPointer { nn in
                    Parallel.forEach(half) { a in
                        var hint = 0
                        for b in 0..<half {
                            for e in 0..<depth {
                                let base = (((stride * a) * n + stride * b) * samples + 2 * e) * 3
                                let v = search.nearest(to: SIMD3(x[base], x[base + 1], x[base + 2]), hint: hint)
                                hint = v
                                nn[(a * half + b) * depth + e] = Int32(v)
                                let m = inverses[v]
                                let cell = e * plane + a * half + b
                                for r in 0..<rows {
                                    let row = m.row(r)
                                    for c in 0..<4 { vol[(4 * r + c) * channelStride + cell] = row[c] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (volume, nearest)
    }

    // MARK: F6

    /// `Xu[p, n] = (Ts[p, n]·[Xw[p, n]; 1])[0:3]` with `Ts[p, n]` = the smoothed volume at (sample n, row,
    /// col) of ray p, summed `((T₀x + T₁y) + T₂z) + T₃` per row (SPEC F6).
    static func inverseTransform(target: Tensor, smoothed: Tensor, rays n: Int, samples: Int) -> Tensor {
        let count = n * n
        var out = Tensor.zeros([count, samples, 3])
        let plane = count
        let channelStride = samples * plane
        target.withUnsafeBufferPointer { x in
            smoothed.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { u in
                    Parallel.forEach(n) { row in
                        for p in (row * n)..<((row + 1) * n) {
                            for s in 0..<samples {
                                let base = (p * samples + s) * 3
                                let px = x[base], py = x[base + 1], pz = x[base + 2]
                                let cell = s * plane + p
                                for r in 0..<3 {
                                    var v = t[(4 * r) * channelStride + cell] * px
                                    v += t[(4 * r + 1) * channelStride + cell] * py
                                    v += t[(4 * r + 2) * channelStride + cell] * pz
                                    v += t[(4 * r + 3) * channelStride + cell]
                                    u[base + r] = v
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The smoothed 4×4 transforms of the given rays at every sample: `[rays.count, D, 4, 4]`.
    static func transformsOfRays(_ ids: [Int], smoothed: Tensor, rays n: Int, samples: Int) throws -> Tensor {
        let plane = n * n
        let channelStride = samples * plane
        let s = smoothed.scalars
        var out = [Float]()
        out.reserveCapacity(ids.count * samples * 16)
        for p in ids {
            for d in 0..<samples {
                for ch in 0..<16 { out.append(s[ch * channelStride + d * plane + p]) }
            }
        }
        return try Tensor(shape: [ids.count, samples, 4, 4], scalars: out)
    }
}
