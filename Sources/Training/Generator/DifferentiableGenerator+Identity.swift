import Autodiff
import Generator
import ModelIO
import Numerics

extension DifferentiableGenerator {
    /// The identity stage (SPEC §1.1) on the tape of `parameters`.
    /// - Parameters:
    ///   - identity: `z_id` `[identity_dim]`; `noise`: `ε` `[noise_dim]` (constants).
    ///   - psi: truncation ψ in [0, 1.5] (1 in training: the averages are not used).
    ///   - maps: what to build beyond the radiance modulation (see `IdentityMapsRequest`).
    public func identity(_ parameters: BoundGeneratorParameters, identity: [Float], noise: [Float], psi: Double,
                         maps: IdentityMapsRequest) throws -> DifferentiableIdentity {
        let c = configuration
        try checkCodes([("identity", identity, c.identityDim), ("noise", noise, c.noiseDim)])
        try IdentityStage.validate(psi: psi)
        let tape = parameters.tape, w = parameters.variables
        let z = tape.constant(try Tensor(shape: [1, identity.count + noise.count], scalars: identity + noise))
        let half = 9 * c.hiddenDim
        let raw = try DifferentiableNetworks.mapping(tape, w, prefix: "radiance_net.mapping_network", z).output
        var f = try tape.slice(raw, axis: 1, range: 0..<half)
        var phi = try tape.slice(raw, axis: 1, range: half..<(2 * half))
        if psi != 1 {
            f = try truncate(tape, f, average: means.frequencies, psi: psi)
            phi = try truncate(tape, phi, average: means.phases, psi: psi)
        }
        let frequencies = try DifferentiableNetworks.filmFrequencies(tape, f)
        guard maps != .none else {
            return DifferentiableIdentity(identity: identity, frequencies: frequencies, phases: phi, lowResolutionFeatures: nil,
                                          lowResolutionMaps: nil, style: nil, highResolutionMaps: nil)
        }
        let features = try lowResolutionFeatures(parameters, frequencies: frequencies, phases: phi)
        let lrMaps = try tape.slice(features, axis: 1, range: 0..<4)
        guard maps == .highResolution else {
            return DifferentiableIdentity(identity: identity, frequencies: frequencies, phases: phi, lowResolutionFeatures: features,
                                          lowResolutionMaps: lrMaps, style: nil, highResolutionMaps: nil)
        }
        var style = try DifferentiableNetworks.mapping(tape, w, prefix: "sr_net.mapping_network", z).output
        if psi < 1 {
            // PyTorch lerp(avg, style, ψ) (SPEC A.9).
            let average = tape.constant(try Tensor(shape: [1, means.style.count], scalars: means.style))
            let weight = Float(psi)
            let difference = try tape.subtract(style, average)
            style = abs(weight) < 0.5 ? try tape.add(average, tape.affine(difference, scale: weight))
                                      : try tape.subtract(style, tape.affine(difference, scale: 1 - weight))
        }
        let hrMaps = try DifferentiableNetworks.superResolution(tape, w, features: features, style: style, configuration: c)
        return DifferentiableIdentity(identity: identity, frequencies: frequencies, phases: phi, lowResolutionFeatures: features,
                                      lowResolutionMaps: lrMaps, style: style, highResolutionMaps: hrMaps)
    }

    /// `average·(1 − ψ) + raw·ψ` (SPEC I3) with a constant average.
    func truncate(_ tape: Tape, _ raw: Variable, average: [Float], psi: Double) throws -> Variable {
        let oneMinus = Float(1.0 - psi)
        let left = try Tensor(shape: [1, average.count], scalars: average.map { $0 * oneMinus })
        return try tape.add(tape.constant(left), tape.affine(raw, scale: Float(psi)))
    }

    func checkCodes(_ codes: [(String, [Float], Int)]) throws {
        for (name, values, count) in codes {
            guard values.count == count else {
                throw GeneratorError.invalidInput(field: name, reason: "\(values.count) values, model has \(count)")
            }
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw GeneratorError.invalidInput(field: "\(name)[\(i)]", reason: "\(values[i]) is not finite")
            }
        }
    }

    /// `LRfeat` `[M, 4 + F, HL, HL]` (SPEC I4–I9): the orthographic level field, the either-direction
    /// crossing search (interval choice constant; the z of an interpolated intersection is differentiable in
    /// the level field), RadianceNet at the intersections, α with the validity.
    func lowResolutionFeatures(_ parameters: BoundGeneratorParameters, frequencies: Variable, phases: Variable) throws -> Variable {
        let c = configuration, tape = parameters.tape
        let hl = c.lrImageSize, n = c.numSamples, m = levels.count, pixels = hl * hl
        let s = try chunked(tape, parameters, names: names(parameters, prefix: "sample_net."),
                            rowInputs: [tape.constant(orthographicInputs)], shared: []) { t, w, rows, _ in
            try DifferentiableNetworks.sampleNet(t, w, rows[0])
        }
        let field = try tape.reshape(s, [pixels, n])
        let search = try OrthographicCrossings(levelField: tape.value(field), levels: levels, configuration: c)
        let sl = try tape.gather(field, axis: 1, indices: search.index, count: m)
        let sh = try tape.gather(field, axis: 1, indices: search.index.map { $0 + 1 }, count: m)
        // z = z_h + mask·(z_l − z_h)·(s_h − l)/(s_h − s_l); entries that do not interpolate divide by 1 and are masked.
        let den = try tape.add(tape.multiply(tape.subtract(sh, sl), tape.constant(search.mask)), tape.constant(search.unmasked))
        let levelRow = tape.constant(try Tensor(shape: [1, m], scalars: levels))
        let numerator = try tape.multiply(tape.subtract(sh, levelRow), tape.constant(search.scaledSpan))
        let z = try tape.add(tape.constant(search.farZ), tape.divide(numerator, den))
        let zWorld = try tape.affine(tape.reshape(z, [pixels * m, 1]), scale: 1 / SampleNet.warp)
        let points = try tape.concatenate([tape.constant(search.worldXY), zWorld], axis: 1)
        let h = c.hiddenDim
        let out = try chunked(tape, parameters, names: names(parameters, prefix: "radiance_net."), rowInputs: [points],
                              shared: [frequencies, phases]) { t, w, rows, shared in
            try DifferentiableNetworks.radiance(t, w, points: rows[0], frequencies: shared[0], phases: shared[1],
                                                direction: LowResolutionMaps.direction, hidden: h)
        }
        let width = out.shape[1]
        let alpha = try DifferentiableNetworks.alpha(tape, sigma: tape.slice(out, axis: 1, range: 3..<4),
                                                     valid: tape.constant(search.validity.reshaped([pixels * m, 1])))
        let vector = try tape.concatenate([tape.slice(out, axis: 1, range: 0..<3), alpha,
                                           tape.slice(out, axis: 1, range: 4..<width)], axis: 1)
        return try tape.reshape(tape.permute(tape.reshape(vector, [pixels, m, width]), [1, 2, 0]), [m, width, hl, hl])
    }
}
