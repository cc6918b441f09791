import Foundation
import Generator
import Testing
@testable import StudioCore

@Suite struct ReducerTests {
    @Test func initialStateRequestsOneRender() {
        let (state, effects) = StudioState.initial(model: builtinModel(), size: TerminalSize(columns: 80, rows: 24),
                                                   outDirectory: "/tmp/out")
        #expect(effects.count == 1)
        guard case let .requestRender(request)? = effects.first else { Issue.record("no render request"); return }
        #expect(request.generation == state.generation)
        #expect(request.controls.psi == 0.7)
        #expect(request.controls.studioExpression == Array(repeating: 0, count: 16))
        #expect(state.sliders.count == 2 + 3 + 1 + 16 + 18 + 2)
    }

    @Test func navigationAndSteps() {
        var (state, effects) = run(makeState(), [.key(.right), .key(.right), .key(.character("l"))])
        #expect(state.controls.camera.yaw == 3)
        #expect(effects.filter { if case .requestRender = $0 { return true } else { return false } }.count == 3)
        (state, _) = run(state, [.key(.down), .key(.pageUp), .key(.left)])
        #expect(state.selectedSlider.id == .pitch)
        #expect(state.controls.camera.pitch == 9)
        (state, _) = run(state, [.key(.end)])
        #expect(state.selectedSlider.id == .show)
        (state, _) = run(state, [.key(.home), .key(.tab), .key(.tab)])
        #expect(state.selectedSlider.group == .expression)
        (state, _) = run(state, [.key(.backTab)])
        #expect(state.selectedSlider.id == .seed)
        (state, _) = run(state, keys("4"))
        #expect(state.selectedSlider.id == .joint(0, axis: 0))
        (state, _) = run(state, [.key(.up), .key(.character("k"))])
        #expect(state.selectedSlider.group == .expression)
    }

    @Test func clampingAtTheEnds() {
        var (state, _) = run(makeState(), Array(repeating: .key(.pageUp), count: 8))
        #expect(state.controls.camera.yaw == 60)
        (state, _) = run(state, Array(repeating: .key(.pageDown), count: 20))
        #expect(state.controls.camera.yaw == -60)
        // psi stays in [0, 1.5] on the step grid.
        (state, _) = run(state, keys("2") + [.key(.down), .key(.down)] + Array(repeating: .key(.right), count: 40))
        #expect(state.selectedSlider.id == .psi)
        #expect(state.controls.psi == 1.5)
    }

    @Test func blendRollsIntoTheNextSeed() {
        var (state, _) = run(makeState(), keys("2") + [.key(.down)])
        #expect(state.selectedSlider.id == .blend)
        (state, _) = run(state, Array(repeating: .key(.right), count: 19))
        #expect(state.controls.identity == .seed(0, blend: 0.95))
        (state, _) = run(state, [.key(.right)])
        #expect(state.controls.identity == .seed(1, blend: 0))
        (state, _) = run(state, [.key(.left)])
        #expect(state.controls.identity == .seed(0, blend: 0.95))
    }

    @Test func seedKeys() {
        var (state, _) = run(makeState(), keys("nnnN"))
        #expect(state.controls.identity == .seed(2, blend: 0))
        (state, _) = run(state, keys(" "))
        #expect(state.controls.studioSeed != 2)
        (state, _) = run(state, keys("2") + [.key(.pageUp)])
        #expect(state.selectedSlider.id == .seed)
    }

    @Test func valueEntryClampsWithAMessage() {
        var (state, _) = run(makeState(), [.key(.enter)] + keys("100") + [.key(.enter)])
        #expect(state.controls.camera.yaw == 60)
        #expect(state.message?.level == .warning)
        #expect(state.message?.text.contains("outside [-60, +60]") == true)
        (state, _) = run(state, [.key(.enter)] + keys("abc") + [.key(.enter)])
        #expect(state.message?.level == .error)
        #expect(state.controls.camera.yaw == 60)
        (state, _) = run(state, [.key(.end), .key(.enter)] + keys("depth") + [.key(.enter)])
        #expect(state.controls.show == .depth)
    }

    @Test func resetsAndCycles() {
        var (state, _) = run(makeState(), [.key(.right), .key(.down), .key(.right), .key(.character("0"))])
        #expect(state.controls.camera.yaw == 1 && state.controls.camera.pitch == 0)
        (state, _) = run(state, [.key(.right), .key(.character("R"))])
        #expect(state.controls.camera == Controls.Camera())
        (state, _) = run(state, keys("vVV"))
        #expect(state.controls.view == .face && state.controls.show == .lr)
        (state, _) = run(state, keys("v"))
        #expect(state.controls.view == .portrait)
    }

    @Test func presetsAndRandomExpression() {
        var (state, _) = run(makeState(), keys("3") + [.key(.right), .key(.right), .key(.right)])
        #expect(state.preset == 3)
        // Row 3 holds 2s: clamped into [0, 1].
        #expect(state.controls.studioExpression == Array(repeating: 1, count: 16))
        (state, _) = run(state, [.key(.left)])
        #expect(state.controls.studioExpression == (0..<16).map { Double($0) / 15 })
        (state, _) = run(state, keys("e"))
        #expect(state.preset >= 1 && state.preset <= 3)
        let (plain, _) = run(makeState(officialModel()), keys("e"))
        #expect(plain.message?.text == "this model has no expression samples")
    }

    @Test func expressionSliderSteps() {
        let (state, _) = run(makeState(), keys("3") + [.key(.down), .key(.right), .key(.pageUp)])
        #expect(state.selectedSlider.label == "jaw_open")
        #expect(abs(state.controls.studioExpression[0] - 11.0 / 120) < 1e-12)
    }

    @Test func tooSmallOnlyQuitAndRedraw() {
        let state = makeState(columns: 59, rows: 16)
        #expect(state.layout.tooSmallMessage == "terminal too small: 59x16 (need 60x16)")
        var (after, effects) = run(state, [.key(.right), .key(.character("s"))])
        #expect(effects.isEmpty && after.controls == state.controls)
        (after, effects) = run(state, [.key(.control("l")), .key(.character("q"))])
        #expect(effects == [.fullRedraw, .quit])
    }

    @Test func helpOverlay() {
        var (state, _) = run(makeState(), keys("?"))
        #expect(state.overlay == .help(offset: 0))
        (state, _) = run(state, [.key(.down)])
        #expect(state.overlay == .help(offset: 1))
        let (closed, effects) = run(state, [.key(.character("x"))])
        #expect(closed.overlay == nil && effects == [.fullRedraw])
    }

    @Test func sideBySideNeedsAvailability() {
        let (state, _) = run(makeState(), keys("c"))
        #expect(!state.sideBySide)
        var model = builtinModel()
        model.comparison = .available
        let (on, effects) = run(makeState(model), keys("c"))
        #expect(on.sideBySide)
        guard case let .requestRender(request)? = effects.last else { Issue.record("no render"); return }
        #expect(request.sideBySide)
    }
}
