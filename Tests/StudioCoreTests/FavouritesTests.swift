import Foundation
import Generator
import ModelIO
import Testing
@testable import StudioCore

@Suite struct FavouritesTests {
    func image() -> RGBImage {
        var image = RGBImage(width: 8, height: 6, fill: (10, 20, 30))
        image.pixels[0] = 200
        return image
    }

    @Test func saveListRestoreGivesTheSameControls() throws {
        let directory = try scratchDirectory("fav") + "/nested/favourites"
        // Move some sliders, then save.
        var (state, effects) = run(makeState(), [.key(.right), .key(.right)] + keys("nnn3") + [.key(.down), .key(.pageUp)]
                                   + keys("4") + [.key(.down), .key(.left)] + keys("V") + keys("s"))
        guard case let .saveFavourite(controls, _)? = effects.first(where: { if case .saveFavourite = $0 { return true } else { return false } }) else {
            Issue.record("no save effect"); return
        }
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let codes = IdentityCodes(identity: [0.5, -1.25], shape: [0], noise: [1e-3, 2])
        let saved = try Favourites.save(image: image(), controls: controls, codes: codes, model: builtinModel(),
                                        directory: directory, date: date)
        #expect(saved.name == "\(Timestamp.fileStamp(date))-s3.png")
        let again = try Favourites.save(image: image(), controls: controls, codes: nil, model: builtinModel(),
                                        directory: directory, date: date)
        #expect(again.name == "\(Timestamp.fileStamp(date))-s3-2.png")
        // The PNG decodes, carries the controls, and nothing temporary is left.
        #expect(try PNGCodec.read(path: saved.imagePath) == image())
        #expect(try Favourites.controls(inPNG: saved.imagePath) == controls)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }.isEmpty)
        // The sidecar is a controls document for `portrait render --controls`.
        #expect(try ControlsJSON.read(path: saved.sidecarPath) == controls)
        let sidecar = try String(contentsOfFile: saved.sidecarPath, encoding: .utf8)
        #expect(sidecar.contains("\"format\": \"portrait-favourite/1\""))
        #expect(sidecar.contains("\"image_size\": [8, 6]"))
        #expect(sidecar.contains("\"codes\": {\"identity\": [0.5, -1.25], \"shape\": [0], \"noise\": [0.0010000000474974513, 2]}"))

        // A PNG without its sidecar is not a favourite.
        try PNGCodec.write(image(), to: directory + "/orphan.png")
        let (entries, skipped) = try Favourites.list(directory: directory)
        #expect(entries.map(\.name) == [again.name, saved.name])
        #expect(skipped.isEmpty)

        // Restore in a fresh studio: every slider comes back.
        var fresh = makeState()
        (fresh, _) = run(fresh, keys("f") + [.favouritesListed(entries), .key(.down), .key(.enter)])
        #expect(fresh.overlay == nil)
        var expected = controls
        expected.quality = .full
        #expect(fresh.controls == expected)
        #expect(fresh.message?.text == "restored \(saved.name)")
        state = fresh
        #expect(state.value(of: state.sliders.firstIndex { $0.id == .joint(0, axis: 1) } ?? 0) == -1)

        // Delete removes both files.
        try Favourites.delete(entries[0])
        #expect(try Favourites.list(directory: directory).entries.map(\.name) == [saved.name])
        #expect(!FileManager.default.fileExists(atPath: entries[0].imagePath))
    }

    @Test func restoreWarnsAboutAnotherModelAndClamps() {
        var controls = Controls(identity: .seed(9, blend: 0.5), psi: 0.4, expression: .values(Array(repeating: 0.5, count: 64)))
        controls.camera.yaw = 100
        controls.joints[0] = [0, 120, 0]
        let entry = FavouriteEntry(name: "x.png", imagePath: "/x.png", sidecarPath: "/x.json", savedAt: "",
                                   controls: controls, model: ModelIdentity(name: "studio", dataSHA256: "ff"))
        let (state, effects) = run(makeState(), keys("f") + [.favouritesListed([entry]), .key(.enter)])
        #expect(state.controls.camera.yaw == 60)
        #expect(state.controls.joints[0] == [0, 90, 0])
        #expect(state.controls.studioExpression.count == 16)
        let warnings = effects.compactMap { if case let .log(.warning, text) = $0 { return text } else { return nil } }
        #expect(warnings.contains { $0.hasPrefix("expression: 64 values, model has 16") })
        #expect(warnings.contains { $0.hasPrefix("clamped yaw 100 -> +60, neck.y 120 -> +90") })
        #expect(warnings.contains { $0.contains("saved with another model") })
    }

    @Test func favouritesOverlayKeys() {
        let entries = (0..<3).map { i in
            FavouriteEntry(name: "\(i).png", imagePath: "/\(i).png", sidecarPath: "/\(i).json", savedAt: "",
                           controls: Controls(identity: .seed(UInt32(i), blend: 0)), model: ModelIdentity(name: "studio"))
        }
        var (state, effects) = run(makeState(), keys("f"))
        #expect(effects.contains(.listFavourites(directory: "/tmp/out")))
        #expect(state.overlay == .favourites(entries: nil, selection: 0))
        (state, effects) = run(state, [.favouritesListed(entries), .key(.down), .key(.down), .key(.down), .key(.character("d"))])
        #expect(effects == [.deleteFavourite(entries[2])])
        (state, _) = run(state, [.favouriteDeleted(name: "2.png")])
        #expect(state.overlay == .favourites(entries: Array(entries.prefix(2)), selection: 1))
        (state, effects) = run(state, [.key(.escape)])
        #expect(state.overlay == nil && effects == [.fullRedraw])
    }

    @Test func unwritableFolderIsAnError() throws {
        // A regular file where the folder should be fails for every user, root included.
        let blocker = try scratchDirectory("ro") + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: StudioCoreError.self) {
            try Favourites.save(image: image(), controls: Controls(), codes: nil, model: builtinModel(),
                                directory: blocker + "/favourites", date: Date())
        }
        #expect(throws: StudioCoreError.self) {
            try TrajectoryWriter(directory: blocker, header: TrajectoryHeader(model: ModelIdentity(name: "m"), expressionNames: []), date: Date())
        }
        #expect(throws: StudioCoreError.self) { try Favourites.list(directory: blocker) }
    }
}
