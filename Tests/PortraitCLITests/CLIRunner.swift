import Foundation
import PortraitTestSupport
import Testing

/// Runs the built `portrait` executable (built beside the test bundle by `swift test`).
enum CLIRunner {
    typealias Result = PortraitProcess.Result

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try PortraitProcess.run(arguments, environment: environment)
    }

    /// Makes a corpus at `path` with `portrait synth -o path` and `arguments`; a failure is recorded as an issue
    /// of the calling test.
    static func synthesise(_ path: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let made = try run(["synth", "-o", path] + arguments)
        #expect(made.status == 0, "\(made.stderr)", sourceLocation: sourceLocation)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String { try PortraitProcess.temporaryDirectory(prefix: "portrait-cli") }

    /// `../shared/reference` beside the package, or `$PORTRAIT_REFERENCE`.
    static var reference: String { PortraitProcess.reference }
}
