import Foundation
import Generator
import ModelIO
import Testing

/// The real release binary in tmux: keys move sliders, save a favourite, record a trajectory and quit; the
/// files are checked afterwards. Also key-to-screen latency while renders run, and a burst of 200 keys.
@Suite(.serialized) struct StudioEndToEndTests {
    /// A studio running in tmux on the ref-tiny bundle with its own XDG folders and `--out`.
    final class Studio {
        let work: String
        let bundle: String
        let out: String
        let tmux: TmuxSession
        var log: String { work + "/state/portrait-studio/studio.log" }

        init(graphics: String = "blocks", columns: Int = 120, rows: Int = 40) throws {
            work = try StudioFixtures.temporaryDirectory()
            bundle = try StudioFixtures.tinyBundle(in: work)
            out = work + "/out"
            let environment = "TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME='\(work)/state' "
                + "XDG_DATA_HOME='\(work)/data' XDG_CONFIG_HOME='\(work)/config'"
            let command = "exec env \(environment) '\(StudioFixtures.executable)' studio '\(bundle)' --out '\(out)' --graphics \(graphics) "
                + "2>'\(work)/stderr.txt'"
            tmux = try TmuxSession(command: command, columns: columns, rows: rows)
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
        try studio.expect("the studio to quit", timeout: 15) { !studio.tmux.isRunning }

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

        // 200 rapid keys (seed and yaw changes), twice: resident memory stays flat.
        let burst = (0..<200).map { $0 % 2 == 0 ? "n" : "l" }
        try studio.tmux.send(burst)
        try studio.expect("the burst to settle", timeout: 120) { studio.tmux.capture().contains("idle") }
        let first = residentKilobytes(pid) ?? 0
        try studio.tmux.send(burst)
        try studio.expect("the second burst to settle", timeout: 120) { studio.tmux.capture().contains("idle") }
        let second = residentKilobytes(pid) ?? 0
        try studio.tmux.send(["q"])
        try studio.expect("the studio to quit", timeout: 15) { !studio.tmux.isRunning }
        let summary = studio.logText.split(separator: "\n").last { $0.contains("renders:") }.map(String.init) ?? "no summary"
        print("200-key bursts: RSS \(first / 1024) MiB after the first, \(second / 1024) MiB after the second; \(summary)")
        #expect(summary.contains("at most 1 in flight"))
        #expect(second - first < 64 * 1024)
        #expect(sorted[sorted.count / 2] < 100, "median key-to-screen latency \(sorted[sorted.count / 2]) ms")
    }
}
