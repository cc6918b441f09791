import Generator
import Testing
@testable import StudioCore

/// `m` (model switch) and `c` (side by side) in the state machine, and the side-by-side layout.
@Suite struct SideBySideTests {
    func syntheticModel(_ comparison: ModelInfo.Comparison = .available, note: String? = nil) -> ModelInfo {
        ModelInfo(name: "synthetic", version: "1", expressionNames: builtinNames, expressionDimension: 16,
                  expressionRange: 0...1, defaultPsi: 1, comparison: comparison, note: note)
    }

    @Test func theSideBySidePaneIsTwiceAsWideAsHigh() {
        let layout = Layout.compute(TerminalSize(columns: 80, rows: 24), sideBySide: true)
        #expect(layout.preview == CellRect(column: 0, row: 1, width: 44, height: 11))
        #expect(layout.panel == CellRect(column: 44, row: 1, width: 36, height: 22))
        let (w, h) = layout.previewPixels
        #expect(w == 2 * h)
        let large = Layout.compute(TerminalSize(columns: 160, rows: 48), sideBySide: true)
        #expect(large.previewPixels.width == 2 * large.previewPixels.height && large.panel.width >= 36)
        let narrow = Layout.compute(TerminalSize(columns: 70, rows: 16, cellWidth: 16, cellHeight: 8), sideBySide: true)
        #expect(narrow.previewOnTop && narrow.preview.width <= 70)
        #expect(narrow.panel.row + narrow.panel.height == narrow.status.row)
        #expect(Layout.compute(TerminalSize(columns: 80, rows: 24), sideBySide: false) == Layout.compute(TerminalSize(columns: 80, rows: 24)))
    }

    @Test func cTogglesSideBySideOrSaysWhyNot() {
        var (state, effects) = run(makeState(syntheticModel()), keys("c"))
        #expect(state.sideBySide && state.layout.preview.height == 11)
        #expect(effects.contains(.fullRedraw))
        #expect(StudioScreen.render(state).title.text.contains("side by side"))
        (state, effects) = run(state, keys("c"))
        #expect(!state.sideBySide && state.layout.preview.height == 22)

        var official = officialModel()
        official.comparison = .unavailable(reason: "sshq512 has 64 numbered expressions (e00...e63), not the 16 built-in blendshapes")
        (state, effects) = run(makeState(official), keys("c"))
        #expect(!state.sideBySide)
        #expect(state.message?.text == "side by side unavailable: sshq512 has 64 numbered expressions (e00...e63), not the 16 built-in blendshapes")
        #expect(!effects.contains { if case .requestRender = $0 { return true } else { return false } })
    }

    @Test func switchingKeepsSlidersAndRemembersUnmappableExpressions() {
        var builtin = builtinModel()
        builtin.comparison = .available
        var (state, _) = run(makeState(builtin), keys("3") + [.key(.down), .key(.pageUp)] + keys("1") + [.key(.right), .key(.right)])
        let before = state.controls
        #expect(before.studioExpression[0] == 10.0 / 120 && before.camera.yaw == 2)
        // builtin -> synthetic: same names, every slider kept; side by side stays on.
        (state, _) = run(state, keys("c") + [.modelChanged(syntheticModel(note: "builtin untrained"))])
        #expect(state.controls.studioExpression == before.studioExpression && state.controls.camera == before.camera)
        #expect(state.controls.psi == before.psi && state.controls.identity == before.identity)
        #expect(state.sideBySide)
        // At 80 columns the title drops "portrait - " and, side by side, the note to keep the essentials.
        #expect(StudioScreen.render(state).title.text.hasPrefix("synthetic/1 - seed 0 - psi 0.70 - portrait/image - side by side"))
        #expect(run(state, keys("c")).0.sideBySide == false)
        #expect(StudioScreen.render(run(state, keys("c")).0).title.text.hasPrefix("synthetic/1 (builtin untrained) - seed 0 - psi 0.70 - portrait/image"))
        #expect(StudioScreen.render(run(state, [.resize(TerminalSize(columns: 120, rows: 40))] + keys("c")).0).title.text
                    .hasPrefix("portrait - synthetic/1 (builtin untrained) - seed 0 - psi 0.70 - portrait/image"))
        // -> official (numbered, no side by side): side by side ends; back to synthetic: its values return.
        var official = officialModel()
        official.comparison = .unavailable(reason: "numbered")
        (state, _) = run(state, [.modelChanged(official)])
        #expect(!state.sideBySide && state.controls.studioExpression.count == 64)
        (state, _) = run(state, [.modelChanged(syntheticModel())])
        #expect(state.controls.studioExpression == before.studioExpression)
        #expect(state.controls.camera == before.camera)
    }

    @Test func restoringAFavouriteOfAnotherRendererVersionWarns() {
        let state = makeState(syntheticModel())
        let entry = FavouriteEntry(name: "a.png", imagePath: "/o/a.png", sidecarPath: "/o/a.json", savedAt: "",
                                   controls: Controls(identity: .seed(3, blend: 0)), model: ModelIdentity(name: "synthetic", version: "0"))
        let (restored, _) = run(state, keys("f") + [.favouritesListed([entry]), .key(.enter)])
        #expect(restored.message?.text == "a.png was saved with synthetic renderer 0, this is 1")
        let same = FavouriteEntry(name: "b.png", imagePath: "/o/b.png", sidecarPath: "/o/b.json", savedAt: "",
                                  controls: Controls(identity: .seed(3, blend: 0)), model: ModelIdentity(name: "synthetic", version: "1"))
        let (ok, _) = run(state, keys("f") + [.favouritesListed([same]), .key(.enter)])
        #expect(ok.message?.text == "restored b.png")
    }
}
