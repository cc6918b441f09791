import Foundation
import Testing

/// `portrait synth` on the command line: a small corpus that checks, and one-line errors for bad requests.
@Suite struct SynthCLITests {
    @Test func makesAndChecksACorpusAndRefusesBadRequests() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus"
        let made = try CLIRunner.run(["synth", "-o", corpus, "--count", "3", "--size", "64", "--seed", "4"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("3 portraits at 64 px with 32 px faces"), "\(made.stdout)")
        let checked = try CLIRunner.run(["synth", "--check", corpus])
        #expect(checked.status == 0 && checked.stdout.contains("3 portraits"), "\(checked.stdout) \(checked.stderr)")

        func expectError(_ arguments: [String], status: Int32, mentions: String) throws {
            let r = try CLIRunner.run(arguments)
            #expect(r.status == status, "\(arguments): \(r.stderr)")
            if status == 1 { #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
            #expect(r.stderr.contains(mentions), "\(arguments): \(r.stderr)")
        }
        try expectError(["synth", "-o", corpus, "--count", "2"], status: 1, mentions: "not empty")
        try expectError(["synth", "-o", "/proc/portrait-corpus", "--count", "2"], status: 1, mentions: "/proc/portrait-corpus")
        try expectError(["synth", "-o", work + "/x", "--size", "4"], status: 2, mentions: "--size")
        try expectError(["synth", "-o", work + "/x", "--count", "0"], status: 2, mentions: "--count")
        #expect(!FileManager.default.fileExists(atPath: work + "/x"))

        let labels = corpus + "/labels.jsonl"
        var lines = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = String(lines[1].prefix(20))
        try (lines.joined(separator: "\n") + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        try expectError(["synth", "--check", corpus], status: 1, mentions: "labels.jsonl:2")
    }
}
