import Foundation
import Generator
import ModelIO
import Testing
@testable import StudioCore

/// The official keyframes, read in place from the shared reference (or `$PORTRAIT_REFERENCE`).
func keyframesDirectory() throws -> String {
    let reference = ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"]
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference").path
    let path = reference + "/keyframes"
    guard FileManager.default.fileExists(atPath: path + "/real_video_examples/sample1/camera_pose.npy") else {
        throw StudioCoreError.io(path: path, reason: "the official keyframes are missing (set PORTRAIT_REFERENCE)")
    }
    return path
}

@Suite struct KeyframesTests {
    @Test(arguments: ["sample1", "sample2"])
    func realVideoExamplesImportAndExportBack(sample: String) throws {
        let folder = try keyframesDirectory() + "/real_video_examples/" + sample
        let keyframes = try OfficialKeyframes.load(expression: folder + "/expression.npy", joints: folder + "/joint_eulers.npy",
                                                   camera: folder + "/camera_pose.npy")
        #expect(keyframes.count == 125)
        let trajectory = OfficialKeyframes.trajectory(keyframes, fps: 12.5, interval: 1, seed: 4)
        #expect(trajectory.lines.count == 125)
        #expect(trajectory.lines[1].t == 0.08)
        // Written and read back as a file, every line validates as controls and plays on the official model.
        let directory = try scratchDirectory("kf")
        let path = directory + "/t.jsonl"
        try AtomicFile.write(Data(OfficialKeyframes.fileText(trajectory, startedAt: Date(timeIntervalSince1970: 0)).utf8), to: path)
        let (read, warnings) = try TrajectoryReader.read(path: path, model: officialModel())
        #expect(warnings.isEmpty)
        #expect(read.lines.count == 125 && read.duration == 124 / 12.5)
        let first = read.lines[0].controls
        let camera = keyframes.camera?[0] ?? [0, 0]
        #expect(abs(first.camera.pitch - (camera[0] * 180 / .pi - 90)) < 1e-9)
        #expect(abs(first.camera.yaw - (camera[1] * 180 / .pi - 90)) < 1e-9)
        #expect(abs(first.joints[3][1] - (keyframes.joints?[0][3][1] ?? 0) * 180 / .pi) < 1e-9)
        // Export at the same rate gives the original arrays back.
        let (expression, joints, cameraPose, exportWarnings) = OfficialKeyframes.export(read, fps: 12.5)
        #expect(exportWarnings.isEmpty)
        #expect(expression.shape == [125, 64] && joints.shape == [125, 6, 3] && cameraPose.shape == [125, 2])
        let originals = [try NPY.read(folder + "/expression.npy"), try NPY.read(folder + "/joint_eulers.npy"),
                         try NPY.read(folder + "/camera_pose.npy")]
        for (exported, original) in zip([expression, joints, cameraPose], originals) {
            let difference = zip(exported.floats, original.floats).map { abs($0 - $1) }.max() ?? 1
            #expect(difference < 1e-6)
        }
        // A studio playing it on the official model applies the lines without clamping.
        var (state, effects) = run(makeState(officialModel()), [.tick(now: 0), .trajectoryLoaded(read, path: path, warnings: []), .tick(now: 0)])
        #expect(!effects.contains { if case .log(.warning, _) = $0 { return true } else { return false } })
        (state, _) = run(state, [.tick(now: 5)])
        #expect(state.controls.camera == read.lines[62].controls.camera)
    }

    @Test func loopedKeyframesBlendOverTheInterval() throws {
        let folder = try keyframesDirectory()
        let keyframes = try OfficialKeyframes.load(expression: nil, joints: folder + "/pose.npy", camera: nil)
        #expect(keyframes.count == 4)
        let trajectory = OfficialKeyframes.trajectory(keyframes, fps: 30, interval: 30, seed: 0)
        #expect(trajectory.lines.count == 120)
        let joints = keyframes.joints ?? []
        // Frame 45 is halfway from keyframe 1 to 2; frame 105 halfway from the last back to the first.
        for (frame, a, b) in [(45, 1, 2), (105, 3, 0)] {
            let expected = (joints[a][3][2] + joints[b][3][2]) / 2 * 180 / .pi
            #expect(abs(trajectory.lines[frame].controls.joints[3][2] - expected) < 1e-9)
        }
        #expect(trajectory.lines[0].controls.camera == Controls.Camera())
        #expect(trajectory.header.expressionNames.isEmpty)
    }

    @Test func lengthsMustAgree() throws {
        let folder = try keyframesDirectory()
        #expect(throws: StudioCoreError.malformed(path: "(keyframes)", reason: "the files differ in length: \(folder)/expression.npy has 5, \(folder)/pose.npy has 4")) {
            try OfficialKeyframes.load(expression: folder + "/expression.npy", joints: folder + "/pose.npy", camera: nil)
        }
        #expect(throws: StudioCoreError.self) {
            try OfficialKeyframes.load(expression: folder + "/pose.npy", joints: nil, camera: nil)
        }
    }

    @Test func exportWarnsAboutIdentityAndDimension() {
        let lines = (0..<3).map { i in
            TrajectoryLine(t: Double(i), controls: Controls(identity: .seed(UInt32(i), blend: 0), expression: .values([0.5, 0.25])))
        }
        let trajectory = Trajectory(header: TrajectoryHeader(model: ModelIdentity(name: "m"), expressionNames: ["a", "b"]), lines: lines)
        let (expression, _, camera, warnings) = OfficialKeyframes.export(trajectory, fps: 2)
        #expect(expression.shape == [5, 2])
        #expect(warnings.count == 2)
        #expect(camera.floats[0] == Float(Double.pi / 2))
    }
}
