import Foundation

/// A one-line progress bar with the remaining time on stderr (redrawn in place on a terminal).
struct ProgressBar {
    let total: Int
    private(set) var done = 0
    private let start = Date()
    private let interactive = isatty(STDERR_FILENO) != 0

    init(total: Int) { self.total = total }

    mutating func advance() { update(done: done + 1) }

    /// Shows `done` of `total` finished.
    mutating func update(done: Int) {
        self.done = done
        let elapsed = Date().timeIntervalSince(start)
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 30
        let filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "[\(bar)] \(done)/\(total)  \(Self.clock(elapsed)) elapsed, ETA \(Self.clock(remaining))"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if done == total || done % max(1, total / 20) == 0 {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
