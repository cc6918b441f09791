import Autodiff
import Body
import Generator
import Geometry
import ModelIO
import Numerics

extension DifferentiableGenerator {
    /// The frame stage (SPEC §1.2–§1.4) for `identity` on the tape of `parameters`.
    public func render(_ parameters: BoundGeneratorParameters, identity: DifferentiableIdentity,
                       request: FrameRequest) throws -> DifferentiableFrame {
        let c = configuration, tape = parameters.tape
        try checkCodes([("expression", request.expression, c.expressionDim), ("shape", request.shape, c.shapeDim),
                        ("camera", [request.camera.pitch, request.camera.yaw], 2),
                        ("joints", request.jointEulers.flatMap { [$0.x, $0.y, $0.z] }, 3 * MeanPose.slotCount)])
        let n = request.rays ?? (request.view == .portrait ? c.lrImageSize : c.hrImageSize / 2)
        guard n >= 2, n % 2 == 0, n / 2 >= c.smootherKD else {
            throw GeneratorError.invalidInput(field: "rays", reason: "\(n): needs an even count with n/2 >= smoother_k_d = \(c.smootherKD)")
        }
        if request.highResolution && (request.shading != .maps || identity.highResolutionMaps == nil) {
            throw GeneratorError.invalidInput(field: "highResolution", reason: "the HR image needs maps shading and HR maps")
        }
        if request.shading == .maps && identity.lowResolutionMaps == nil {
            throw GeneratorError.invalidInput(field: "shading", reason: "maps shading needs the identity's LR maps")
        }
        // F1–F4: constants.
        let posed = try body.pose(betas: request.shape, eulers: request.jointEulers)
        let d = c.frameNumSamples, points = c.frameNumPoints, rayCount = n * n
        let frame: CameraFrame, grid: RayGrid
        switch request.view {
        case .portrait:
            frame = portraitCamera.frame(request.camera)
            grid = portraitCamera.rays(resolution: n, samples: d)
        case .face:
            frame = faceCamera.frame(request.camera, head: posed.headTransform)
            grid = faceCamera.rays(resolution: n, samples: d)
        }
        let target = FrameStage.targetPoints(grid: grid, frame: frame)
        let volume = try FrameStage.inverseTransformVolume(target: target, rays: n, samples: d, posed: posed)
        // F5: the pose smoother D^p on rows 0...2 of the transforms (12 channels).
        let channels = volume.shape[0]
        let kd = c.smootherKD
        let padding = (depth: kd / 2, height: kd - 1, width: kd - 1)
        func kernel(_ name: String) throws -> Variable {
            let w = try tape.slice(parameters[name], axis: 0, range: 0..<channels)
            let taps = w.count / channels
            let sum = try tape.sum(tape.reshape(w, [channels, taps]), axis: 1)
            return try tape.divide(w, tape.reshape(sum, [channels, 1, 1, 1, 1]))
        }
        let v1 = try tape.depthwiseConv3d(tape.constant(volume.reshaped([1] + volume.shape)),
                                          weight: kernel("smoother.conv_block1.weight"), padding: padding)
        let v2 = try tape.resize(v1, to: [d, n, n], alignCorners: false)
        let smoothed = try tape.depthwiseConv3d(v2, weight: kernel("smoother.conv_block2.weight"), padding: padding)
        // F6: Xu = Ts·[Xw; 1] with the fourth matrix row (0, 0, 0, 1).
        let rows = try tape.reshape(tape.permute(tape.reshape(smoothed, [channels, d, rayCount]), [2, 1, 0]),
                                    [rayCount * d, channels / 4, 4])
        let lastRow = try Tensor(shape: [1, 1, 4], scalars: [0, 0, 0, 1]).broadcasted(to: [rayCount * d, 1, 4])
        let matrices = try tape.concatenate([rows, tape.constant(lastRow)], axis: 1)
        let xu = try tape.transformPoints(tape.constant(target.reshaped([rayCount * d, 3])), matrices: matrices)
        // F7: 1-D upsampling D → D' (align_corners = true).
        let yu = try tape.permute(tape.resize(tape.permute(tape.reshape(xu, [rayCount, d, 3]), [0, 2, 1]),
                                              to: [points], alignCorners: true), [0, 2, 1])
        // F8, F9: DeformNet and SampleNet per point.
        let modulation = try deformationModulation(parameters, identity: identity.identity, expression: request.expression)
        let hd = c.deformHiddenDim
        let perPoint = try chunked(tape, parameters,
                                   names: names(parameters, prefix: "deform_net.") + names(parameters, prefix: "sample_net."),
                                   rowInputs: [tape.reshape(yu, [rayCount * points, 3])],
                                   shared: [modulation.frequencies, modulation.phases]) { t, w, rows, shared in
            let warped = try t.affine(rows[0], scale: SampleNet.warp)
            let delta = try DifferentiableNetworks.deformation(t, w, warped: warped, frequencies: shared[0],
                                                               phases: shared[1], hidden: hd)
            let s = try DifferentiableNetworks.sampleNet(t, w, DifferentiableNetworks.sampleNetInput(t, warpedOnce: t.add(warped, delta)))
            return try t.concatenate([delta, s], axis: 1)
        }
        let delta = try tape.reshape(tape.slice(perPoint, axis: 1, range: 0..<3), [rayCount, points, 3])
        let field = try tape.reshape(tape.slice(perPoint, axis: 1, range: 3..<4), [rayCount, points])
        // F10: first downward crossing per level; points and deformation interpolated separately.
        let crossings = try LevelCrossings(levelField: tape.value(field), levels: levels)
        let intersections = try tape.add(tape.crossingInterpolation(yu, levelField: field, crossings: crossings),
                                         tape.crossingInterpolation(delta, levelField: field, crossings: crossings))
        let valid = crossings.validMask
        // F11 (LR image) with the chosen shading, F12 (HR image).
        let rgba: Variable
        switch request.shading {
        case .maps:
            guard let maps = identity.lowResolutionMaps else { preconditionFailure("checked above") }
            rgba = try lookUp(tape, maps: maps, intersections: intersections, rays: n)
        case .direct:
            rgba = try directRadiance(parameters, identity: identity, intersections: intersections, valid: valid)
        }
        let depths = try distances(tape, intersections: intersections, origin: frame.origin, valid: valid)
        let low = try Compositing.composite(tape, rgba: rgba, depth: depths, valid: valid)
        var image: Variable?, depth: Variable?
        if request.highResolution, let maps = identity.highResolutionMaps {
            let high = try highResolution(tape, maps: maps, intersections: intersections, valid: valid, rays: n,
                                          origin: frame.origin)
            image = high.image
            depth = high.depth
        }
        return DifferentiableFrame(
            origin: frame.origin, rays: n,
            lowResolutionImage: try tape.reshape(low.image, [3, n, n]), lowResolutionDepth: try tape.reshape(low.depth, [n, n]),
            image: image, depth: depth, intersections: intersections, valid: valid, canonicalPoints: yu,
            deformation: delta, transformVolume: volume, smoothedTransforms: smoothed)
    }

    /// The DeformNet modulation (SPEC §2.4: mapping of `concat(z_id, z_exp)`, not truncated): FiLM
    /// frequencies (already `·15 + 30`) and phases, `[1, 3·deform_hidden_dim]` each.
    public func deformationModulation(_ parameters: BoundGeneratorParameters, identity: [Float], expression: [Float]) throws
        -> (frequencies: Variable, phases: Variable) {
        let c = configuration, tape = parameters.tape
        try checkCodes([("identity", identity, c.identityDim), ("expression", expression, c.expressionDim)])
        let z = tape.constant(try Tensor(shape: [1, identity.count + expression.count], scalars: identity + expression))
        let out = try DifferentiableNetworks.mapping(tape, parameters.variables, prefix: "deform_net.mapping_network", z).output
        let n = 3 * c.deformHiddenDim
        return (try DifferentiableNetworks.filmFrequencies(tape, tape.slice(out, axis: 1, range: 0..<n)),
                try tape.slice(out, axis: 1, range: n..<(2 * n)))
    }

    /// The expression deformation D^e at once-warped points `warpedPoints` `[R, 3]` (`x·2/0.24`, x in the
    /// normalised body space): `Δ` `[R, 3]` in warped units (the deformed point is `warpedPoints + Δ`).
    /// For the imitation, expression-smoothness and minimal-deformation losses.
    public func expressionDeformation(_ parameters: BoundGeneratorParameters, warpedPoints: Variable,
                                      modulation: (frequencies: Variable, phases: Variable)) throws -> Variable {
        let tape = parameters.tape, hd = configuration.deformHiddenDim
        return try chunked(tape, parameters, names: names(parameters, prefix: "deform_net."), rowInputs: [warpedPoints],
                           shared: [modulation.frequencies, modulation.phases]) { t, w, rows, shared in
            try DifferentiableNetworks.deformation(t, w, warped: rows[0], frequencies: shared[0], phases: shared[1], hidden: hd)
        }
    }

    /// Colours and alphas `[n², M, 4]` of the intersections `[n², M, 3]` from maps `[M, 4, H, W]` (SPEC F11:
    /// grid `(x / 0.22, (y − c) / 0.22)`, bilinear, border, align_corners = false).
    func lookUp(_ tape: Tape, maps: Variable, intersections: Variable, rays n: Int) throws -> Variable {
        let m = levels.count
        let grid = try mapGrid(tape, x: tape.slice(intersections, axis: 2, range: 0..<1),
                               y: tape.slice(intersections, axis: 2, range: 1..<2), axis: 2)
        let sampled = try tape.gridSample(maps, grid: tape.reshape(tape.permute(grid, [1, 0, 2]), [m, n, n, 2]))
        return try tape.permute(tape.reshape(sampled, [m, 4, n * n]), [2, 0, 1])
    }

    /// The map grid coordinates `(x / 0.22, (y − c) / 0.22)` joined along `axis`.
    func mapGrid(_ tape: Tape, x: Variable, y: Variable, axis: Int) throws -> Variable {
        let scale = 1 / FrameStage.sampleScale
        return try tape.concatenate([tape.affine(x, scale: scale),
                                     tape.affine(tape.affine(y, scale: 1, offset: -FrameStage.sampleCenter), scale: scale)], axis: axis)
    }

    /// Distances `[n², M]` of the intersections from `origin`, 10 for invalid entries (SPEC F11).
    func distances(_ tape: Tape, intersections: Variable, origin: SIMD3<Float>, valid: Tensor) throws -> Variable {
        let o = tape.constant(try Tensor(shape: [1, 1, 3], scalars: [origin.x, origin.y, origin.z]))
        let z = try tape.sqrt(tape.sum(tape.square(tape.subtract(intersections, o)), axis: 2))
        return try maskedDepth(tape, z, valid: valid)
    }

    /// `z·valid + 10·(1 − valid)`.
    func maskedDepth(_ tape: Tape, _ z: Variable, valid: Tensor) throws -> Variable {
        let invalid = Tensor.zeros(valid.shape).replacingValues(valid.scalars.map { $0 == 0 ? Compositor.invalidDepth : 0 })
        return try tape.add(tape.multiply(z, tape.constant(valid)), tape.constant(invalid))
    }

    /// RadianceNet at the intersections `[n², M, 3]` (direction (0, 0, −1)): `[n², M, 4]` rgb and α·valid.
    func directRadiance(_ parameters: BoundGeneratorParameters, identity: DifferentiableIdentity, intersections: Variable,
                        valid: Tensor) throws -> Variable {
        let tape = parameters.tape, h = configuration.hiddenDim
        let (count, m) = (intersections.shape[0], intersections.shape[1])
        let out = try chunked(tape, parameters, names: names(parameters, prefix: "radiance_net."),
                              rowInputs: [tape.reshape(intersections, [count * m, 3])],
                              shared: [identity.frequencies, identity.phases]) { t, w, rows, shared in
            try DifferentiableNetworks.radiance(t, w, points: rows[0], frequencies: shared[0], phases: shared[1],
                                                direction: LowResolutionMaps.direction, hidden: h)
        }
        let alpha = try DifferentiableNetworks.alpha(tape, sigma: tape.slice(out, axis: 1, range: 3..<4),
                                                     valid: tape.constant(valid.reshaped([count * m, 1])))
        return try tape.reshape(tape.concatenate([tape.slice(out, axis: 1, range: 0..<3), alpha], axis: 1), [count, m, 4])
    }

    /// SPEC F12: intersections upsampled bilinearly (align_corners = true) to `HS`, validity upsampled and
    /// thresholded at `> 0.99`, HR map lookups, composite → image `[3, HS, HS]`, depth `[HS, HS]`.
    func highResolution(_ tape: Tape, maps: Variable, intersections: Variable, valid: Tensor, rays n: Int,
                        origin: SIMD3<Float>) throws -> (image: Variable, depth: Variable) {
        let m = levels.count, size = configuration.hrImageSize, pixels = size * size
        let image = try tape.reshape(tape.permute(intersections, [1, 2, 0]), [m, 3, n, n])
        let high = try tape.resize(image, to: [size, size], alignCorners: true)                 // [M, 3, S, S]
        let upsampledValid = try valid.permuted([1, 0]).reshaped([m, 1, n, n])
            .resizedBilinear(height: size, width: size, alignCorners: true)
        let validHigh = Tensor.zeros([m, pixels]).replacingValues(upsampledValid.scalars.map { $0 > 0.99 ? 1 : 0 })
        let grid = try mapGrid(tape, x: tape.slice(high, axis: 1, range: 0..<1), y: tape.slice(high, axis: 1, range: 1..<2), axis: 1)
        let sampled = try tape.gridSample(maps, grid: tape.permute(grid, [0, 2, 3, 1]))           // [M, 4, S, S]
        let rgba = try tape.permute(tape.reshape(sampled, [m, 4, pixels]), [2, 0, 1])
        let o = tape.constant(try Tensor(shape: [1, 3, 1, 1], scalars: [origin.x, origin.y, origin.z]))
        let z = try tape.sqrt(tape.sum(tape.square(tape.subtract(high, o)), axis: 1))            // [M, S, S]
        let validPixels = try validHigh.permuted([1, 0])
        let depth = try maskedDepth(tape, tape.permute(tape.reshape(z, [m, pixels]), [1, 0]), valid: validPixels)
        let out = try Compositing.composite(tape, rgba: rgba, depth: depth, valid: validPixels)
        return (try tape.reshape(out.image, [3, size, size]), try tape.reshape(out.depth, [size, size]))
    }
}

extension Tensor {
    /// This shape holding `values` (count must match: a programmer error otherwise).
    func replacingValues(_ values: [Float]) -> Tensor {
        precondition(values.count == count, "replacingValues: \(values.count) values for \(shape)")
        var out = self
        out.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] = values[i] } }
        return out
    }
}
