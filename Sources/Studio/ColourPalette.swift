import CNCurses
import StudioCore

/// Theme styles bound to ncurses colour pairs: each style's colour as foreground over the background of its
/// region (`background`, `status_bg`, `overlay_bg`, `selection_bg` for the selected label). Colours beyond
/// the terminal's count map to the nearest available one; the palette is never redefined.
struct ColourPalette {
    let colours: Int
    let pairs: Int
    private var pairOf: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private var theme: Theme?

    private struct PairKey: Hashable {
        let foreground: Int16
        let background: Int16
    }

    init(colours: Int, pairs: Int) {
        self.colours = colours
        self.pairs = pairs
    }

    mutating func bind(_ theme: Theme) {
        self.theme = theme
        pairOf = [:]
        nextPair = 1
        for style in ThemeKey.allCases {
            for background in [ThemeKey.background, .statusBackground, .overlayBackground, .selectionBackground] {
                _ = pair(foreground: index(theme[style].colour), background: index(theme[background].colour))
            }
        }
    }

    /// The curses attributes of `style` drawn in a region whose background is `background`.
    mutating func attributes(_ style: ThemeKey, background: ThemeKey) -> attr_t {
        guard let theme else { return portrait_a_normal() }
        let regionBackground: ThemeKey
        switch style {
        case .labelSelected: regionBackground = .selectionBackground
        case .overlayText, .overlayBackground: regionBackground = .overlayBackground
        case .statusText, .statusBackground: regionBackground = .statusBackground
        default: regionBackground = background
        }
        let foregroundKey: ThemeKey = style == .statusBackground ? .statusText
            : style == .overlayBackground ? .overlayText : style
        var attributes = portrait_a_normal()
        let number = pair(foreground: index(theme[foregroundKey].colour), background: index(theme[regionBackground].colour))
        if number > 0 { attributes |= attr_t(portrait_color_pair(Int32(number))) }
        for flag in theme[style].attributes {
            switch flag {
            case .bold: attributes |= portrait_a_bold()
            case .dim: attributes |= portrait_a_dim()
            case .underline: attributes |= portrait_a_underline()
            case .reverse: attributes |= portrait_a_reverse()
            }
        }
        return attributes
    }

    /// A pair number for the colours (0 when colours are off or pairs ran out).
    private mutating func pair(foreground: Int16, background: Int16) -> Int16 {
        guard colours > 0 else { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairOf[key] { return existing }
        guard Int(nextPair) < pairs, Int(nextPair) < 256 else { return 0 }
        let number = nextPair
        nextPair += 1
        init_pair(number, foreground, background)
        pairOf[key] = number
        return number
    }

    /// The colour number of a theme colour on this terminal (-1 = the terminal's default). Terminals with
    /// fewer than 16 colours get bright colours as their normal ones and others as the nearest of the 8.
    private func index(_ colour: ThemeColour) -> Int16 {
        guard let i = colour.index(paletteSize: colours >= 256 ? 256 : 16) else { return -1 }
        if i < colours { return Int16(i) }
        if i < 16 { return Int16(i % 8) }
        let (r, g, b) = ThemeColour.rgbOf(index: i)
        var best = 0, bestDistance = Int.max
        for candidate in 0..<max(1, min(colours, 16)) {
            let (pr, pg, pb) = ThemeColour.rgbOf(index: candidate)
            let d = (pr - r) * (pr - r) + (pg - g) * (pg - g) + (pb - b) * (pb - b)
            if d < bestDistance { bestDistance = d; best = candidate }
        }
        return Int16(best)
    }
}
