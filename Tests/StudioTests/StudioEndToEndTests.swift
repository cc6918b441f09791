import Foundation
import Generator
import ModelIO
import Synth
import Testing

/// The real release binary in tmux: keys move sliders, save a favourite, record a trajectory and quit; the
/// files are checked afterwards. Also key-to-screen latency while renders run, and a burst of 200 keys.
@Suite(.serialized) struct StudioEndToEndTests {
    /// A studio running in tmux on the ref-tiny bundle (or the reserved model `model`) with its own XDG
    /// folders and `--out`.
    final class Studio {
        let work: String
        let bundle: String
        let out: String
        let tmux: TmuxSession
        var log: String { work + "/state/portrait-studio/studio.log" }

        init(model: String? = nil, graphics: String = "blocks", columns: Int = 120, rows: Int = 40, out: String? = nil) throws {
            work = try StudioFixtures.temporaryDirectory()
            bundle = try model ?? StudioFixtures.tinyBundle(in: work)
            self.out = out ?? work + "/out"
            let environment = "TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME='\(work)/state' "
                + "XDG_DATA_HOME='\(work)/data' XDG_CONFIG_HOME='\(work)/config'"
            let command = "exec env \(environment) '\(StudioFixtures.executable)' studio '\(bundle)' --out '\(self.out)' --graphics \(graphics) "
                + "2>'\(work)/stderr.txt'"
            tmux = try TmuxSession(command: command, columns: columns, rows: rows)
            try tmux.tmux(["set-option", "-t", tmux.target, "remain-on-exit", "on"])
        }

        /// Whether the studio has exited with status 0 (as its log says: tmux 3.3a does not always fill
        /// `#{pane_dead_status}`).
        var quitCleanly: Bool { isDead && logText.contains("studio stopped (status 0)") }

        /// Whether the command has exited (the pane stays, `remain-on-exit`).
        var isDead: Bool {
            (try? tmux.tmux(["display-message", "-p", "-t", tmux.target, "#{pane_dead}"]))?.hasPrefix("1") ?? false
        }

        var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        var fullFrames: [String] { logText.split(separator: "\n").filter { $0.contains("full frame") }.map(String.init) }

        /// Waits for `condition`, failing with the screen and log when it does not come.
        func expect(_ what: String, timeout: Double = 60, _ condition: () -> Bool) throws {
            guard TmuxSession.wait(timeout: timeout, condition) else {
                let stderr = (try? String(contentsOfFile: work + "/stderr.txt", encoding: .utf8)) ?? ""
                throw TmuxSession.Failure(description: "timed out waiting for \(what)\nscreen:\n\(tmux.capture())\nlog:\n\(logText)\nstderr:\n\(stderr)")
            }
        }

        func files(_ suffix: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted()
        }

        /// The text of the screen line that shows the `yaw` slider.
        var yawLine: String { tmux.capture().split(separator: "\n").first { $0.contains("yaw") }.map(String.init) ?? "" }

        deinit {
            tmux.kill()
            try? FileManager.default.removeItem(atPath: work)
        }
    }

    /// The studio on `synthetic`, as MODEL: the title says so; a favourite restores bit for bit; `m` switches
    /// to `builtin` live with the sliders kept, `c` shows both side by side (a pane twice as wide as high,
    /// full frames of both models for the same controls), `c` again returns to one picture.
    @Test func syntheticThenBuiltinThenSideBySide() throws {
        let builtin = try NeuralPortraitModel(path: #require(BuiltinModel.resourcePath)).identity.name
        let studio = try Studio(model: "synthetic")
        try studio.expect("the first full frame") { studio.fullFrames.contains { $0.contains(" of synthetic in ") } }
        try studio.expect("the title") { studio.tmux.capture().contains("portrait - synthetic/1 - seed 0") }
        try studio.tmux.send(["l", "l", "l", "3", "j", "PageUp"])
        try studio.expect("a frame at yaw 3 with the jaw open") {
            studio.fullFrames.last?.contains("\"yaw\": 3") == true && studio.fullFrames.last?.contains("\"expression\": [0.083") == true
        }
        try studio.tmux.send(["s"])
        try studio.expect("the favourite's sidecar") { !studio.files(".json").isEmpty }

        try studio.tmux.send(["m"])
        try studio.expect("a full frame of builtin with the same sliders", timeout: 120) {
            studio.fullFrames.last.map { $0.contains(" of \(builtin) in ") && $0.contains("\"yaw\": 3") && $0.contains("[0.083") } ?? false
        }
        #expect(studio.logText.contains("switched to model \(builtin)"))
        try studio.tmux.send(["c"])
        try studio.expect("side by side in the title") { studio.tmux.capture().contains("side by side") }
        try studio.tmux.send(["n"])
        try studio.expect("full frames of both models for seed 1", timeout: 120) {
            let frames = studio.fullFrames.filter { $0.contains("\"seed\": 1,") }
            return frames.contains { $0.contains(" of synthetic in ") } && frames.contains { $0.contains(" of \(builtin) in ") }
        }
        try studio.expect("the two-picture pane") {
            guard let pane = studio.logText.split(separator: "\n").last(where: { $0.contains("pane: blocks") }),
                  let size = pane.split(separator: " ").first(where: { $0.contains("x") && $0.first?.isNumber == true }) else { return false }
            let parts = size.split(separator: "x").compactMap { Int($0) }
            return parts.count == 2 && parts[0] >= 2 * parts[1] - 2 && parts[0] <= 2 * parts[1] + 4
        }
        try studio.tmux.send(["c"])
        try studio.expect("side by side off") { !studio.tmux.capture().contains("side by side:") && studio.tmux.capture().contains("side by side off") }
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { studio.quitCleanly }

        // The favourite names synthetic/1 and restores to its PNG bit for bit.
        let sidecar = try #require(studio.files(".json").first { !$0.hasSuffix(".jsonl") })
        let favourite = try Self.json(String(contentsOfFile: studio.out + "/" + sidecar, encoding: .utf8))
        let model = favourite["model"] as? [String: Any]
        #expect(model?["name"] as? String == "synthetic" && model?["version"] as? String == SyntheticPortraitRenderer.version)
        #expect(model?["data_sha256"] == nil)
        let restored = try ControlsJSON.read(path: studio.out + "/" + sidecar)
        #expect(restored.camera.yaw == 3)
        let png = try PNGCodec.read(path: studio.out + "/" + (favourite["image"] as? String ?? "missing.png"))
        #expect(try ImageConversion.rgb8(SyntheticPortraitModel().renderAll(controls: restored).image) == png)
    }

    /// The studio on `builtin` as MODEL: its title, `c` side by side with synthetic for the same controls,
    /// `m` to synthetic (the side by side stays), quit.
    @Test func builtinWithSideBySide() throws {
        let builtin = try NeuralPortraitModel(path: #require(BuiltinModel.resourcePath)).identity.name
        let studio = try Studio(model: "builtin")
        try studio.expect("the first full frame", timeout: 120) { studio.fullFrames.contains { $0.contains(" of \(builtin) in ") } }
        try studio.expect("the title") { studio.tmux.capture().contains("portrait - \(builtin) (") }
        try studio.tmux.send(["c", "l", "l"])
        try studio.expect("full frames of both models at yaw 2", timeout: 120) {
            let frames = studio.fullFrames.filter { $0.contains("\"yaw\": 2,") }
            return frames.contains { $0.contains(" of synthetic in ") } && frames.contains { $0.contains(" of \(builtin) in ") }
        }
        try studio.tmux.send(["m"])
        try studio.expect("synthetic in the title, still side by side") {
            let title = studio.tmux.capture().split(separator: "\n").first ?? ""
            return title.contains("synthetic/1") && title.contains("side by side")
        }
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { studio.quitCleanly }
    }

    /// On a model with numbered expressions (ref-tiny has the official 64) `c` says why side by side is
    /// unavailable, and `m` still switches to synthetic.
    @Test func numberedExpressionsExplainSideBySide() throws {
        let studio = try Studio()
        try studio.expect("the first full frame") { !studio.fullFrames.isEmpty }
        try studio.tmux.send(["c"])
        try studio.expect("the reason in the status line") {
            studio.tmux.capture().contains("side by side unavailable:") && studio.logText.contains("64 numbered expressions")
        }
        try studio.tmux.send(["m"])
        try studio.expect("a full frame of synthetic") { studio.fullFrames.contains { $0.contains(" of synthetic in ") } }
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { studio.quitCleanly }
    }

    static func json(_ text: some StringProtocol) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TmuxSession.Failure(description: "not a JSON object: \(text)")
        }
        return object
    }

    static func yaw(_ controls: Any?) -> Double? {
        ((controls as? [String: Any])?["camera"] as? [String: Any])?["yaw"] as? Double
    }

    @Test func slidersFavouriteTrajectoryAndQuit() throws {
        let studio = try Studio()
        try studio.expect("the first full frame") { !studio.fullFrames.isEmpty }
        try studio.expect("the panel") { studio.yawLine.contains("yaw") }

        try studio.tmux.send(["l", "l", "l"])
        try studio.expect("a frame at yaw 3") { studio.fullFrames.contains { $0.contains("\"yaw\": 3") } }
        try studio.tmux.send(["s"])
        try studio.expect("the favourite's sidecar") { !studio.files(".json").isEmpty }
        try studio.tmux.send(["r"])
        try studio.expect("the trajectory file") { !studio.files(".jsonl").isEmpty }
        usleep(200_000)
        try studio.tmux.send(["l"])
        usleep(200_000)
        try studio.tmux.send(["l"])
        usleep(200_000)
        try studio.tmux.send(["r"])
        usleep(300_000)
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { studio.quitCleanly }

        // The favourite: the PNG decodes and is the frame its JSON's controls render.
        let sidecar = try #require(studio.files(".json").first { !$0.hasSuffix(".jsonl") })
        let favourite = try Self.json(String(contentsOfFile: studio.out + "/" + sidecar, encoding: .utf8))
        #expect(favourite["format"] as? String == "portrait-favourite/1")
        #expect(Self.yaw(favourite["controls"]) == 3)
        let png = try PNGCodec.read(path: studio.out + "/" + (favourite["image"] as? String ?? "missing.png"))
        let restored = try ControlsJSON.read(path: studio.out + "/" + sidecar)
        #expect(restored.camera.yaw == 3)
        let model = try NeuralPortraitModel(path: studio.bundle)
        #expect(try ImageConversion.rgb8(model.renderAll(controls: restored).image) == png)

        // The trajectory: header, then the moves 3 → 4 → 5 with increasing times.
        let trajectory = try #require(studio.files(".jsonl").first)
        let lines = try String(contentsOfFile: studio.out + "/" + trajectory, encoding: .utf8).split(separator: "\n")
        #expect(try Self.json(lines[0])["format"] as? String == "portrait-trajectory/1")
        let records = try lines.dropFirst().map { try Self.json($0) }
        #expect(records.map { Self.yaw($0["controls"]) } == [3, 4, 5])
        let times = records.compactMap { $0["t"] as? Double }
        #expect(times.first == 0 && times == times.sorted())
        #expect(studio.logText.contains("at most 1 in flight"))
    }

    @Test func keysShowWhileRenderingAndBurstsStayFlat() throws {
        let studio = try Studio()
        try studio.expect("the first full frame") { !studio.fullFrames.isEmpty }
        try studio.expect("the panel") { studio.yawLine.contains("yaw") }
        let pid = try studio.tmux.panePID()

        // Key-to-screen latency while a new identity renders: `n` starts identity work, then `l` moves yaw.
        var latencies: [Double] = []
        for _ in 0..<10 {
            try studio.tmux.send(["n"])
            usleep(20_000)
            let before = studio.yawLine
            let start = Date()
            try studio.tmux.send(["l"])
            try studio.expect("the yaw change on screen", timeout: 5) { studio.yawLine != before }
            latencies.append(Date().timeIntervalSince(start) * 1000)
            usleep(100_000)
        }
        let sorted = latencies.sorted()
        let renders = studio.fullFrames.compactMap { line in
            line.range(of: " in ").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
        }
        print("key-to-screen latency (ms, includes tmux capture-pane polling): median \(Int(sorted[sorted.count / 2])), max \(Int(sorted.last ?? 0)); full frames took \(renders.min() ?? 0)...\(renders.max() ?? 0) ms")

        // 200 rapid keys (100 next seeds, 100 yaw steps), twice: resident memory stays flat. A burst has
        // settled when the full frame of its last seed is logged (seed 0 + 10 above + 100 per burst).
        let burst = (0..<200).map { $0 % 2 == 0 ? "n" : "l" }
        try studio.tmux.send(burst)
        try studio.expect("the burst to settle", timeout: 120) { studio.fullFrames.last?.contains("\"seed\": 110,") == true }
        let first = residentKilobytes(pid) ?? 0
        try studio.tmux.send(burst)
        try studio.expect("the second burst to settle", timeout: 120) { studio.fullFrames.last?.contains("\"seed\": 210,") == true }
        let second = residentKilobytes(pid) ?? 0
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { studio.quitCleanly }
        let summary = studio.logText.split(separator: "\n").last { $0.contains("renders:") }.map(String.init) ?? "no summary"
        print("200-key bursts: RSS \(first / 1024) MiB after the first, \(second / 1024) MiB after the second; \(summary)")
        #expect(summary.contains("at most 1 in flight"))
        #expect(second - first < 64 * 1024)
        #expect(sorted[sorted.count / 2] < 100, "median key-to-screen latency \(sorted[sorted.count / 2]) ms")
    }

    @Test func tinyTerminalResizeStormSignalAndUnwritableFolder() throws {
        // --out below a regular file cannot be created: saving reports it and the studio goes on.
        let blocker = try StudioFixtures.temporaryDirectory() + "/file"
        defer { try? FileManager.default.removeItem(atPath: (blocker as NSString).deletingLastPathComponent) }
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let studio = try Studio(out: blocker + "/favourites")
        try studio.expect("the first full frame") { !studio.fullFrames.isEmpty }

        try studio.tmux.tmux(["resize-window", "-t", studio.tmux.target, "-x", "50", "-y", "12"])
        try studio.expect("the too-small message", timeout: 10) { studio.tmux.capture().contains("terminal too small: 50x12 (need 60x16)") }
        for i in 0..<20 {
            try studio.tmux.tmux(["resize-window", "-t", studio.tmux.target, "-x", "\(70 + 3 * i)", "-y", "\(20 + i)"])
        }
        try studio.tmux.tmux(["resize-window", "-t", studio.tmux.target, "-x", "100", "-y", "30"])
        try studio.expect("the panel after the storm", timeout: 10) {
            let screen = studio.tmux.capture()
            return screen.contains("yaw") && !screen.contains("too small") && screen.split(separator: "\n").count >= 29
        }

        try studio.tmux.send(["s"])
        try studio.expect("the save failure in the status line", timeout: 30) { studio.logText.contains("save failed") }
        #expect(!studio.isDead)

        // SIGTERM while recording (into an unwritable folder the recording fails; record in a writable one).
        let pid = try studio.tmux.panePID()
        kill(pid, SIGTERM)
        // (After resize-window, tmux 3.3a leaves #{pane_dead_status} empty: the log says the status.)
        try studio.expect("the studio to stop with status 143", timeout: 15) {
            studio.logText.contains("studio stopped (status 143)") && studio.isDead
        }
        #expect(studio.logText.contains("signal 15: stopping"))
    }

    @Test func sigintCompletesTheRecording() throws {
        let studio = try Studio()
        try studio.expect("the first full frame") { !studio.fullFrames.isEmpty }
        try studio.tmux.send(["r"])
        try studio.expect("the trajectory file") { !studio.files(".jsonl").isEmpty }
        for _ in 0..<5 {
            try studio.tmux.send(["l"])
            usleep(60_000)
        }
        let pid = try studio.tmux.panePID()
        kill(pid, SIGINT)
        try studio.expect("the studio to stop with status 130", timeout: 15) {
            studio.isDead && studio.logText.contains("studio stopped (status 130)")
        }
        let text = try String(contentsOfFile: studio.out + "/" + #require(studio.files(".jsonl").first), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let records = try text.split(separator: "\n").dropFirst().map { try Self.json($0) }
        #expect(records.count >= 2)
        #expect(records.last.map { Self.yaw($0["controls"]) } == 5)
    }
}
