import Foundation
import ModelIO
import Testing

/// The reserved MODEL names on the command line: `synthetic` in render, video, info and bench, the
/// omitted-MODEL rule, `--compare`, and one-line errors for unknown names.
@Suite struct SyntheticModelCLITests {
    static func png(_ path: String) throws -> RGBImage { try PNGCodec.read(path: path) }

    /// Columns `x0..<x0+w` of `image`.
    static func crop(_ image: RGBImage, x0: Int, width: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<image.height {
            let row = 3 * (y * image.width + x0)
            pixels += image.pixels[row..<(row + 3 * width)]
        }
        return RGBImage(width: width, height: image.height, pixels: pixels) ?? RGBImage(width: 0, height: 0)
    }

    @Test func renderInfoAndTheOmittedModelRule() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let synthetic = try CLIRunner.run(["render", "synthetic", "--seed", "3", "--exp", "jaw_open=0.5", "--yaw", "10",
                                           "-o", work + "/s.png", "--lr", work + "/s-lr.png", "--depth", work + "/s-depth.png"])
        #expect(synthetic.status == 0, "\(synthetic.stderr)")
        let image = try Self.png(work + "/s.png")
        #expect(image.width == 256 && image.height == 256)
        #expect(try Self.png(work + "/s-lr.png").width == 64)
        #expect(try Self.png(work + "/s-depth.png").width == 256)

        // No MODEL: builtin when its metadata says trained, else synthetic.
        let builtin = try CLIRunner.run(["info", "builtin"])
        #expect(builtin.status == 0, "\(builtin.stderr)")
        let untrained = builtin.stdout.contains("provenance    builtin-untrained")
        let omitted = try CLIRunner.run(["render", "--seed", "3", "--exp", "jaw_open=0.5", "--yaw", "10", "-o", work + "/d.png"])
        #expect(omitted.status == 0, "\(omitted.stderr)")
        if untrained {
            #expect(try Self.png(work + "/d.png") == image)
        } else {
            let explicit = try CLIRunner.run(["render", "builtin", "--seed", "3", "--exp", "jaw_open=0.5", "--yaw", "10", "-o", work + "/b.png"])
            #expect(explicit.status == 0, "\(explicit.stderr)")
            let d = try Self.png(work + "/d.png"), b = try Self.png(work + "/b.png")
            #expect(d == b)
        }

        let info = try CLIRunner.run(["info", "synthetic"])
        #expect(info.status == 0, "\(info.stderr)")
        for text in ["version       renderer 1", "synthetic/1", "16 expressions (jaw_open", "full 256 px", "LR 64 px"] {
            #expect(info.stdout.contains(text), "\(text)\n\(info.stdout)")
        }

        for arguments in [["render", "nosuch", "--seed", "1", "-o", work + "/x.png"], ["info", "nosuch"], ["bench", "nosuch"],
                          ["video", "nosuch", "--trajectory", work + "/t.jsonl", "-o", work + "/v"]] {
            let failed = try CLIRunner.run(arguments)
            #expect(failed.status == 1, "\(arguments): \(failed.status) \(failed.stderr)")
            #expect(failed.stderr.hasPrefix("error: model 'nosuch' not found") && failed.stderr.contains("builtin and synthetic")
                    && failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
        }
    }

    @Test func compareWritesTwoPanelsOrSaysWhyNot() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let arguments = ["--seed", "2", "--exp", "smile_left=0.7", "--pose", "head.y=15", "--quality", "preview"]
        let compared = try CLIRunner.run(["render", "synthetic", "--compare"] + arguments + ["-o", work + "/c.png"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let neural = try CLIRunner.run(["render", "builtin"] + arguments + ["-o", work + "/n.png"])
        let synthetic = try CLIRunner.run(["render", "synthetic"] + arguments + ["-o", work + "/s.png"])
        #expect(neural.status == 0 && synthetic.status == 0, "\(neural.stderr) \(synthetic.stderr)")
        let panels = try Self.png(work + "/c.png"), left = try Self.png(work + "/n.png"), right = try Self.png(work + "/s.png")
        #expect(panels.width == 2 * left.width && panels.height == left.height && left.width == right.width)
        #expect(Self.crop(panels, x0: 0, width: left.width) == left)
        #expect(Self.crop(panels, x0: left.width, width: right.width) == right)

        // A video of a two-line trajectory, compared: every frame has both panels.
        let trajectory = work + "/t.jsonl"
        let lines = [
            "{\"format\": \"portrait-trajectory/1\", \"model\": {\"name\": \"synthetic\", \"version\": \"1\"}, \"layout\": {\"expression\": [\"jaw_open\"]}}",
            "{\"t\": 0, \"controls\": {\"identity\": {\"seed\": 4, \"blend\": 0}, \"expression\": [0.0], \"quality\": \"preview\"}}",
            "{\"t\": 0.5, \"controls\": {\"identity\": {\"seed\": 4, \"blend\": 0}, \"expression\": [0.8]}}",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: trajectory, atomically: true, encoding: .utf8)
        let video = try CLIRunner.run(["video", "synthetic", "--compare", "--trajectory", trajectory, "-o", work + "/frames", "--fps", "2"])
        #expect(video.status == 0, "\(video.stderr)")
        let frames = try FileManager.default.contentsOfDirectory(atPath: work + "/frames").filter { $0.hasSuffix(".png") }.sorted()
        #expect(frames.count == 2)
        for frame in frames { #expect(try Self.png(work + "/frames/" + frame).width == 512) }

        // The official layout (64 numbered expressions): refused with the reason.
        let tiny = CLIRunner.reference + "/ref-tiny"
        let bundle = work + "/tiny.portrait"
        let imported = try CLIRunner.run(["import", "--checkpoint", tiny + "/generator.pt", "--knn-index", tiny + "/valid_smpl_knn_index.npy",
                                          "--smpl", tiny + "/body/SMPL_NEUTRAL.pkl.gz", "--means", tiny, "-o", bundle])
        #expect(imported.status == 0, "\(imported.stderr)")
        let refused = try CLIRunner.run(["render", bundle, "--compare", "--seed", "1", "-o", work + "/r.png"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: --compare is unavailable:") && refused.stderr.contains("numbered expressions"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/r.png"))
    }

    @Test func benchSynthetic() throws {
        let bench = try CLIRunner.run(["bench", "synthetic", "--runs", "1"])
        #expect(bench.status == 0, "\(bench.stderr)")
        for text in ["portrait bench synthetic (renderer 1)", "frame preview (128² px)", "frame full (256² px)", "target ms"] {
            #expect(bench.stdout.contains(text), "\(text)\n\(bench.stdout)")
        }
    }
}
