import ModelIO
import StudioCore
import Testing
@testable import Studio

/// The terminal probe's parsing, cell-size resolution, pane placement and the two image encoders.
@Suite struct TerminalGraphicsTests {
    @Test func repliesAreParsedInAnyOrderAmongOtherBytes() {
        let bytes = Array("x\u{1b}[6;20;10t\u{1b}[4;480;800t\u{1b}[?63;1;2;4;6;9;15;22c".utf8)
        let replies = TerminalReplies.parse(bytes)
        #expect(replies.answeredDeviceAttributes)
        #expect(replies.supportsSixel)
        #expect(replies.cellPixels?.width == 10 && replies.cellPixels?.height == 20)
        #expect(replies.textAreaPixels?.width == 800 && replies.textAreaPixels?.height == 480)

        let plain = TerminalReplies.parse(Array("\u{1b}[?62;1;2;6;22c".utf8))
        #expect(plain.answeredDeviceAttributes && !plain.supportsSixel && plain.cellPixels == nil)
        #expect(!TerminalReplies.parse([]).answeredDeviceAttributes)
        // A truncated reply is not an answer.
        #expect(!TerminalReplies.parse(Array("\u{1b}[?63;4".utf8)).answeredDeviceAttributes)
    }

    @Test func cellSizeFollowsTheDesignOrder() {
        var replies = TerminalReplies.parse(Array("\u{1b}[6;18;9t\u{1b}[4;480;800t".utf8))
        let fromWindow = TerminalGeometry.resolve(rows: 24, columns: 80, windowPixels: (800, 480), replies: replies)
        #expect(fromWindow == TerminalSize(columns: 80, rows: 24, cellWidth: 10, cellHeight: 20))
        let fromCell = TerminalGeometry.resolve(rows: 24, columns: 80, windowPixels: (0, 0), replies: replies)
        #expect(fromCell == TerminalSize(columns: 80, rows: 24, cellWidth: 9, cellHeight: 18))
        replies.cellPixels = nil
        let fromArea = TerminalGeometry.resolve(rows: 24, columns: 80, windowPixels: (0, 0), replies: replies)
        #expect(fromArea == TerminalSize(columns: 80, rows: 24, cellWidth: 10, cellHeight: 20))
        let fallback = TerminalGeometry.resolve(rows: 24, columns: 80, windowPixels: (0, 0), replies: TerminalReplies())
        #expect(fallback == TerminalSize(columns: 80, rows: 24, cellWidth: 8, cellHeight: 16))
    }

    @Test func sixelPlacementIsSquareAMultipleOfSixAndInsideThePane() {
        let painter = PreviewPainter(mode: .sixel, colours: .truecolour)
        let pane = CellRect(column: 0, row: 1, width: 44, height: 22)
        let (cells, pixels) = painter.placement(pane: pane, size: TerminalSize(columns: 80, rows: 24, cellWidth: 8, cellHeight: 16))
        #expect(pixels.width == 352 && pixels.height == 348 && pixels.height % 6 == 0)
        #expect(cells.row == 1 && cells.column == 0 && cells.width == 44 && cells.height <= pane.height)
        // A wide pane centres the image.
        let wide = painter.placement(pane: CellRect(column: 0, row: 1, width: 60, height: 22),
                                     size: TerminalSize(columns: 100, rows: 24, cellWidth: 8, cellHeight: 16))
        #expect(wide.cells.column == 8 && wide.cells.width == 44)
    }

    @Test func halfBlocksUseTwoPixelsPerCell() throws {
        let painter = PreviewPainter(mode: .blocks, colours: .truecolour)
        let (cells, pixels) = painter.placement(pane: CellRect(column: 2, row: 1, width: 40, height: 22),
                                                size: TerminalSize(columns: 80, rows: 24, cellWidth: 8, cellHeight: 16))
        #expect(cells.height == 20 && cells.width == 40 && pixels.width == 40 && pixels.height == 40)

        // A 2x2 image: red over blue on the left, green over white on the right.
        let image = try #require(RGBImage(width: 2, height: 2, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
        let text = String(decoding: HalfBlockEncoder.encode(image, row: 4, column: 9, columns: 2, rows: 1, colours: .truecolour),
                          as: UTF8.self)
        #expect(text == "\u{1b}[5;10H\u{1b}[38;2;255;0;0;48;2;0;0;255m▀\u{1b}[38;2;0;255;0;48;2;255;255;255m▀\u{1b}[0m")
        let indexed = String(decoding: HalfBlockEncoder.encode(image, row: 0, column: 0, columns: 2, rows: 1, colours: .xterm256),
                             as: UTF8.self)
        #expect(indexed == "\u{1b}[1;1H\u{1b}[38;5;196;48;5;21m▀\u{1b}[38;5;46;48;5;231m▀\u{1b}[0m")
        #expect(HalfBlockEncoder.Colours.detect(environment: ["COLORTERM": "24bit"]) == .truecolour)
        #expect(HalfBlockEncoder.Colours.detect(environment: [:]) == .xterm256)
        #expect(HalfBlockEncoder.xterm256((128, 128, 128)) == 244)
    }

    @Test func paneUpdatesAreSynchronizedAndRestoreTheCursor() throws {
        let image = RGBImage(width: 16, height: 16, fill: (200, 40, 40))
        let painter = PreviewPainter(mode: .sixel, colours: .truecolour)
        let bytes = try painter.paint(image, pane: CellRect(column: 3, row: 1, width: 10, height: 5),
                                      size: TerminalSize(columns: 80, rows: 24, cellWidth: 8, cellHeight: 16))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1b}[?2026h\u{1b}7\u{1b}[2;4H\u{1b}P"))
        #expect(text.hasSuffix("\u{1b}\\\u{1b}[0m\u{1b}8\u{1b}[?2026l"))
        // Raster attributes: 80 x 78 pixels (a multiple of 6).
        #expect(text.contains("\"1;1;80;78"))
    }

    @Test func bilinearScalingKeepsFlatColoursAndInterpolates() throws {
        let flat = ImageScaling.bilinear(RGBImage(width: 3, height: 3, fill: (10, 20, 30)), width: 7, height: 5)
        #expect(flat.width == 7 && flat.height == 5 && Set(flat.pixels) == [10, 20, 30])
        let ramp = try #require(RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 200, 200, 200]))
        let wide = ImageScaling.bilinear(ramp, width: 4, height: 1)
        #expect(wide.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [0, 50, 150, 200])
    }
}
