import Foundation
import PortraitTestSupport

/// Runs the built `portrait` executable (built beside the test bundle by `swift test`).
enum CLIRunner {
    typealias Result = PortraitProcess.Result

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try PortraitProcess.run(arguments, environment: environment)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String { try PortraitProcess.temporaryDirectory(prefix: "portrait-cli") }

    /// `../shared/reference` beside the package, or `$PORTRAIT_REFERENCE`.
    static var reference: String { PortraitProcess.reference }
}
