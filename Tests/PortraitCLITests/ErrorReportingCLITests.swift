import Foundation
import Testing

/// Bad input on the command line: one line `error: …` and exit 1; usage errors exit 2.
@Suite struct ErrorReportingCLITests {
    @Test func missingModelIsOneErrorLine() throws {
        let r = try CLIRunner.run(["render", "/nonexistent/m.portrait", "--seed", "1", "-o", "/tmp/x.png"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("/nonexistent/m.portrait"))
    }

    @Test func usageErrorsExitTwo() throws {
        let r = try CLIRunner.run(["render", "some-model", "-o", "/tmp/x.png"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--seed or --controls"))
    }

    @Test func helpSucceeds() throws {
        let r = try CLIRunner.run(["--help"])
        #expect(r.status == 0 && r.stdout.contains("render"))
    }
}
