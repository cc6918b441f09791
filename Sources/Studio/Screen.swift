import CNCurses
import Foundation
import StudioCore

/// The ncurses (wide-character) screen: title, panel and status as styled lines; the preview pane is left
/// blank (ncurses never writes there) and drawn separately by `PreviewPainter`.
final class Screen {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let screen: OpaquePointer
    private var palette: ColourPalette
    /// Whether the locale is UTF-8 (box and block characters), else ASCII.
    let unicode: Bool
    private var mouseOn = false

    /// Takes the terminal (the probe must have run before).
    init(mouse: Bool) throws {
        setlocale(LC_ALL, "")
        unicode = portrait_locale_is_utf8() != 0
        guard let screen = portrait_newterm() else {
            throw Failure(description: "ncurses cannot drive this terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        self.screen = screen
        _ = set_term(screen)
        cbreak()
        noecho()
        nonl()
        intrflush(portrait_stdscr(), false)
        keypad(portrait_stdscr(), true)
        nodelay(portrait_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        palette = ColourPalette(colours: Int(portrait_colors()), pairs: Int(portrait_color_pairs()))
        if mouse {
            mousemask(portrait_all_mouse_events(), nil)
            mouseinterval(0)
            mouseOn = true
        }
        leaveok(portrait_stdscr(), true)
    }

    /// Binds theme styles to colour pairs.
    func apply(theme: Theme) {
        palette.bind(theme)
    }

    /// The terminal size ncurses currently knows, in cells.
    var cells: (columns: Int, rows: Int) { (Int(portrait_getmaxx(portrait_stdscr())), Int(portrait_getmaxy(portrait_stdscr()))) }

    /// Draws `content`; returns nothing; the caller `refresh()`es. `clearFirst` wipes everything (full repaint).
    func draw(_ content: ScreenContent, clearFirst: Bool) {
        if clearFirst { clearok(portrait_stdscr(), true) }
        erase()
        let layout = content.layout
        if let tooSmall = content.tooSmall {
            put(tooSmall, row: 0, column: 0, width: cells.columns, background: .background)
            return
        }
        put(content.title, row: layout.title.row, column: layout.title.column, width: layout.title.width, background: .background)
        for (i, line) in content.panel.enumerated() where i < layout.panel.height {
            put(line, row: layout.panel.row + i, column: layout.panel.column, width: layout.panel.width, background: .background)
        }
        put(content.status, row: layout.status.row, column: layout.status.column, width: layout.status.width,
            background: .statusBackground)
    }

    /// Pushes the changes to the terminal.
    func refresh() {
        wnoutrefresh(portrait_stdscr())
        doupdate()
    }

    private func put(_ line: StyledLine, row: Int, column: Int, width: Int, background: ThemeKey) {
        var x = column
        let end = column + width
        for span in line.spans where x < end {
            let text = String(span.text.prefix(end - x))
            attrset(Int32(truncatingIfNeeded: palette.attributes(span.style, background: background)))
            mvaddstr(Int32(row), Int32(x), text)
            x += text.count
        }
        attrset(Int32(truncatingIfNeeded: palette.attributes(.text, background: background)))
        if x < end { mvaddstr(Int32(row), Int32(x), String(repeating: " ", count: end - x)) }
    }

    /// Reads one key or mouse event without waiting; nil when none is pending.
    func readInput() -> InputEvent? {
        var character: wint_t = 0
        let status = get_wch(&character)
        if status == ERR { return nil }
        if status == portrait_key_code_yes() {
            let code = Int32(character)
            if code == KEY_MOUSE {
                var event = MEVENT()
                guard getmouse(&event) == OK else { return .ignored }
                return InputDecoder.mouse(bstate: event.bstate, column: Int(event.x), row: Int(event.y))
            }
            return InputDecoder.functionKey(code)
        }
        return InputDecoder.character(UInt32(character))
    }

    /// Leaves curses mode for a suspend (SIGTSTP); `resume` takes the terminal back.
    func suspend() {
        endwin()
        TerminalOutput.writeAll(1, Array(Self.resetSequence.utf8))
    }

    func resume() {
        refresh()
    }

    /// Mouse reporting and synchronized output off (sent after `endwin`).
    static let resetSequence = "\u{1b}[?1003l\u{1b}[?1002l\u{1b}[?1000l\u{1b}[?1006l\u{1b}[?2026l\u{1b}[0m"

    /// Restores the terminal for good.
    func close() {
        if mouseOn { mousemask(0, nil) }
        endwin()
        TerminalOutput.writeAll(1, Array(Self.resetSequence.utf8))
        delscreen(screen)
    }
}

/// What the screen reads.
enum InputEvent: Equatable {
    case key(StudioKey)
    case mouse(MouseEvent)
    case resize
    case ignored
}
