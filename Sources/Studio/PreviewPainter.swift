import ModelIO
import StudioCore

/// How the preview reaches the terminal.
public enum GraphicsMode: String, Sendable, CaseIterable {
    case sixel, blocks
}

/// Turns the current preview image into the one write that draws it into the pane (DESIGN.md §5, terminal
/// graphics): square in pixels, centred horizontally, synchronized output, cursor saved and restored.
public struct PreviewPainter: Sendable {
    public let mode: GraphicsMode
    public let colours: HalfBlockEncoder.Colours

    public init(mode: GraphicsMode, colours: HalfBlockEncoder.Colours) {
        self.mode = mode; self.colours = colours
    }

    /// Where an image of `aspect` (width / height; 1 = square, 2 for side by side) goes inside `pane` and its
    /// size in pixels (sixel) or cells (blocks): as large as fits, centred horizontally.
    public func placement(pane: CellRect, size: TerminalSize, aspect: Double = 1) -> (cells: CellRect, pixels: (width: Int, height: Int)) {
        let cw = max(1, size.cellWidth), ch = max(1, size.cellHeight)
        let aspect = aspect.isFinite && aspect > 0 ? aspect : 1
        switch mode {
        case .sixel:
            let side = max(0, min(pane.height * ch, Int(Double(pane.width * cw) / aspect)))
            let width = min(pane.width * cw, Int(Double(side) * aspect))
            let height = side / 6 * 6
            let columns = (width + cw - 1) / cw
            let rows = (height + ch - 1) / ch
            let cells = CellRect(column: pane.column + max(0, (pane.width - columns) / 2), row: pane.row,
                                 width: columns, height: rows)
            return (cells, (width, height))
        case .blocks:
            // A cell shows two pixels stacked: square pixels when columns·cw = aspect·rows·ch.
            let rows = max(0, min(pane.height, Int(Double(pane.width * cw) / (aspect * Double(ch)))))
            let columns = min(pane.width, Int(aspect * Double(rows * ch) / Double(cw)))
            let cells = CellRect(column: pane.column + max(0, (pane.width - columns) / 2), row: pane.row,
                                 width: columns, height: rows)
            return (cells, (columns, rows * 2))
        }
    }

    /// The bytes of one pane update showing `image` in `pane`; empty when the pane is too small.
    public func paint(_ image: RGBImage, pane: CellRect, size: TerminalSize) throws -> [UInt8] {
        let (cells, pixels) = placement(pane: pane, size: size, aspect: Double(image.width) / Double(max(1, image.height)))
        guard pixels.width >= 6, pixels.height >= 6, cells.height > 0, cells.width > 0 else { return [] }
        switch mode {
        case .sixel:
            let scaled = ImageScaling.bilinear(image, width: pixels.width, height: pixels.height)
            return TerminalOutput.paneUpdate(row: cells.row, column: cells.column, body: try SixelEncoder.encode(scaled))
        case .blocks:
            let body = HalfBlockEncoder.encode(image, row: cells.row, column: cells.column, columns: cells.width,
                                               rows: cells.height, colours: colours)
            return TerminalOutput.paneUpdate(row: cells.row, column: cells.column, body: body)
        }
    }
}
