/// A rectangle of terminal cells.
public struct CellRect: Hashable, Sendable {
    public var column: Int
    public var row: Int
    public var width: Int
    public var height: Int
    public init(column: Int, row: Int, width: Int, height: Int) {
        self.column = column; self.row = row; self.width = width; self.height = height
    }
    /// Whether the cell (column, row) lies inside.
    public func contains(column c: Int, row r: Int) -> Bool {
        c >= column && c < column + width && r >= row && r < row + height
    }
}

/// Where everything goes on the screen (DESIGN.md §5 "Layout").
///
/// Row 0 is the title, the last row the status line. Between them the preview pane (left, square in
/// pixels, leaving the panel at least 36 columns; on top when it would be under 24 columns wide) and the
/// panel. Below 60x16 nothing but `tooSmallMessage` shows.
public struct Layout: Hashable, Sendable {
    /// Smallest usable terminal.
    public static let minimumColumns = 60
    public static let minimumRows = 16
    /// The panel keeps at least this many columns beside the pane.
    public static let minimumPanelColumns = 36
    /// Narrower than this, the pane moves on top of the panel.
    public static let minimumSidePaneColumns = 24
    /// From this panel width on, Expression shows three columns and the joints a 6 x 3 grid.
    public static let widePanelColumns = 64

    public var size: TerminalSize
    /// Set when the terminal is below 60x16: only this message is shown.
    public var tooSmallMessage: String?
    public var title: CellRect
    /// The image area; ncurses never writes here.
    public var preview: CellRect
    public var panel: CellRect
    public var status: CellRect
    /// Whether the pane is above the panel (narrow terminals).
    public var previewOnTop: Bool

    public var isTooSmall: Bool { tooSmallMessage != nil }
    /// Whether the panel uses the wide form (three expression columns, joint grid).
    public var isWide: Bool { panel.width >= Layout.widePanelColumns }

    /// The preview's size in pixels (for the sixel encoder), square.
    public var previewPixels: (width: Int, height: Int) {
        (preview.width * size.cellWidth, preview.height * size.cellHeight)
    }

    /// Lays out a terminal of `size`. With `sideBySide` the pane is twice as wide as high (two square
    /// pictures next to each other), else square.
    public static func compute(_ size: TerminalSize, sideBySide: Bool = false) -> Layout {
        let aspect = sideBySide ? 2 : 1
        let columns = max(0, size.columns), rows = max(0, size.rows)
        let cellWidth = max(1, size.cellWidth), cellHeight = max(1, size.cellHeight)
        if columns < minimumColumns || rows < minimumRows {
            let empty = CellRect(column: 0, row: 0, width: 0, height: 0)
            return Layout(size: size, tooSmallMessage: "terminal too small: \(columns)x\(rows) (need \(minimumColumns)x\(minimumRows))",
                          title: CellRect(column: 0, row: 0, width: columns, height: min(rows, 1)),
                          preview: empty, panel: empty, status: empty, previewOnTop: false)
        }
        let title = CellRect(column: 0, row: 0, width: columns, height: 1)
        let status = CellRect(column: 0, row: rows - 1, width: columns, height: 1)
        let middle = rows - 2
        // Beside: the pane is as tall as the middle, as wide as that is in pixels, leaving the panel 36 columns.
        var paneColumns = min(columns - minimumPanelColumns, aspect * middle * cellHeight / cellWidth)
        if paneColumns >= minimumSidePaneColumns {
            let paneRows = min(middle, paneColumns * cellWidth / (aspect * cellHeight))
            paneColumns = aspect * paneRows * cellHeight / cellWidth
            return Layout(size: size, tooSmallMessage: nil, title: title,
                          preview: CellRect(column: 0, row: 1, width: paneColumns, height: paneRows),
                          panel: CellRect(column: paneColumns, row: 1, width: columns - paneColumns, height: middle),
                          status: status, previewOnTop: false)
        }
        // On top: the pane takes at most half of the middle rows, centred; the panel the rest below.
        let paneRows = min(middle / 2, columns * cellWidth / (aspect * cellHeight))
        paneColumns = min(columns, aspect * paneRows * cellHeight / cellWidth)
        let left = (columns - paneColumns) / 2
        return Layout(size: size, tooSmallMessage: nil, title: title,
                      preview: CellRect(column: left, row: 1, width: paneColumns, height: paneRows),
                      panel: CellRect(column: 0, row: 1 + paneRows, width: columns, height: middle - paneRows),
                      status: status, previewOnTop: true)
    }
}
