import Autodiff
import Generator
import ModelIO
import Numerics

/// The generator's networks (SPEC §2) recorded on a tape, reading their parameters by state-dict name from
/// `weights` (variables of that tape: a `BoundGeneratorParameters`' `variables`, or the re-bound inputs of a
/// `Tape.checkpointed` body). Same layer order and formulas as the inference networks of the Generator module.
///
/// Shapes: rows are points; `[1, n]` modulation vectors are broadcast over the rows.
enum DifferentiableNetworks {
    typealias Parameters = [String: Variable]

    static func parameter(_ weights: Parameters, _ name: String) throws -> Variable {
        guard let v = weights[name] else { throw GeneratorError.missingTensor(name: name, source: "differentiable forward") }
        return v
    }

    /// `prefix.weight` / `prefix.bias` as a dense layer on `x` `[..., in]` → `[..., out]`.
    static func linear(_ tape: Tape, _ weights: Parameters, _ prefix: String, _ x: Variable) throws -> Variable {
        try tape.linear(x, weight: parameter(weights, prefix + ".weight"), bias: parameter(weights, prefix + ".bias"))
    }

    /// A mapping network (`prefix.network.{0,2,4}` + LReLU 0.2, then `network.6`) on `z` `[1, in]`:
    /// the hidden output (`get_w`) `[1, hidden]` and the output `[1, out]`.
    static func mapping(_ tape: Tape, _ weights: Parameters, prefix: String, _ z: Variable) throws
        -> (hidden: Variable, output: Variable) {
        var h = z
        for i in [0, 2, 4] { h = try tape.leakyReLU(linear(tape, weights, "\(prefix).network.\(i)", h), slope: 0.2) }
        return (h, try linear(tape, weights, "\(prefix).network.6", h))
    }

    /// Slot `t` (`[t·width, (t+1)·width)`) of a `[1, n]` modulation vector.
    static func slot(_ tape: Tape, _ v: Variable, _ t: Int, width: Int) throws -> Variable {
        try tape.slice(v, axis: 1, range: (t * width)..<((t + 1) * width))
    }

    /// The FiLM frequencies `f·15 + 30` (SPEC §2.0).
    static func filmFrequencies(_ tape: Tape, _ f: Variable) throws -> Variable {
        try tape.affine(f, scale: 15, offset: 30)
    }

    /// RadianceNet (SPEC §2.2) on world points `[R, 3]` with FiLM frequencies (already `·15 + 30`) and phases
    /// `[1, 9·H]`, ray direction `direction` for every point → `[R, 4 + F]`: rgb (sigmoid), raw σ, features.
    static func radiance(_ tape: Tape, _ weights: Parameters, points: Variable, frequencies: Variable, phases: Variable,
                         direction: SIMD3<Float>, hidden h: Int) throws -> Variable {
        let p = "radiance_net."
        let rows = points.shape[0]
        func film(_ x: Variable, _ prefix: String, _ t: Int) throws -> Variable {
            try tape.filmSine(linear(tape, weights, prefix, x), frequencies: slot(tape, frequencies, t, width: h),
                              phases: slot(tape, phases, t, width: h))
        }
        func stacked(_ prefixes: [String]) throws -> (Variable, Variable) {
            (try tape.concatenate(prefixes.map { try parameter(weights, $0 + ".weight") }, axis: 0),
             try tape.concatenate(prefixes.map { try parameter(weights, $0 + ".bias") }, axis: 0))
        }
        var x = try film(tape.affine(points, scale: SampleNet.warp), "\(p)network.0.layer", 0)
        var output: Variable?
        for t in 1...7 {
            x = try film(x, "\(p)network.\(t).layer", t)
            let head: Variable
            if t < 7 {
                let (w, b) = try stacked(["\(p)output_color.\(t - 1)", "\(p)output_sigma.\(t - 1)", "\(p)output_feature.\(t - 1)"])
                head = try tape.linear(x, weight: w, bias: b)
            } else {
                let (w, b) = try stacked(["\(p)output_sigma.6", "\(p)output_feature.6"])
                let densityFeatures = try tape.linear(x, weight: w, bias: b)
                let d = try Tensor(shape: [1, 3], scalars: [direction.x, direction.y, direction.z]).broadcasted(to: [rows, 3])
                let joined = try tape.concatenate([tape.constant(d), x], axis: 1)
                let colour = try linear(tape, weights, "\(p)output_color.6", film(joined, "\(p)color_layer_sine.0.layer", 8))
                head = try tape.concatenate([colour, densityFeatures], axis: 1)
            }
            output = try output.map { try tape.add($0, head) } ?? head
        }
        guard let raw = output else { preconditionFailure("radiance: no heads") }
        let width = raw.shape[1]
        let rgb = try tape.sigmoid(tape.slice(raw, axis: 1, range: 0..<3))
        return try tape.concatenate([rgb, tape.slice(raw, axis: 1, range: 3..<width)], axis: 1)
    }

    /// `α = (1 − exp(−0.04·softplus(σ)))·valid` (SPEC I8) for σ `[R, 1]` and a 0/1 constant `valid` `[R, 1]`.
    static func alpha(_ tape: Tape, sigma: Variable, valid: Variable) throws -> Variable {
        let decay = try tape.exp(tape.affine(tape.softplus(sigma), scale: -LowResolutionMaps.alphaStep))
        return try tape.multiply(tape.affine(decay, scale: -1, offset: 1), valid)
    }

    /// SampleNet (SPEC §2.3) on net inputs `G` `[R, 3]` (doubly warped, centre-shifted) → `[R, 1]`.
    static func sampleNet(_ tape: Tape, _ weights: Parameters, _ g: Variable) throws -> Variable {
        var h = g
        for prefix in ["sample_net.network.0", "sample_net.network.2", "sample_net.network.4"] {
            h = try tape.relu(linear(tape, weights, prefix, h))
        }
        return try linear(tape, weights, "sample_net.output_layer", h)
    }

    /// The SampleNet input of once-warped points `[R, 3]`: `(q·k) − (0, 0, −1.5)`.
    static func sampleNetInput(_ tape: Tape, warpedOnce q: Variable) throws -> Variable {
        let c = SampleNet.center
        return try tape.subtract(tape.affine(q, scale: SampleNet.warp), tape.constant(Tensor(shape: [1, 3], scalars: [c.x, c.y, c.z])))
    }

    /// DeformNet (SPEC §2.4) on once-warped points `[R, 3]` (the 7-d input's zero columns skipped) with FiLM
    /// frequencies (already `·15 + 30`) and phases `[1, 3·H]` → the deformation `Δ` `[R, 3]` (warped units).
    static func deformation(_ tape: Tape, _ weights: Parameters, warped: Variable, frequencies: Variable, phases: Variable,
                            hidden h: Int) throws -> Variable {
        let p = "deform_net."
        let w0 = try tape.slice(parameter(weights, "\(p)network.0.layer.weight"), axis: 1, range: 0..<3)
        var x = try tape.linear(warped, weight: w0, bias: parameter(weights, "\(p)network.0.layer.bias"))
        x = try tape.filmSine(x, frequencies: slot(tape, frequencies, 0, width: h), phases: slot(tape, phases, 0, width: h))
        for t in 1...2 {
            x = try tape.filmSine(linear(tape, weights, "\(p)network.\(t).layer", x),
                                  frequencies: slot(tape, frequencies, t, width: h), phases: slot(tape, phases, t, width: h))
        }
        let wOut = try tape.slice(parameter(weights, "\(p)final_layer.weight"), axis: 0, range: 0..<3)
        let bOut = try tape.slice(parameter(weights, "\(p)final_layer.bias"), axis: 0, range: 0..<3)
        return try tape.linear(x, weight: wOut, bias: bOut)
    }

    /// A modulated convolution (SPEC §2.6 ModConv2D) of `x` `[N, I, H, W]` with `prefix.weight` `[O, I, k, k]`
    /// demodulated by the style slice `style` `[1, I]`, bias unmodulated.
    static func modulatedConv(_ tape: Tape, _ weights: Parameters, _ prefix: String, _ x: Variable, style: Variable) throws -> Variable {
        let w = try parameter(weights, prefix + ".weight")
        let (o, i, k) = (w.shape[0], w.shape[1], w.shape[2])
        let modulated = try tape.multiply(w, tape.reshape(style, [1, i, 1, 1]))
        let energy = try tape.sum(tape.reshape(tape.square(modulated), [o, i * k * k]), axis: 1)
        let norm = try tape.sqrt(tape.affine(energy, scale: 1, offset: 1e-8))
        let demodulated = try tape.divide(modulated, tape.reshape(norm, [o, 1, 1, 1]))
        return try tape.conv2d(x, weight: demodulated, bias: parameter(weights, prefix + ".bias"))
    }

    /// The style RRDB net (SPEC §2.6) on LR features `[M, 4 + F, HL, HL]` with the style `[1, style_dim]` →
    /// HR maps `[M, 4, HS, HS]` after the sigmoid.
    static func superResolution(_ tape: Tape, _ weights: Parameters, features: Variable, style: Variable,
                                configuration c: GeneratorConfiguration) throws -> Variable {
        let kw = c.srNetKwargs
        func conv(_ prefix: String, _ x: Variable) throws -> Variable {
            try tape.conv2d(x, weight: parameter(weights, prefix + ".weight"), bias: parameter(weights, prefix + ".bias"))
        }
        func lrelu(_ x: Variable) throws -> Variable { try tape.leakyReLU(x, slope: 0.2) }
        let fea = try conv("sr_net.conv_first", features)
        var t = fea
        for r in 0..<kw.nb {
            var u = t
            for b in 1...3 {
                let p = "sr_net.RRDB_trunk.\(r).RDB\(b)."
                var parts = [u]
                for i in 1...4 { parts.append(try lrelu(conv(p + "conv\(i)", tape.concatenate(parts, axis: 1)))) }
                let x5 = try conv(p + "conv5", tape.concatenate(parts, axis: 1))
                u = try tape.add(tape.affine(x5, scale: 0.2), u)
            }
            t = try tape.add(tape.affine(u, scale: 0.2), t)
        }
        var x = try tape.add(fea, conv("sr_net.trunk_conv", t))
        var offset = 0
        func styleSlice(_ count: Int) throws -> Variable {
            defer { offset += count }
            return try tape.slice(style, axis: 1, range: offset..<(offset + count))
        }
        for u in kw.upChannels.indices {
            let prefix = "sr_net.upconvs.\(u)"
            x = try lrelu(tape.pixelShuffle(modulatedConv(tape, weights, prefix, x, style: styleSlice(x.shape[1])), factor: 2))
        }
        x = try lrelu(modulatedConv(tape, weights, "sr_net.HRconv", x, style: styleSlice(x.shape[1])))
        return try tape.sigmoid(modulatedConv(tape, weights, "sr_net.conv_last", x, style: styleSlice(x.shape[1])))
    }
}
