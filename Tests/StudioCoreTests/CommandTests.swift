import Foundation
import Generator
import ModelIO
import PortraitTestSupport
import Testing
@testable import StudioCore

/// `portrait trajectory import|export` and `portrait video` run as the built executable.
@Suite struct CommandTests {
    /// Runs the `portrait` executable built beside the test bundle.
    static func portrait(_ arguments: [String]) throws -> PortraitProcess.Result { try PortraitProcess.run(arguments) }

    @Test func importExportAndVideoOfTheRealKeyframes() throws {
        let keyframes = try keyframesDirectory()
        let reference = (keyframes as NSString).deletingLastPathComponent
        let sample = keyframes + "/real_video_examples/sample2"
        let work = try scratchDirectory("cmd")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let trajectory = work + "/s2.jsonl"
        let imported = try Self.portrait(["trajectory", "import", "--expression", sample + "/expression.npy", "--joints",
                                          sample + "/joint_eulers.npy", "--camera", sample + "/camera_pose.npy",
                                          "--interval", "1", "--fps", "12.5", "--seed", "7", "-o", trajectory])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("125 lines from 125 keyframes"))
        let exported = try Self.portrait(["trajectory", "export", trajectory, "-o", work + "/npy", "--fps", "12.5"])
        #expect(exported.status == 0 && exported.stderr.isEmpty, "\(exported.stderr)")
        let camera = try NPY.read(work + "/npy/camera_pose.npy")
        #expect(camera.shape == [125, 2] && camera.dtype == .float32)
        #expect(camera.floats == (try NPY.read(sample + "/camera_pose.npy")).floats)

        // Mismatched lengths: one error line naming both files, exit 1, no output.
        let mismatched = try Self.portrait(["trajectory", "import", "--expression", keyframes + "/expression.npy",
                                            "--joints", keyframes + "/pose.npy", "-o", work + "/bad.jsonl"])
        #expect(mismatched.status == 1)
        #expect(mismatched.stderr.hasPrefix("error: (keyframes): the files differ in length") && mismatched.stderr.contains("pose.npy has 4"))
        #expect(!FileManager.default.fileExists(atPath: work + "/bad.jsonl"))

        // Video: the first three lines (0.16 s) on the tiny reference model at 25 fps: 5 frames.
        let model = work + "/tiny.portrait"
        let tiny = reference + "/ref-tiny"
        let bundle = try Self.portrait(["import", "--checkpoint", tiny + "/generator.pt", "--knn-index", tiny + "/valid_smpl_knn_index.npy",
                                        "--smpl", tiny + "/body/SMPL_NEUTRAL.pkl.gz", "--means", tiny, "-o", model])
        #expect(bundle.status == 0, "\(bundle.stderr)")
        let lines = try String(contentsOfFile: trajectory, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(4).joined(separator: "\n") + "\n").write(toFile: work + "/short.jsonl", atomically: true, encoding: .utf8)
        let video = try Self.portrait(["video", model, "--trajectory", work + "/short.jsonl", "-o", work + "/frames", "--fps", "25"])
        #expect(video.status == 0, "\(video.stderr)")
        #expect(video.stderr.contains("5/5") && video.stderr.contains("ETA"))
        let frames = try FileManager.default.contentsOfDirectory(atPath: work + "/frames").sorted()
        #expect(frames == (0..<5).map { String(format: "%06d.png", $0) })
        // Frame 2 (t = 0.08) holds line 1; frame 3 (t = 0.12) still holds it; frame 4 (t = 0.16) line 2.
        let (read, _) = try TrajectoryReader.read(path: work + "/short.jsonl", expressionLabels: nil)
        for (frame, line) in [(0, 0), (2, 1), (3, 1), (4, 2)] {
            var expected = read.lines[line].controls
            expected.quality = .full
            #expect(try Favourites.controls(inPNG: work + "/frames/" + frames[frame]) == expected)
        }
        let image = try PNGCodec.read(path: work + "/frames/000004.png")
        #expect(image.width == 64 && image.height == 64)
    }
}
