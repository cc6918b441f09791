import Generator
import Testing
@testable import StudioCore

@Suite struct MouseModelTests {
    func hit(_ state: StudioState, _ id: SliderID) throws -> SliderHit {
        let index = try #require(state.sliders.firstIndex { $0.id == id })
        return try #require(StudioScreen.render(state).hits.first { $0.slider == index })
    }

    @Test func clickAndDragOnATrack() throws {
        let state = makeState()
        let yaw = try hit(state, .yaw)
        let track = try #require(yaw.track)
        // The right end of the yaw track is +60, the left end -60, the middle 0.
        var (after, effects) = run(state, [.mouse(MouseEvent(.press, column: track.upperBound - 1, row: yaw.row))])
        #expect(after.controls.camera.yaw == 60 && after.drag == .slider(0))
        #expect(effects.contains { if case .requestRender = $0 { return true } else { return false } })
        (after, _) = run(after, [.mouse(MouseEvent(.drag, column: track.lowerBound - 5, row: yaw.row + 3))])
        #expect(after.controls.camera.yaw == -60)
        (after, _) = run(after, [.mouse(MouseEvent(.drag, column: (track.lowerBound + track.upperBound - 1) / 2, row: yaw.row)),
                                 .mouse(MouseEvent(.release, column: 0, row: 0))])
        #expect(after.controls.camera.yaw == 0 && after.drag == nil)
        // A click on a label selects without changing.
        let psi = try hit(after, .psi)
        (after, effects) = run(after, [.mouse(MouseEvent(.press, column: psi.columns.lowerBound + 3, row: psi.row))])
        #expect(after.selectedSlider.id == .psi && effects.isEmpty)
    }

    @Test func wheelStepsTheSliderUnderIt() throws {
        let state = makeState()
        let pitch = try hit(state, .pitch)
        let (after, _) = run(state, [.mouse(MouseEvent(.wheelUp, column: pitch.columns.lowerBound + 1, row: pitch.row)),
                                     .mouse(MouseEvent(.wheelUp, column: pitch.columns.lowerBound + 1, row: pitch.row)),
                                     .mouse(MouseEvent(.wheelDown, column: pitch.columns.lowerBound + 1, row: pitch.row))])
        #expect(after.controls.camera.pitch == 1 && after.selectedSlider.id == .pitch)
    }

    @Test func dragOnThePreviewOrbits() {
        let state = makeState()
        let pane = state.layout.preview
        let (after, _) = run(state, [.mouse(MouseEvent(.press, column: 20, row: 10)),
                                     .mouse(MouseEvent(.drag, column: 20 - pane.width / 4, row: 10 + pane.height / 2)),
                                     .mouse(MouseEvent(.release, column: 0, row: 0))])
        #expect(after.controls.camera.yaw == 30)
        #expect(after.controls.camera.pitch == 30)
        // Past the ends it clamps.
        let (far, _) = run(state, [.mouse(MouseEvent(.press, column: 20, row: 10)), .mouse(MouseEvent(.drag, column: 0, row: 0))])
        #expect(far.controls.camera.yaw == 55 && far.controls.camera.pitch == -27)
    }

    @Test func mouseIsIgnoredUnderOverlaysAndWhenTooSmall() {
        let (help, _) = run(makeState(), keys("?"))
        let (after, effects) = run(help, [.mouse(MouseEvent(.press, column: 70, row: 2))])
        #expect(effects.isEmpty && after.controls == help.controls)
        let small = makeState(columns: 40, rows: 10)
        #expect(run(small, [.mouse(MouseEvent(.press, column: 5, row: 5))]).1.isEmpty)
    }

    @Test func switchingModelRemapsExpressionsByName() {
        var (state, effects) = run(makeState(), keys("3") + [.key(.down), .key(.pageUp), .key(.down), .key(.pageUp), .key(.character("m"))])
        #expect(effects.last == .switchModel)
        #expect(state.controls.studioExpression.prefix(2) == [10.0 / 120, 10.0 / 120])
        // Another named model with the names in another order.
        var other = builtinModel()
        other.name = "trained"
        other.source = "trained"
        other.expressionNames = Array(builtinNames.reversed())
        (state, effects) = run(state, [.modelChanged(other)])
        #expect(state.controls.studioExpression[15] == 10.0 / 120 && state.controls.studioExpression[14] == 10.0 / 120)
        #expect(state.sliders[state.selection].label == "smile_left")
        #expect(effects.contains { if case .requestRender = $0 { return true } else { return false } })
        #expect(StudioScreen.render(state).title.text.hasPrefix("portrait - trained (trained) - seed 0"))
        // A numbered model: by index, padded, with a warning.
        (state, effects) = run(state, [.modelChanged(officialModel())])
        #expect(state.controls.studioExpression.count == 64)
        #expect(state.controls.studioExpression[15] == 10.0 / 120)
        #expect(effects.contains { if case let .log(.warning, text) = $0 { return text.contains("16 values, model has 64") } else { return false } })
    }

    @Test func resizeKeepsTheSelectionVisible() throws {
        var (state, _) = run(makeState(officialModel(), columns: 160, rows: 48), keys("3") + Array(repeating: .key(.down), count: 60))
        #expect(state.selectedSlider.label == "e59")
        for (columns, rows) in [(80, 24), (60, 16), (100, 30)] {
            (state, _) = run(state, [.resize(TerminalSize(columns: columns, rows: rows))])
            #expect(StudioScreen.render(state).hits.contains { $0.slider == state.selection }, "\(columns)x\(rows)")
        }
    }

    @Test func trajectoryPicker() {
        var (state, effects) = run(makeState(), keys("p"))
        #expect(effects == [.listTrajectories(directory: "/tmp/out")])
        (state, effects) = run(state, [.trajectoriesListed(["/tmp/out/b.jsonl", "/tmp/out/a.jsonl"]), .key(.down), .key(.enter)])
        #expect(effects == [.loadTrajectory(path: "/tmp/out/a.jsonl")])
        (state, effects) = run(state, [.trajectoryFailed(message: "a.jsonl:3: bad")])
        #expect(state.message?.text == "a.jsonl:3: bad")
        (state, _) = run(state, [.key(.escape)])
        #expect(state.overlay == nil)
    }
}
