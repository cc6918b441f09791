import Foundation
import Generator
import Testing
@testable import StudioCore

/// Golden screens (text and style runs) in `Tests/StudioCoreTests/Snapshots/`. Run with
/// `PORTRAIT_UPDATE_SNAPSHOTS=1` to rewrite them after an intended change, then review the diff.
@Suite struct SnapshotTests {
    static let directory = packageRoot.appendingPathComponent("Tests/StudioCoreTests/Snapshots").path

    /// The whole screen as text: title, pane (`.`, never written by ncurses) beside or above the panel,
    /// status; then each panel line's style runs.
    static func screenText(_ state: StudioState) -> String {
        let screen = StudioScreen.render(state)
        let layout = screen.layout
        if let tooSmall = screen.tooSmall { return tooSmall.text + "\n" }
        var grid = Array(repeating: Array(repeating: Character(" "), count: layout.size.columns), count: layout.size.rows)
        func put(_ line: StyledLine, row: Int, column: Int) {
            for (i, ch) in line.text.enumerated() where column + i < layout.size.columns { grid[row][column + i] = ch }
        }
        put(screen.title, row: 0, column: 0)
        for r in 0..<layout.preview.height {
            for c in 0..<layout.preview.width { grid[layout.preview.row + r][layout.preview.column + c] = "." }
        }
        for (i, line) in screen.panel.enumerated() { put(line, row: layout.panel.row + i, column: layout.panel.column) }
        put(screen.status, row: layout.status.row, column: 0)
        var text = grid.map { String($0) }.joined(separator: "\n") + "\n\n"
        text += "title: " + screen.title.annotated + "\n"
        for (i, line) in screen.panel.enumerated() { text += "panel \(i): " + line.annotated + "\n" }
        text += "status: " + screen.status.annotated + "\n"
        return text
    }

    static func cases() -> [(String, StudioState)] {
        func picture(_ columns: Int, _ rows: Int, _ glyphs: GlyphSet) -> StudioState {
            var events: [StudioEvent] = [.tick(now: 0)]
            events += Array(repeating: .key(.right), count: 12)
            events += [.key(.down)] + Array(repeating: .key(.left), count: 3)
            events += keys("2") + [.key(.enter)] + keys("42") + [.key(.enter)]
            events += keys("3") + [.key(.down)] + Array(repeating: .key(.right), count: 30)
            events += keys("4") + Array(repeating: .key(.down), count: 10) + Array(repeating: .key(.right), count: 15)
            events += [.key(.character("r")), .tick(now: 1), .renderStatus(generation: 0, RenderStatus(stage: "idle", fullMilliseconds: 168, previewMilliseconds: 22, cache: "3 HR")), .tick(now: 13)]
            return run(makeState(columns: columns, rows: rows, glyphs: glyphs), events).0
        }
        return [
            ("80x24-ascii", picture(80, 24, .ascii)),
            ("80x24-unicode", picture(80, 24, .unicode)),
            ("160x48-unicode", picture(160, 48, .unicode)),
            ("60x16-ascii", picture(60, 16, .ascii)),
            ("80x24-help", run(makeState(), keys("?")).0),
            ("80x24-value-entry", run(makeState(), keys("2") + [.key(.enter)] + keys("12a")).0),
            ("100x30-official", run(makeState(officialModel(), columns: 100, rows: 30), keys("3") + Array(repeating: .key(.down), count: 40)).0),
            ("59x15-too-small", makeState(columns: 59, rows: 15)),
            ("80x24-favourites", run(makeState(), keys("f") + [.favouritesListed(favourites()), .key(.down)]).0),
            ("80x24-trajectories", run(makeState(), keys("p") + [.trajectoriesListed(["/o/trajectory-20261126-010203.jsonl", "/o/walk.jsonl"])]).0),
            ("60x16-help-scrolled", run(makeState(columns: 60, rows: 16), keys("?") + Array(repeating: .key(.down), count: 5)).0),
            ("80x24-synthetic-default", makeState(syntheticDefault())),
            ("80x24-side-by-side", run(makeState(syntheticDefault()), keys("c")).0),
            ("120x40-side-by-side", run(makeState(syntheticDefault(), columns: 120, rows: 40, glyphs: .unicode), keys("c")).0),
            ("100x30-official-no-side-by-side", run(makeState(officialUnavailable(), columns: 100, rows: 30), keys("c")).0),
        ]
    }

    /// `synthetic` opened because MODEL was omitted and the built-in model is untrained, with `builtin` beside it.
    static func syntheticDefault() -> ModelInfo {
        ModelInfo(name: "synthetic", version: "1", expressionNames: builtinNames, expressionDimension: 16,
                  expressionRange: 0...1, defaultPsi: 1, comparison: .available, note: "builtin untrained")
    }

    static func officialUnavailable() -> ModelInfo {
        var model = officialModel()
        model.comparison = .unavailable(reason: "sshq512 has 64 numbered expressions (e00...e63), not the 16 built-in blendshapes (jaw_open, ...) that synthetic reads")
        return model
    }

    static func favourites() -> [FavouriteEntry] {
        (0..<3).map { i in
            FavouriteEntry(name: "20261126-01020\(i)-s\(40 + i).png", imagePath: "/o/\(i).png", sidecarPath: "/o/\(i).json",
                           savedAt: "2026-11-26T01:02:0\(i)Z", controls: Controls(identity: .seed(UInt32(40 + i), blend: 0)),
                           model: ModelIdentity(name: i == 2 ? "sshq512" : "studio"))
        }
    }

    @Test func screensMatchTheGoldenFiles() throws {
        let update = ProcessInfo.processInfo.environment["PORTRAIT_UPDATE_SNAPSHOTS"] == "1"
        for (name, state) in Self.cases() {
            let path = Self.directory + "/\(name).txt"
            let actual = Self.screenText(state)
            if update {
                try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
                Issue.record("missing snapshot \(path) (run with PORTRAIT_UPDATE_SNAPSHOTS=1)")
                continue
            }
            if actual != expected {
                let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
                let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
                Issue.record("\(name): differs from \(path) at line \(line + 1):\n  expected: \(line < e.count ? String(e[line]) : "(end)")\n  actual:   \(line < a.count ? String(a[line]) : "(end)")")
            }
        }
    }

    @Test func pictureStateHasTheDesignValues() {
        let state = Self.cases()[0].1
        #expect(state.controls.camera.yaw == 12 && state.controls.camera.pitch == -3)
        #expect(state.controls.identity == .seed(42, blend: 0))
        #expect(state.controls.studioExpression[0] == 0.25)
        #expect(state.controls.joints[3][1] == 15)
        #expect(state.recording != nil)
    }
}
