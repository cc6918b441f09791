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
        try tmux(["new-session", "-d", "-s", target, "-x", "\(columns)", "-y", "\(rows)", command])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }

    /// The visible text of the window.
    func capture() -> String { (try? tmux(["capture-pane", "-p", "-t", target])) ?? "" }

    /// Sends tmux key names (`l`, `Up`, `C-c`, …).
    func send(_ keys: [String]) throws { try tmux(["send-keys", "-t", target] + keys) }

    /// Whether the command still runs.
    var isRunning: Bool { (try? tmux(["has-session", "-t", target])) != nil }

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
