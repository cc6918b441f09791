import Foundation
import Testing

/// `portrait import` and `portrait info` on the command line: results, one-line errors, no partial bundles.
@Suite struct ImportInfoCLITests {
    static func importArguments(_ reference: String, output: String, means: Bool = true) -> [String] {
        ["import", "--checkpoint", reference + "/ref-tiny/generator.pt", "--knn-index", reference + "/ref-tiny/valid_smpl_knn_index.npy",
         "--smpl", reference + "/ref-tiny/body/SMPL_NEUTRAL.pkl.gz"] + (means ? ["--means", reference + "/ref-tiny"] : []) + ["-o", output]
    }

    @Test func importComputesMissingMeansAndInfoReports() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = work + "/m.portrait"
        let imported = try CLIRunner.run(Self.importArguments(CLIRunner.reference, output: model, means: false))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("truncation means from computed"))
        let info = try CLIRunner.run(["info", model, "--verify"])
        #expect(info.status == 0, "\(info.stderr)")
        for line in ["format        portrait-bundle/1, name 'generator'", "samplers      id_shape absent, expression absent, camera_pose_joint absent",
                     "truncation    computed (10000 samples)", "provenance    official-checkpoint", "unknown       none", "verify        ok"] {
            #expect(info.stdout.contains(line), "\(line)\n\(info.stdout)")
        }
    }

    @Test func badInputsGiveOneErrorLineAndNoBundle() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let reference = CLIRunner.reference
        let model = work + "/m.portrait"
        var arguments = Self.importArguments(reference, output: model)
        arguments[4] = work + "/missing.npy"
        let cases: [([String], String)] = [
            (arguments, work + "/missing.npy"),
            (Self.importArguments(reference, output: model).map { $0 == reference + "/ref-tiny/body/SMPL_NEUTRAL.pkl.gz" ? reference + "/ref-tiny/config.json" : $0 },
             "config.json"),
            (["import", work], work + "/ckpts"),
            (["info", work + "/nothing.portrait"], "nothing.portrait"),
            (["info", reference + "/ref-tiny/generator.safetensors"], "no 'portrait' metadata"),
        ]
        for (arguments, mention) in cases {
            let r = try CLIRunner.run(arguments)
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(mention), "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
        let usage = try CLIRunner.run(["import", "--checkpoint", "x.pt"])
        #expect(usage.status == 2, "\(usage.stderr)")
    }
}
