import Foundation
import Synchronization

/// The process-wide "stop soon" flag of a training run: the SIGINT/SIGTERM handler only sets it; the loop
/// checks it between steps, writes its checkpoint and returns.
public enum StopRequest {
    private static let flag = Atomic<Bool>(false)

    /// Whether a stop was requested.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Asks the loop to stop after the current step.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Installs handlers for SIGINT and SIGTERM that set the flag (a second SIGINT while stopping takes the
    /// default action and ends the process).
    public static func installSignalHandlers() {
        signal(SIGINT) { _ in
            if StopRequest.isRequested { signal(SIGINT, SIG_DFL) }
            StopRequest.request()
        }
        signal(SIGTERM) { _ in StopRequest.request() }
    }
}
