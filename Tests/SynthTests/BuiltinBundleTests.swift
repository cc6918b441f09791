import Foundation
import ModelIO
import Numerics
import Testing
@testable import Synth

/// The shipped built-in bundle: valid, and what `BuiltinBundle` builds.
@Suite struct BuiltinBundleTests {
    /// `Sources/Generator/Resources/studio.portrait` of this checkout.
    static var shippedPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Generator/Resources/studio.portrait").path
    }

    @Test func theShippedBundleIsWhatTheBuilderMakes() throws {
        let shipped = try PortraitBundle(path: Self.shippedPath)
        try shipped.verify()
        var expected = BuiltinBundle.metadata
        expected.provenance.dataSha256 = shipped.metadata.provenance.dataSha256
        #expect(shipped.metadata == expected)
        #expect(shipped.metadata.generator == .studio && shipped.unknownTensors.isEmpty)
        let (data, _) = try BuiltinBundle.writer().encoded()
        let rebuilt = try PortraitBundle(data: data, path: "rebuilt")
        #expect(Set(rebuilt.file.names) == Set(shipped.file.names))
        for name in shipped.file.names {
            let a = try shipped.array(name), b = try rebuilt.array(name)
            #expect(a.shape == b.shape && a.dtype == b.dtype, "\(name)")
            if name.hasPrefix("truncation.") {
                // Computed means: sums over 10,000 seeds through OpenBLAS, equal up to its kernel's rounding.
                for (x, y) in zip(a.floats, b.floats) { #expect(abs(x - y) <= 1e-4 * max(1, abs(x)), "\(name)") }
            } else {
                #expect(a == b, "\(name)")
            }
        }
    }

    @Test func configurationIsTheStudioTable() {
        let c = GeneratorConfiguration.studio
        #expect(c.problem() == nil)
        let sizes: [Int] = [c.lrImageSize, c.hrImageSize, c.hiddenDim, c.featureDim, c.hiddenDimSample, c.numManifolds,
                            c.numSamples, c.expressionDim, c.deformHiddenDim, c.frameNumSamples, c.frameNumPoints, c.smootherKD]
        let table: [Int] = [64, 256, 128, 16, 64, 12, 32, 16, 64, 32, 64, 3]
        #expect(sizes == table)
        #expect(c.srNetKwargs == GeneratorConfiguration.SRNetKwargs(wDim: 160, nf: 32, nb: 1, gc: 16, upChannels: [32, 16], toRGBKernelSize: 1))
        #expect(BuiltinBundle.metadata.controls.expressionNames?.count == 16 && BuiltinBundle.metadata.rendering.body.kind == "builtin")
        #expect(BuiltinBundle.metadata.problem() == nil)
    }

    @Test func samplerRowsFollowTheLabelDistributions() throws {
        let s = try BuiltinBundle.samplers(rows: 256)
        let camera = s.cameraPoseJoint.scalars
        for r in 0..<256 {
            #expect(abs(camera[20 * r] - Float.pi / 2) < 0.27 && abs(camera[20 * r + 1] - Float.pi / 2) < 0.7)
            #expect(camera[(20 * r + 2)..<(20 * r + 20)].allSatisfy { abs($0) < 0.7 })
        }
        #expect(s.expression.scalars.allSatisfy { (0...1).contains($0) })
        #expect(s.idShape.shape == [256, 90] && s.idShape.scalars.allSatisfy { abs($0) <= 3 })
    }
}
