import Foundation
import Testing

/// `portrait eval` on the command line: a tiny corpus, a briefly trained landmark network, one table.
@Suite struct EvalCLITests {
    @Test func printsOneColumnPerModelAndWritesTheLandmarkNetwork() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/corpus", network = work + "/landmarks.safetensors"
        try CLIRunner.synthesise(corpus, ["--count", "44", "--size", "128", "--seed", "2"])
        let arguments = ["eval", "synthetic", "--data", corpus, "--landmarks", network, "--samples", "3",
                         "--held-out", "8", "--landmark-steps", "4"]
        let first = try CLIRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("training the landmark network on 36 corpus faces"), "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: network))
        let rows = first.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 7, "\(first.stdout)")
        #expect(rows.first?.contains("synthetic") == true && rows.first?.contains("corpus") == true, "\(first.stdout)")
        #expect(rows.contains { $0.contains("Fréchet") && $0.contains("not FID") }, "\(first.stdout)")
        // Every figure of the model column is a number.
        for row in rows.dropFirst() {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(Double(cells[1]) != nil, "\(row)")
        }
        // The second run reads the network instead of training it.
        let second = try CLIRunner.run(arguments)
        #expect(second.status == 0 && !second.stderr.contains("training the landmark network"), "\(second.stderr)")

        let missing = try CLIRunner.run(["eval", "synthetic", "--data", work + "/nothing"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: ") && missing.stderr.contains(work + "/nothing"), "\(missing.stderr)")
    }
}
