import Foundation
import Generator
import Numerics
import Testing
@testable import StudioCore

@Suite struct RecordingTests {
    /// Runs events and returns the trajectory lines the effects append.
    func appended(_ effects: [StudioEffect]) -> [String] {
        effects.compactMap { if case let .appendTrajectoryLine(line) = $0 { return line } else { return nil } }
    }

    @Test func recordingWritesStartAndOneLinePerTick() throws {
        var (state, effects) = run(makeState(), [.tick(now: 10), .key(.character("r"))])
        guard case let .startRecording(directory, header)? = effects.first(where: { if case .startRecording = $0 { return true } else { return false } }) else {
            Issue.record("no startRecording"); return
        }
        #expect(directory == "/tmp/out")
        #expect(header.expressionNames == builtinNames)
        #expect(appended(effects).isEmpty)
        // The first tick starts the clock and writes t = 0.
        (state, effects) = run(state, [.tick(now: 10.5)])
        #expect(appended(effects) == [TrajectoryFormat.line(t: 0, controls: state.controls)])
        // Two changes before the next tick make one line.
        (state, effects) = run(state, [.key(.right), .key(.right), .tick(now: 11.8374)])
        let lines = appended(effects)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("{\"t\": 1.337, \"controls\": {\"identity\"") == true)
        #expect(effects.contains(.syncRecording))
        // No change, no line; a tick a second later has nothing to sync.
        (state, effects) = run(state, [.tick(now: 13)])
        #expect(appended(effects).isEmpty && !effects.contains(.syncRecording))
        #expect(state.nextWakeup == state.message?.expires)
        // A change, then stop: the pending line is written before the stop.
        (state, effects) = run(state, [.key(.left), .key(.character("r"))])
        #expect(appended(effects).count == 1)
        #expect(effects.firstIndex(of: .stopRecording) ?? 0 > effects.firstIndex { if case .appendTrajectoryLine = $0 { return true } else { return false } } ?? 99)
        #expect(state.recording == nil)
    }

    @Test func quitStopsTheRecordingFirst() {
        let (state, _) = run(makeState(), [.tick(now: 1), .key(.character("r")), .tick(now: 1.1)])
        let (_, effects) = run(state, [.key(.right), .key(.character("q"))])
        #expect(effects.suffix(2) == [.stopRecording, .quit])
        #expect(appended(effects).count == 1)
    }

    @Test func writerAndReaderRoundTrip() throws {
        let directory = try scratchDirectory("rec")
        let header = TrajectoryHeader(model: ModelIdentity(builtinModel()), expressionNames: builtinNames)
        let date = Date(timeIntervalSince1970: 1_795_000_000.12)
        let writer = try TrajectoryWriter(directory: directory, header: header, date: date)
        #expect(writer.path.hasSuffix("trajectory-\(Timestamp.fileStamp(date)).jsonl"))
        var expected: [TrajectoryLine] = []
        var state = makeState()
        for (i, t) in [0.0, 0.25, 1.337].enumerated() {
            state.controls.camera.yaw = Double(i) * 7
            state.controls.joints[3] = [1, Double(-i), 0.5]
            expected.append(TrajectoryLine(t: t, controls: state.controls))
            try writer.append(TrajectoryFormat.line(t: t, controls: state.controls))
            try writer.sync()
        }
        try writer.close()
        let second = try TrajectoryWriter(directory: directory, header: header, date: date)
        #expect(second.path.hasSuffix("-2.jsonl"))
        try second.close()
        let (trajectory, warnings) = try TrajectoryReader.read(path: writer.path, model: builtinModel())
        #expect(warnings.isEmpty)
        #expect(trajectory.header.model.dataSHA256 == builtinModel().dataSHA256)
        #expect(trajectory.header.startedAt == Timestamp.iso8601(date, milliseconds: true))
        #expect(trajectory.lines.count == 3)
        for (a, b) in zip(trajectory.lines, expected) {
            #expect(a.t == b.t)
            var c = b.controls
            c.quality = .full
            #expect(a.controls == c)
        }
        #expect(try Trajectories.list(directory: directory).map { fileName($0) }.count == 2)
    }

    @Test func truncatedLastLineIsIgnoredOtherBadLinesNameTheirNumber() throws {
        let header = TrajectoryFormat.headerLine(TrajectoryHeader(model: ModelIdentity(name: "studio"), expressionNames: ["a", "b"]),
                                                 startedAt: Date(timeIntervalSince1970: 0))
        let good = "{\"t\": 0, \"controls\": {\"identity\": {\"seed\": 3}, \"expression\": [0.5, 0.25]}}"
        let truncated = header + "\n" + good + "\n" + "{\"t\": 1, \"controls\": {\"iden"
        let (trajectory, warnings) = try TrajectoryReader.parse(Data(truncated.utf8), path: "x.jsonl", expressionLabels: nil)
        #expect(trajectory.lines.count == 1)
        #expect(warnings == ["x.jsonl: line 3 is truncated and was ignored"])
        let badMiddle = header + "\n" + "{\"t\": 0, \"controls\": {\"identity\": {\"seed\": 3}, \"psi\": NaN}}\n" + good + "\n"
        #expect(throws: StudioCoreError.badLine(path: "x.jsonl", line: 2, reason: "controls.psi: NaN is not allowed")) {
            try TrajectoryReader.parse(Data(badMiddle.utf8), path: "x.jsonl", expressionLabels: nil)
        }
        let backwards = header + "\n" + good.replacingOccurrences(of: "\"t\": 0", with: "\"t\": 2") + "\n" + good + "\n"
        #expect(throws: StudioCoreError.self) {
            try TrajectoryReader.parse(Data(backwards.utf8), path: "x.jsonl", expressionLabels: nil)
        }
        #expect(throws: StudioCoreError.badLine(path: "x.jsonl", line: 1, reason: "format: version portrait-trajectory/2 is not supported (reads portrait-trajectory/1)")) {
            try TrajectoryReader.parse(Data("{\"format\": \"portrait-trajectory/2\"}\n".utf8), path: "x.jsonl", expressionLabels: nil)
        }
    }

    @Test func expressionsMapByNameElseByIndex() throws {
        let header = TrajectoryFormat.headerLine(TrajectoryHeader(model: ModelIdentity(name: "m"), expressionNames: ["smile_left", "jaw_open"]),
                                                 startedAt: Date(timeIntervalSince1970: 0))
        let text = header + "\n{\"t\": 0, \"controls\": {\"identity\": {\"seed\": 1}, \"expression\": [0.25, 0.75]}}\n"
        let (named, warnings) = try TrajectoryReader.parse(Data(text.utf8), path: "n.jsonl", expressionLabels: builtinNames)
        var expected = Array(repeating: 0.0, count: 16)
        expected[0] = 0.75
        expected[1] = 0.25
        #expect(named.lines[0].controls.studioExpression == expected)
        #expect(warnings.count == 1)
        let (numbered, padWarnings) = try TrajectoryReader.parse(Data(text.utf8), path: "n.jsonl",
                                                                 expressionLabels: (0..<4).map { "e0\($0)" })
        #expect(numbered.lines[0].controls.studioExpression == [0.25, 0.75, 0, 0])
        #expect(padWarnings == ["n.jsonl: the file has 2 expressions, the model 4 (padded)"])
    }

    @Test func playbackAppliesDueLinesAndCollapsesThem() {
        var lines: [TrajectoryLine] = []
        for (i, t) in [0.0, 0.5, 0.6, 0.7, 2.0].enumerated() {
            var c = Controls(identity: .seed(5, blend: 0), psi: 0.7)
            c.camera.yaw = Double(i * 10)
            c.expression = .values(Array(repeating: 0, count: 16))
            lines.append(TrajectoryLine(t: t, controls: c))
        }
        let trajectory = Trajectory(header: TrajectoryHeader(model: ModelIdentity(name: "studio"), expressionNames: builtinNames), lines: lines)
        var (state, effects) = run(makeState(), [.tick(now: 100), .trajectoryLoaded(trajectory, path: "/x/t.jsonl", warnings: [])])
        #expect(state.playback != nil && state.nextWakeup == 100)
        (state, effects) = run(state, [.tick(now: 100)])
        #expect(state.controls.camera.yaw == 0 && state.controls.studioSeed == 5)
        #expect(state.nextWakeup == 100.5)
        // 0.5, 0.6 and 0.7 are all due at 0.75: one render with the latest.
        (state, effects) = run(state, [.tick(now: 100.75)])
        #expect(state.controls.camera.yaw == 30)
        #expect(effects.filter { if case .requestRender = $0 { return true } else { return false } }.count == 1)
        // A user edit stops playback.
        (state, effects) = run(state, [.key(.right)])
        #expect(state.playback == nil && state.controls.camera.yaw == 31)
        (state, _) = run(state, [.tick(now: 103)])
        #expect(state.controls.camera.yaw == 31)
    }

    @Test func playbackRunsToTheEnd() {
        let lines = [0.0, 1.0].map { t -> TrajectoryLine in
            var c = Controls(identity: .seed(1, blend: 0), psi: 0.5)
            c.camera.pitch = t * 10
            return TrajectoryLine(t: t, controls: c)
        }
        let trajectory = Trajectory(header: TrajectoryHeader(model: ModelIdentity(name: "studio"), expressionNames: builtinNames), lines: lines)
        let (state, _) = run(makeState(), [.trajectoryLoaded(trajectory, path: "t.jsonl", warnings: []), .tick(now: 5), .tick(now: 6.2)])
        #expect(state.playback == nil && state.controls.camera.pitch == 10 && state.controls.psi == 0.5)
        #expect(state.message?.text == "playback of t.jsonl finished")
    }

    @Test func schedule() {
        let lines = [0.0, 0.5, 0.5, 1.0].map { TrajectoryLine(t: $0, controls: Controls()) }
        #expect(TrajectorySchedule.line(at: -0.1, in: lines) == nil)
        #expect(TrajectorySchedule.line(at: 0.49, in: lines) == 0)
        #expect(TrajectorySchedule.line(at: 0.5, in: lines) == 2)
        #expect(TrajectorySchedule.line(at: 9, in: lines) == 3)
        #expect(TrajectorySchedule.frameCount(duration: 1.0, fps: 30) == 31)
        #expect(TrajectorySchedule.frameCount(duration: 124 / 12.5, fps: 12.5) == 125)
    }
}

@Suite struct TrajectoryHostileInputTests {
    /// Random byte mutations of a valid file: the reader returns or throws `StudioCoreError`, never traps.
    @Test func mutatedFilesNeverCrash() throws {
        var state = makeState()
        var text = TrajectoryFormat.headerLine(TrajectoryHeader(model: ModelIdentity(builtinModel()), expressionNames: builtinNames),
                                               startedAt: Date(timeIntervalSince1970: 0)) + "\n"
        for i in 0..<4 {
            state.controls.camera.yaw = Double(i)
            text += TrajectoryFormat.line(t: Double(i) / 4, controls: state.controls) + "\n"
        }
        let original = Array(text.utf8)
        var random = SplitMix64(seed: 11)
        var parsed = 0, rejected = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: position)
                default:
                    let alphabet = Array("{}[],:\"0e-.\n".utf8)
                    bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
            }
            do {
                _ = try TrajectoryReader.parse(Data(bytes), path: "m.jsonl", expressionLabels: builtinNames)
                parsed += 1
            } catch is StudioCoreError {
                rejected += 1
            }
        }
        #expect(parsed + rejected == 300 && rejected > 50)
    }
}

@Suite struct PlaybackModelTests {
    @Test func playingAnotherModelsTrajectoryWarns() {
        let line = TrajectoryLine(t: 0, controls: Controls(identity: .seed(1, blend: 0)))
        let header = TrajectoryHeader(model: ModelIdentity(name: "sshq512", dataSHA256: "0123456789abcdef"), expressionNames: [])
        let (state, effects) = run(makeState(), [.trajectoryLoaded(Trajectory(header: header, lines: [line]), path: "/a/t.jsonl", warnings: ["w1"])])
        #expect(state.playback != nil)
        let logged = effects.compactMap { if case let .log(level, text) = $0 { return "\(level.rawValue): \(text)" } else { return nil } }
        #expect(logged == ["warning: w1", "info: playing t.jsonl",
                           "warning: t.jsonl was recorded with another model (sshq512, data 0123456789ab…)"])
    }
}
