import Foundation

/// Raw writes to the terminal, bypassing ncurses (the preview pane).
public enum TerminalOutput {
    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); false on error.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// One pane update: synchronized output on, cursor save, move to (row, column) (0-based), `body`,
    /// attributes reset, cursor restore, synchronized output off.
    public static func paneUpdate(row: Int, column: Int, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 40)
        out += Array("\u{1b}[?2026h\u{1b}7\u{1b}[\(row + 1);\(column + 1)H".utf8)
        out += body
        out += Array("\u{1b}[0m\u{1b}8\u{1b}[?2026l".utf8)
        return out
    }
}
