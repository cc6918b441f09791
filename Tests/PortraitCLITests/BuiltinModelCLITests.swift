import Foundation
import Testing

/// The built-in model on the command line: `portrait render` without a MODEL (builtin or synthetic, see
/// SyntheticModelCLITests), `info builtin`, `make-builtin`.
@Suite struct BuiltinModelCLITests {
    @Test func renderWithoutAModelAndInfoBuiltin() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let png = work + "/a.png"
        let render = try CLIRunner.run(["render", "--seed", "4", "--exp", "smile_left=0.5", "--quality", "preview", "-o", png])
        #expect(render.status == 0, "\(render.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let info = try CLIRunner.run(["info", "builtin", "--verify"])
        #expect(info.status == 0, "\(info.stderr)")
        for line in ["name 'builtin-untrained'", "provenance    builtin-untrained", "verify        ok", "builtin, "] {
            #expect(info.stdout.contains(line), "\(line)\n\(info.stdout)")
        }
    }

    @Test func makeBuiltinRebuildsTheShippedBundle() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let made = try CLIRunner.run(["make-builtin", "-o", work + "/b.portrait"])
        #expect(made.status == 0, "\(made.stderr)")
        let shipped = try CLIRunner.run(["info", "builtin"]), rebuilt = try CLIRunner.run(["info", work + "/b.portrait"])
        // Same configuration, sizes and provenance (the data hash may differ in the last bits of the
        // computed truncation means on another CPU; SynthTests compares the tensors).
        func lines(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("model") && !$0.hasPrefix("data_sha256") } }
        #expect(lines(shipped.stdout) == lines(rebuilt.stdout))
    }
}
