import CNCurses
import Foundation
import StudioCore

/// What the terminal answered before ncurses took it: sixel support and the cell size in pixels.
public struct TerminalReplies: Sendable, Equatable {
    /// DA1 (`CSI ? … c`) attributes, empty when the terminal did not answer.
    public var deviceAttributes: [Int] = []
    /// Whether a DA1 reply arrived.
    public var answeredDeviceAttributes = false
    /// `CSI 6 ; height ; width t` (reply to `CSI 16 t`): one cell in pixels.
    public var cellPixels: (width: Int, height: Int)?
    /// `CSI 4 ; height ; width t` (reply to `CSI 14 t`): the text area in pixels.
    public var textAreaPixels: (width: Int, height: Int)?

    public init() {}

    /// DA1 attribute 4 means sixel graphics.
    public var supportsSixel: Bool { deviceAttributes.contains(4) }

    public static func == (a: TerminalReplies, b: TerminalReplies) -> Bool {
        a.deviceAttributes == b.deviceAttributes && a.answeredDeviceAttributes == b.answeredDeviceAttributes
            && a.cellPixels?.width == b.cellPixels?.width && a.cellPixels?.height == b.cellPixels?.height
            && a.textAreaPixels?.width == b.textAreaPixels?.width && a.textAreaPixels?.height == b.textAreaPixels?.height
    }

    /// Parses the replies in `bytes` (any order, other bytes ignored).
    public static func parse(_ bytes: [UInt8]) -> TerminalReplies {
        var replies = TerminalReplies()
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1b, bytes[i + 1] == UInt8(ascii: "[") else { i += 1; continue }
            var j = i + 2
            let isPrivate = j < bytes.count && bytes[j] == UInt8(ascii: "?")
            if isPrivate { j += 1 }
            var parameters: [Int] = []
            var current: Int?
            while j < bytes.count, (0x30...0x3f).contains(bytes[j]) {
                if bytes[j] == UInt8(ascii: ";") {
                    parameters.append(current ?? 0); current = nil
                } else if (0x30...0x39).contains(bytes[j]) {
                    current = min((current ?? 0) * 10 + Int(bytes[j] - 0x30), 1_000_000)
                }
                j += 1
            }
            if let current { parameters.append(current) }
            guard j < bytes.count else { break }
            let final = bytes[j]
            if isPrivate, final == UInt8(ascii: "c") {
                replies.answeredDeviceAttributes = true
                replies.deviceAttributes = Array(parameters.dropFirst())
            } else if !isPrivate, final == UInt8(ascii: "t"), parameters.count == 3, parameters[1] > 0, parameters[2] > 0 {
                if parameters[0] == 6 { replies.cellPixels = (parameters[2], parameters[1]) }
                if parameters[0] == 4 { replies.textAreaPixels = (parameters[2], parameters[1]) }
            }
            i = j + 1
        }
        return replies
    }
}

/// The terminal's size in cells and the cell size in pixels (StudioCore's `TerminalSize`).
public enum TerminalGeometry {
    /// Cell size by DESIGN.md §5: TIOCGWINSZ pixels when non-zero, else the `CSI 16 t` reply, else the
    /// `CSI 14 t` reply over rows and columns, else 8x16.
    public static func resolve(rows: Int, columns: Int, windowPixels: (width: Int, height: Int),
                               replies: TerminalReplies) -> TerminalSize {
        if windowPixels.width > 0, windowPixels.height > 0, rows > 0, columns > 0 {
            return TerminalSize(columns: columns, rows: rows, cellWidth: max(1, windowPixels.width / columns),
                                cellHeight: max(1, windowPixels.height / rows))
        }
        if let cell = replies.cellPixels {
            return TerminalSize(columns: columns, rows: rows, cellWidth: cell.width, cellHeight: cell.height)
        }
        if let area = replies.textAreaPixels, rows > 0, columns > 0, area.width >= columns, area.height >= rows {
            return TerminalSize(columns: columns, rows: rows, cellWidth: area.width / columns, cellHeight: area.height / rows)
        }
        return TerminalSize(columns: columns, rows: rows, cellWidth: 8, cellHeight: 16)
    }

    /// The size of the terminal on `fd` now (cells and TIOCGWINSZ pixels), cell pixels resolved with `replies`.
    public static func current(fd: Int32, replies: TerminalReplies) -> TerminalSize? {
        var rows: Int32 = 0, columns: Int32 = 0, width: Int32 = 0, height: Int32 = 0
        guard portrait_window_size(fd, &rows, &columns, &width, &height) == 0 else { return nil }
        return resolve(rows: Int(rows), columns: Int(columns), windowPixels: (Int(width), Int(height)), replies: replies)
    }
}

/// The probe before ncurses (DESIGN.md §5): raw mode, one write of `CSI 16 t`, `CSI 14 t` and DA1 `CSI c`
/// (last: every terminal answers DA1, so its reply ends the probe), read until the DA1 reply or the timeout.
public enum TerminalProbe {
    /// The query written to the terminal.
    public static let query: [UInt8] = Array("\u{1b}[16t\u{1b}[14t\u{1b}[c".utf8)

    /// Probes the terminal on `input`/`output` (both ttys); returns what it answered within `timeoutMs`.
    public static func probe(input: Int32 = 0, output: Int32 = 1, timeoutMs: Int) -> TerminalReplies {
        guard isatty(input) == 1, isatty(output) == 1 else { return TerminalReplies() }
        var saved = termios()
        guard portrait_raw_mode(input, &saved) == 0 else { return TerminalReplies() }
        defer { _ = portrait_restore_mode(input, &saved) }
        guard TerminalOutput.writeAll(output, query) else { return TerminalReplies() }
        var received: [UInt8] = []
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeoutMs)) * 1_000_000
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32((deadline - now) / 1_000_000) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { break }
            let count = read(input, &buffer, buffer.count)
            guard count > 0 else { break }
            received.append(contentsOf: buffer[0..<count])
            if TerminalReplies.parse(received).answeredDeviceAttributes { break }
        }
        return TerminalReplies.parse(received)
    }
}
