import Testing
@testable import Generator

@Suite struct IdentityStageInputTests {
    @Test func rejectsBadCodesAndPsi() throws {
        let ref = try ReferenceData.tiny()
        let stage = try IdentityStage(weights: ref.requireWeights(), configuration: ref.configuration, means: ref.means)
        let good = [Float](repeating: 0, count: 80)
        #expect(throws: GeneratorError.invalidInput(field: "identity", reason: "79 values, model has 80")) {
            try stage.prepare(identity: Array(good.dropLast()), noise: good, psi: 0.7)
        }
        var bad = good
        bad[3] = .nan
        #expect(throws: GeneratorError.invalidInput(field: "noise[3]", reason: "nan is not finite")) {
            try stage.prepare(identity: good, noise: bad, psi: 0.7)
        }
        #expect(throws: GeneratorError.self) { try stage.prepare(identity: good, noise: good, psi: .infinity) }
        #expect(throws: GeneratorError.self) { try stage.prepare(identity: good, noise: good, psi: -0.1) }
    }

    @Test func rejectsWeightsOfAnotherConfiguration() throws {
        let tiny = try ReferenceData.tiny()
        var other = tiny.configuration
        other.hiddenDim = 64
        #expect(throws: GeneratorError.self) {
            try IdentityStage(weights: tiny.requireWeights(), configuration: other,
                              means: TruncationMeans(frequencies: .init(repeating: 0, count: 9 * 64),
                                                     phases: .init(repeating: 0, count: 9 * 64), w: nil, style: tiny.means.style))
        }
    }

    @Test func truncationLerpTakesBothBranches() {
        // ψ < 0.5: a + w·(b − a); ψ ≥ 0.5: b − (b − a)·(1 − w) (A.9), float32.
        let a: [Float] = [0.1, -3]
        let b: [Float] = [0.7, 2.5]
        let low = Truncation.lerp(a, b, weight: 0.3)
        let high = Truncation.lerp(a, b, weight: 0.7)
        let w: Float = 0.3, v: Float = 0.7
        #expect(low == [a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1])])
        #expect(high == [b[0] - (b[0] - a[0]) * (1 - v), b[1] - (b[1] - a[1]) * (1 - v)])
        #expect(Truncation.style(average: a, style: b, psi: 1) == b)
    }
}

@Suite struct IdentityStagePhaseTests {
    @Test func lowResolutionThenSuperResolutionEqualsPrepare() throws {
        let ref = try ReferenceData.steep()
        let stage = try IdentityStage(weights: ref.requireWeights(), configuration: ref.configuration, means: ref.means)
        let inputs = try ref.identityInputs(try ref.identities()[0])
        let whole = try stage.prepare(identity: inputs.identity, noise: inputs.noise, psi: inputs.psi)
        let low = try stage.prepareLowResolution(identity: inputs.identity, noise: inputs.noise, psi: inputs.psi)
        #expect(low.lrMaps == whole.lrMaps)
        let maps = try stage.superResolve(low)
        #expect(maps.hrMaps == whole.hrMaps)
        #expect(low.lrFeatures.shape == [4, 8, 12, 12] && maps.hrMaps.shape == [4, 4, 48, 48])
    }

    @Test func cancellationStopsAndLeavesTheStageUsable() throws {
        let ref = try ReferenceData.tiny()
        let stage = try IdentityStage(weights: ref.requireWeights(), configuration: ref.configuration, means: ref.means)
        let inputs = try ref.identityInputs(try ref.identities()[0])
        #expect(throws: CancellationError.self) {
            try stage.prepare(identity: inputs.identity, noise: inputs.noise, psi: inputs.psi, isCancelled: { true })
        }
        let low = try stage.prepareLowResolution(identity: inputs.identity, noise: inputs.noise, psi: inputs.psi)
        #expect(throws: CancellationError.self) { try stage.superResolve(low, isCancelled: { true }) }
        let maps = try stage.prepare(identity: inputs.identity, noise: inputs.noise, psi: inputs.psi)
        let ref1 = try ref.identityArray(try ref.identities()[0], "hr_maps").floats
        #expect(Comparison(maps.hrMaps.scalars, ref1).maxAbs <= 5e-4)
    }
}
