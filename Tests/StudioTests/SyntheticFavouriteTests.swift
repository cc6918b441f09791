import Foundation
import Generator
import ModelIO
import StudioCore
import Synth
import Testing
@testable import Studio

/// Favourites and trajectories of the `synthetic` model: identity `synthetic/<renderer version>`, and a
/// favourite restores to the same image bit for bit.
@Suite(.serialized) struct SyntheticFavouriteTests {
    @Test func aSyntheticFavouriteRestoresBitForBit() throws {
        let work = try StudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try SyntheticPortraitModel(size: 64)
        let info = StudioSession.modelInfo(model)
        #expect(info.name == "synthetic" && info.version == SyntheticPortraitRenderer.version && info.dataSHA256 == nil)

        // Save through the render worker, as `s` does.
        let wake = try WakePipe()
        let worker = RenderWorker(model: model, cacheBytes: 16 << 20, wake: wake)
        defer { worker.stop() }
        var controls = Controls(identity: .seed(7, blend: 0.3), psi: 0.8, expression: .values([0.6] + Array(repeating: 0.1, count: 15)),
                                camera: .init(yaw: 12, pitch: -4))
        controls.joints[3] = [5, 20, -10]
        let directory = work + "/favourites"
        let saved = controls
        let job = SaveJob(controls: saved) { output, codes in
            let image = try StudioSession.image(of: output, show: .image, depthRange: model.controlSpace.depthRange)
            return try Favourites.save(image: image, controls: saved, codes: codes, model: info, directory: directory, date: Date()).name
        }
        #expect(worker.queue(job))
        let reports = RenderWorkerTests.collect(worker, wake: wake) { !$0.isEmpty }
        guard case .saved? = reports.first else { Issue.record("no save: \(reports)"); return }

        let (entries, skipped) = try Favourites.list(directory: directory)
        #expect(skipped.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.model == ModelIdentity(name: "synthetic", version: SyntheticPortraitRenderer.version))
        let sidecar = try String(contentsOfFile: entry.sidecarPath, encoding: .utf8)
        #expect(sidecar.contains("\"model\": {\"name\": \"synthetic\", \"version\": \"\(SyntheticPortraitRenderer.version)\"}"))

        // Restoring: the studio's state machine adopts the sidecar's controls; rendering them gives the PNG.
        var (state, _) = StudioState.initial(model: info, size: TerminalSize(columns: 100, rows: 30), outDirectory: directory)
        (state, _) = reduce(state, .key(.character("f")))
        (state, _) = reduce(state, .favouritesListed(entries))
        let (restored, effects) = reduce(state, .key(.enter))
        guard case let .requestRender(request)? = effects.last(where: { if case .requestRender = $0 { return true } else { return false } }) else {
            Issue.record("restore posted no render: \(effects)"); return
        }
        #expect(restored.message?.text.hasPrefix("restored") == true)
        let rendered = try ImageConversion.rgb8(model.renderAll(controls: request.controls).image)
        #expect(rendered == (try PNGCodec.read(path: entry.imagePath)))
    }

    @Test func aSyntheticTrajectoryNamesTheRendererVersion() throws {
        let info = StudioSession.modelInfo(try SyntheticPortraitModel(size: 32))
        let header = TrajectoryHeader(model: ModelIdentity(info), expressionNames: info.expressionLabels)
        let line = TrajectoryFormat.headerLine(header, startedAt: Date(timeIntervalSince1970: 0))
        #expect(line.contains("\"model\": {\"name\": \"synthetic\", \"version\": \"\(SyntheticPortraitRenderer.version)\"}"))
        #expect(!line.contains("data_sha256"))
    }
}
