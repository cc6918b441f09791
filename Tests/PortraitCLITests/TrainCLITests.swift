import Foundation
import ModelIO
import Testing

/// `portrait train` on the command line: a short supervised run on a tiny corpus with finite losses, resume,
/// refusal of other settings, export to a bundle that renders, and a broken corpus named by file and line.
@Suite struct TrainCLITests {
    @Test func shortRunResumesRefusesOtherSettingsAndExports() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus", run = work + "/run"
        try CLIRunner.synthesise(corpus, ["--count", "16", "--size", "64"])
        let arguments = ["train", "--data", corpus, "-o", run, "--objective", "supervised", "--batch", "1", "--picture-every", "0"]
        let first = try CLIRunner.run(arguments + ["--max-steps", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("new run"), "\(first.stdout)")
        let second = try CLIRunner.run(arguments + ["--max-steps", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resuming at step 1"), "\(second.stdout)")

        // metrics.csv: a header and one row per step, every loss finite.
        let rows = try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3, "\(rows)")
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.starts(with: ["step", "wall_seconds", "cpu_seconds", "loss", "image_l2"]), "\(header)")
        for row in rows.dropFirst() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == header.count)
            guard cells.count > 4, let loss = Double(cells[3]), let image = Double(cells[4]) else {
                Issue.record("unreadable row \(row)")
                continue
            }
            #expect(loss.isFinite && loss > 0 && image.isFinite && image > 0, "\(row)")
        }
        for file in ["run.json", "checkpoint.safetensors", "checkpoint.json", "loss_curves.png"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file)")
        }

        // Another batch size on the same run directory: one clear line, exit 1, nothing changed.
        let refused = try CLIRunner.run(arguments.map { $0 == "1" ? "2" : $0 } + ["--max-steps", "3"])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("started with batch = 1; it cannot resume with batch = 2"), "\(refused.stderr)")

        // Export: a bundle with the run's provenance that `render` accepts.
        let model = work + "/model.portrait"
        let exported = try CLIRunner.run(["train", "--export", run, "-o", model])
        #expect(exported.status == 0, "\(exported.stderr)")
        let bundle = try PortraitBundle(path: model)
        #expect(bundle.metadata.provenance.source == "trained")
        #expect(bundle.metadata.provenance.training?.steps == 2)
        #expect(bundle.metadata.provenance.training?.stages == ["stage1:supervised(depth_l2+face_l2+image_l2)"])
        #expect(bundle.metadata.provenance.corpus?.count == 16)
        let rendered = try CLIRunner.run(["render", model, "--seed", "1", "--quality", "preview", "-o", work + "/frame.png"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try PNGCodec.read(path: work + "/frame.png").width > 0)
    }

    /// Adversarial steps (all four phases, the landmark and imitation terms included) from a supervised run:
    /// finite losses, the supervised stage carried into the history, the landmark network trained once and
    /// kept in the run, and a resumed run bitwise equal to a straight one.
    @Test func adversarialStepsFromASupervisedRunResumeBitwise() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus"
        try CLIRunner.synthesise(corpus, ["--count", "4", "--size", "64", "--face-size", "64"])
        let warm = try CLIRunner.run(["train", "--data", corpus, "-o", work + "/warm", "--objective", "supervised", "--batch", "1",
                                      "--max-steps", "1", "--picture-every", "0"])
        #expect(warm.status == 0, "\(warm.stderr)")
        let landmarks = work + "/landmarks.safetensors"
        func gan(_ run: String, steps: Int) throws -> CLIRunner.Result {
            try CLIRunner.run(["train", "--data", corpus, "-o", work + "/" + run, "--objective", "gan", "--from", work + "/warm",
                               "--batch", "1", "--max-steps", "\(steps)", "--picture-every", "0",
                               "--landmarks", landmarks, "--landmark-steps", "5"])
        }
        let straight = try gan("straight", steps: 2)
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stderr.contains("training the landmark network on 4 corpus faces (5 steps)"), "\(straight.stderr)")
        let first = try gan("split", steps: 1)
        #expect(first.status == 0 && !first.stderr.contains("training the landmark network"), "\(first.stderr)")
        let resumed = try gan("split", steps: 2)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming at step 1"), "\(resumed.stdout)")

        let rows = try String(contentsOfFile: work + "/straight/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3, "\(rows)")
        guard rows.count == 3 else { return }
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let cells = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for name in ["d_whole", "d_face", "d_torso", "r1_whole", "g_adv_whole", "g_adv_face", "landmark", "g_loss", "pose_smooth",
                     "exp_min", "imitation", "g_reg"] {
            guard let i = header.firstIndex(of: name), i < cells.count, let value = Double(cells[i]) else {
                Issue.record("no value for \(name) in \(rows)")
                continue
            }
            #expect(value.isFinite && value >= 0, "\(name) = \(value)")
            if name == "landmark" || name == "imitation" { #expect(value > 0, "\(name) = \(value)") }
        }
        let settings = try String(contentsOfFile: work + "/straight/run.json", encoding: .utf8)
        #expect(settings.contains("stage1:supervised(depth_l2+face_l2+image_l2)"), "\(settings)")
        #expect(settings.contains("trained on 4 corpus faces, 5 steps"), "\(settings)")
        #expect(try String(contentsOfFile: work + "/split/run.json", encoding: .utf8).contains("read from \(landmarks)"))
        let network = try SafetensorsFile(path: landmarks)
        for run in ["straight", "split"] {
            let copy = try SafetensorsFile(path: work + "/\(run)/landmarks.safetensors")
            #expect(copy.tensors == network.tensors && copy.dataSection == network.dataSection && copy.metadata == network.metadata)
        }

        // Every tensor of the state (generator, moving average, discriminators, optimiser moments) bit for bit.
        let a = try SafetensorsFile(path: work + "/straight/checkpoint.safetensors")
        let b = try SafetensorsFile(path: work + "/split/checkpoint.safetensors")
        #expect(a.tensors.map(\.name) == b.tensors.map(\.name) && !a.tensors.isEmpty)
        #expect(a.dataSection == b.dataSection)
    }

    /// A `--landmarks` file that is not a landmark network, or a corpus whose face crops are too small to train
    /// one: one line naming the file, a non-zero exit, no run directory.
    @Test func aBrokenLandmarkNetworkFileIsNamed() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus", landmarks = work + "/landmarks.safetensors"
        try CLIRunner.synthesise(corpus, ["--count", "2", "--size", "64", "--face-size", "64"])
        for content in [Data("not a safetensors file at all".utf8), Data([8, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":1}  ".utf8))] {
            try content.write(to: URL(fileURLWithPath: landmarks))
            let r = try CLIRunner.run(["train", "--data", corpus, "-o", work + "/run", "--landmarks", landmarks, "--max-steps", "1"])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("error: \(landmarks): ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!r.stderr.contains("\(landmarks): \(landmarks)"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: work + "/run"))
        }
        // Face crops too small for the landmark network: the corpus named, the remedy given.
        let small = work + "/small"
        try CLIRunner.synthesise(small, ["--count", "2", "--size", "64"])
        let r = try CLIRunner.run(["train", "--data", small, "-o", work + "/run", "--max-steps", "1"])
        #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(small): face crops of 32² are smaller") && r.stderr.contains("--face-size 64"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/run"))
    }

    @Test func aBrokenLabelLineIsNamedByFileAndLine() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus"
        try CLIRunner.synthesise(corpus, ["--count", "4", "--size", "32"])
        let labels = corpus + "/labels.jsonl"
        var lines = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = String(lines[2].prefix(30))
        try (lines.joined(separator: "\n") + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["train", "--data", corpus, "-o", work + "/run", "--objective", "supervised", "--max-steps", "1"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("labels.jsonl:3"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/run/run.json"))
    }
}
