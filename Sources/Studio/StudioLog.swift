import Foundation
import StudioCore

/// Appends timestamped lines to the studio log; failures to write are ignored (the log is a convenience).
final class StudioLog {
    private let handle: FileHandle?

    init(path: String?) {
        guard let path else { handle = nil; return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    func write(_ level: MessageLevel, _ text: String) {
        guard let handle else { return }
        let line = "\(Timestamp.iso8601(Date(), milliseconds: true)) \(level.rawValue) \(text)\n"
        try? handle.write(contentsOf: Data(line.utf8))
    }

    deinit { try? handle?.close() }
}
