import Testing
@testable import StudioCore

@Suite struct LayoutTests {
    @Test func eightyByTwentyFour() {
        let layout = Layout.compute(TerminalSize(columns: 80, rows: 24))
        #expect(layout.title == CellRect(column: 0, row: 0, width: 80, height: 1))
        #expect(layout.status == CellRect(column: 0, row: 23, width: 80, height: 1))
        #expect(layout.preview == CellRect(column: 0, row: 1, width: 44, height: 22))
        #expect(layout.panel == CellRect(column: 44, row: 1, width: 36, height: 22))
        #expect(layout.previewPixels.width == layout.previewPixels.height)
        #expect(!layout.isWide)
    }

    @Test func largeTerminalIsSquareInPixels() {
        let layout = Layout.compute(TerminalSize(columns: 160, rows: 48))
        #expect(layout.preview == CellRect(column: 0, row: 1, width: 92, height: 46))
        #expect(layout.panel.width == 68 && layout.isWide)
        let odd = Layout.compute(TerminalSize(columns: 200, rows: 50, cellWidth: 10, cellHeight: 21))
        let (w, h) = odd.previewPixels
        #expect(abs(w - h) < 10)
        #expect(odd.panel.width >= Layout.minimumPanelColumns)
    }

    @Test func panelKeepsThirtySixColumns() {
        for columns in 60...120 {
            let layout = Layout.compute(TerminalSize(columns: columns, rows: 60))
            #expect(layout.panel.width >= 36)
            #expect(layout.preview.column + layout.preview.width <= layout.panel.column || layout.previewOnTop)
        }
    }

    @Test func paneOnTopWhenNarrow() {
        // Tall cells make a side pane narrower than 24 columns.
        let layout = Layout.compute(TerminalSize(columns: 70, rows: 20, cellWidth: 8, cellHeight: 8))
        #expect(layout.previewOnTop)
        #expect(layout.panel.row == layout.preview.row + layout.preview.height)
        #expect(layout.panel.row + layout.panel.height == layout.status.row)
    }

    @Test func tooSmall() {
        #expect(Layout.compute(TerminalSize(columns: 60, rows: 15)).tooSmallMessage == "terminal too small: 60x15 (need 60x16)")
        #expect(Layout.compute(TerminalSize(columns: 60, rows: 16)).tooSmallMessage == nil)
    }

    @Test func panelLinesFillThePanelAtEverySize() {
        for (columns, rows) in [(60, 16), (80, 24), (100, 30), (160, 48), (61, 17), (240, 70)] {
            for glyphs in [GlyphSet.ascii, .unicode] {
                let state = makeState(columns: columns, rows: rows, glyphs: glyphs)
                let screen = StudioScreen.render(state)
                #expect(screen.panel.count == screen.layout.panel.height)
                #expect(screen.panel.allSatisfy { $0.width == screen.layout.panel.width })
                #expect(screen.title.width == columns && screen.status.width == columns)
                #expect(screen.hits.contains { $0.slider == state.selection })
            }
        }
    }
}
