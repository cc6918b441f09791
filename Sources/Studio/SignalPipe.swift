import Foundation

/// The write end of the signal self-pipe, read by the async-signal-safe handler (set once before the
/// handlers are installed, never changed while they are).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// SIGINT, SIGTERM, SIGHUP, SIGTSTP and SIGCONT delivered as bytes (the signal number) on a pipe the UI
/// thread polls (DESIGN.md §5).
public final class SignalPipe: Sendable {
    public let pipe: WakePipe
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT]

    /// Creates the pipe and installs the handlers (one instance per process).
    public init() throws {
        pipe = try WakePipe()
        signalPipeWriteEnd = pipe.writeEnd
        for signalNumber in Self.handled { Self.install(signalNumber) }
        // A parent may have started us with these blocked (the mask is inherited): unblock them, and
        // SIGWINCH for ncurses.
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in Self.handled + [SIGWINCH] { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func install(_ signalNumber: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            let saved = errno
            _ = write(signalPipeWriteEnd, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signalNumber, &action, nil)
    }

    /// Restores the default action of `signalNumber`.
    public static func reset(_ signalNumber: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signalNumber, &action, nil)
    }

    /// Stops the process the default way (SIGTSTP with its default action), handling it again afterwards.
    public static func suspendSelf() {
        reset(SIGTSTP)
        raise(SIGTSTP)
        install(SIGTSTP)
    }

    /// Signal numbers received since the last call.
    public func take() -> [Int32] { pipe.drain().map { Int32($0) } }

    /// Exit status for a terminating signal: 128 + number (130, 143, 129).
    public static func exitStatus(_ signalNumber: Int32) -> Int32 { 128 + signalNumber }
}
