import Foundation

/// A detached tmux server of its own (`-L` socket, no configuration) running one command in a window of a
/// given size, for end-to-end tests of the studio.
final class TmuxSession {
    let socket: String
    let target = "studio"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(command: String, columns: Int = 120, rows: Int = 40) throws {
        socket = "portrait-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // The server this starts keeps the client's output open: nothing is read from it.
        try tmux(["new-session", "-d", "-s", target, "-x", "\(columns)", "-y", "\(rows)", command], captureOutput: false)
    }

    /// Runs tmux on this server and returns its output (stdout and stderr). Spawned with `posix_spawn` and
    /// reaped with `waitpid`, its output going to a file: the server a client starts keeps inherited pipes
    /// open, and Foundation's `Process` did not always see tmux clients exit under the test runner.
    @discardableResult
    func tmux(_ arguments: [String], captureOutput: Bool = true) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, captureOutput ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = captureOutput ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")): status \(status): \(text)")
        }
        return text
    }

    /// The visible text of the window.
    func capture() -> String { (try? tmux(["capture-pane", "-p", "-t", target])) ?? "" }

    /// Sends tmux key names (`l`, `Up`, `C-c`, …).
    func send(_ keys: [String]) throws { try tmux(["send-keys", "-t", target] + keys) }

    /// Process id of the command in the window.
    func panePID() throws -> Int32 {
        guard let pid = Int32(try tmux(["display-message", "-p", "-t", target, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)) else { throw Failure(description: "no pane pid") }
        return pid
    }

    /// Polls `condition` every 5 ms until it holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    func kill() { _ = try? tmux(["kill-server"]) }

    deinit { kill() }
}

/// Resident memory of a process in KiB (`VmRSS` of /proc), nil when it is gone.
func residentKilobytes(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}
