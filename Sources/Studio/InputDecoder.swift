import CNCurses
import StudioCore

/// ncurses key codes and mouse states to the state machine's keys and mouse events.
enum InputDecoder {
    /// A character from `get_wch` (`OK`).
    static func character(_ code: UInt32) -> InputEvent {
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26:
            guard let scalar = Unicode.Scalar(code + 96) else { return .ignored }
            return .key(.control(Character(scalar)))
        default:
            guard let scalar = Unicode.Scalar(code), code >= 32 else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    /// A function key from `get_wch` (`KEY_CODE_YES`).
    static func functionKey(_ code: Int32) -> InputEvent {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_RESIZE: return .resize
        default: return .ignored
        }
    }

    /// A mouse report: button 1 press, motion with a button down (drag), release; wheel.
    static func mouse(bstate: mmask_t, column: Int, row: Int) -> InputEvent {
        if bstate & portrait_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, column: column, row: row)) }
        if bstate & portrait_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, column: column, row: row)) }
        if bstate & portrait_button1_pressed() != 0 { return .mouse(MouseEvent(.press, column: column, row: row)) }
        if bstate & portrait_button1_released() != 0 { return .mouse(MouseEvent(.release, column: column, row: row)) }
        if bstate & portrait_button1_clicked() != 0 { return .mouse(MouseEvent(.press, column: column, row: row)) }
        if bstate & portrait_report_mouse_position() != 0 { return .mouse(MouseEvent(.drag, column: column, row: row)) }
        return .ignored
    }
}
