import Foundation
import ModelIO
import Testing
@testable import Generator

/// The neural generator behind the `PortraitModel` protocol: staged identity work gives the same frame as the
/// facade, a low-resolution identity renders a preview, and the bundle's identity is reported.
@Suite struct PortraitModelTests {
    @Test func stagedRenderingMatchesTheFacade() throws {
        let work = try StudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let path = try StudioFixtures.tinyBundle(in: work)
        let model = try NeuralPortraitModel(path: path)
        let bundle = try PortraitBundle(path: path)

        #expect(model.identity.name == bundle.metadata.name)
        #expect(model.identity.source == "official-checkpoint")
        #expect(model.identity.dataSha256 == bundle.metadata.provenance.dataSha256)
        #expect(model.identity.dataSha256?.count == 64)
        #expect(model.identity.fields.map(\.key) == ["name", "source", "data_sha256"])
        let space = model.controlSpace
        let configuration = model.generator.configuration
        #expect(space.expressionDim == configuration.expressionDim)
        #expect(space.imageSize == configuration.hrImageSize)
        #expect(space.expressionName(3) == "e03" && space.expressionName(12) == "e12")
        #expect(space.expressionPresetCount == 0 && model.expressionPreset(0) == nil)

        let controls = Controls(identity: .seed(7, blend: 0.25), psi: 0.6, camera: .init(yaw: 10, pitch: -5))
        let codes = try model.codes(for: controls.identity)
        let direct = try model.generator.render(identity: model.generator.prepareIdentity(codes: codes, psi: 0.6),
                                                shape: codes.shape, controls: controls)
        let low = try model.prepareLowResolution(codes: codes, psi: 0.6, isCancelled: { false })
        #expect(low.stage == .lowResolution && low.byteCount > 0)
        let preview = try model.render(identity: low, controls: controls, isCancelled: { false })
        #expect(preview.image.shape == [3, space.imageSize / 2, space.imageSize / 2])
        let complete = try model.completeIdentity(low, isCancelled: { false })
        #expect(complete.stage == .complete)
        let full = try model.render(identity: complete, controls: controls, isCancelled: { false })
        #expect(full.image == direct.image)
        #expect(try model.renderAll(controls: controls).image == direct.image)
    }

    @Test func cancellationStopsTheIdentityWork() throws {
        let work = try StudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try NeuralPortraitModel(path: StudioFixtures.tinyBundle(in: work))
        let codes = try model.codes(for: .seed(1, blend: 0))
        #expect(throws: CancellationError.self) {
            try model.prepareLowResolution(codes: codes, psi: 0.7, isCancelled: { true })
        }
    }

    @Test func modelIdentitiesCompareByData() {
        let a = PortraitModelIdentity(name: "studio", source: "trained", dataSha256: "ab")
        #expect(a.sameModel(as: PortraitModelIdentity(name: "renamed", dataSha256: "ab")))
        #expect(!a.sameModel(as: PortraitModelIdentity(name: "studio", dataSha256: "cd")))
        let synthetic = PortraitModelIdentity(name: "synthetic", version: "1")
        #expect(synthetic.sameModel(as: PortraitModelIdentity(name: "synthetic", version: "1")))
        #expect(!synthetic.sameModel(as: PortraitModelIdentity(name: "synthetic", version: "2")))
        #expect(synthetic.fields.map(\.key) == ["name", "version"])
    }
}
