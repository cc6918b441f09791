import ModelIO

/// Lays equally sized images out in a grid with a caption in the top-left corner of each, in a small
/// built-in bitmap font (3×5 glyphs: letters, digits, `_ = . - + ° /`; lowercase drawn as uppercase).
public enum ContactSheet {
    /// Tiles in rows of `columns`, separated by `gap` white pixels; captions scaled by `scale`.
    public static func compose(_ tiles: [(image: RGBImage, caption: String)], columns: Int, gap: Int = 4,
                               scale: Int = 2) -> RGBImage {
        guard let first = tiles.first, columns > 0 else { return RGBImage(width: 0, height: 0) }
        let w = first.image.width, h = first.image.height
        let rows = (tiles.count + columns - 1) / columns
        var sheet = RGBImage(width: columns * w + (columns + 1) * gap, height: rows * h + (rows + 1) * gap)
        for (k, tile) in tiles.enumerated() {
            let x0 = gap + (k % columns) * (w + gap), y0 = gap + (k / columns) * (h + gap)
            for y in 0..<min(h, tile.image.height) {
                for x in 0..<min(w, tile.image.width) {
                    for c in 0..<3 {
                        sheet.pixels[3 * ((y0 + y) * sheet.width + x0 + x) + c] = tile.image.pixels[3 * (y * tile.image.width + x) + c]
                    }
                }
            }
            draw(tile.caption, into: &sheet, x: x0 + 2 * scale, y: y0 + 2 * scale, scale: scale)
        }
        return sheet
    }

    /// Draws `text` with its top-left corner at `(x, y)`, in dark grey on a light box.
    public static func draw(_ text: String, into image: inout RGBImage, x: Int, y: Int, scale: Int = 2) {
        let glyphs = text.uppercased().map { glyphRows[$0] ?? glyphRows[" "] ?? [] }
        let boxWidth = glyphs.count * 4 * scale + scale, boxHeight = 7 * scale
        func set(_ px: Int, _ py: Int, _ value: UInt8) {
            guard px >= 0, py >= 0, px < image.width, py < image.height else { return }
            for c in 0..<3 { image.pixels[3 * (py * image.width + px) + c] = value }
        }
        for py in 0..<boxHeight { for px in 0..<boxWidth { set(x - scale + px, y - scale + py, 240) } }
        for (g, rows) in glyphs.enumerated() {
            for (r, row) in rows.enumerated() {
                for (c, on) in row.enumerated() where on == "#" {
                    for dy in 0..<scale { for dx in 0..<scale { set(x + (4 * g + c) * scale + dx, y + r * scale + dy, 40) } }
                }
            }
        }
    }

    static let glyphRows: [Character: [String]] = {
        let table: [(Character, String)] = [
            ("A", ".#.#.#####.##.#"), ("B", "##.#.###.#.###."), ("C", ".###..#..#...##"), ("D", "##.#.##.##.###."),
            ("E", "####..##.#..###"), ("F", "####..##.#..#.."), ("G", ".###..#.##.#.##"), ("H", "#.##.#####.##.#"),
            ("I", "###.#..#..#.###"), ("J", "..#..#..##.#.#."), ("K", "#.##.###.#.##.#"), ("L", "#..#..#..#..###"),
            ("M", "#.########.##.#"), ("N", "##.#.##.##.##.#"), ("O", ".#.#.##.##.#.#."), ("P", "##.#.###.#..#.."),
            ("Q", ".#.#.##.###..##"), ("R", "##.#.###.#.##.#"), ("S", ".###...#...###."), ("T", "###.#..#..#..#."),
            ("U", "#.##.##.##.####"), ("V", "#.##.##.##.#.#."), ("W", "#.##.########.#"), ("X", "#.##.#.#.#.##.#"),
            ("Y", "#.##.#.#..#..#."), ("Z", "###..#.#.#..###"), ("0", "####.##.##.####"), ("1", ".#.##..#..#.###"),
            ("2", "##...#.#.#..###"), ("3", "##...#.#...###."), ("4", "#.##.####..#..#"), ("5", "####..##...###."),
            ("6", ".###..####.####"), ("7", "###..#.#..#..#."), ("8", "####.#####.####"), ("9", "####.####..###."),
            ("_", "............###"), ("=", "...###...###..."), (".", ".............#."), ("-", "......###......"),
            ("+", "....#.###.#...."), ("°", "####.####......"), ("/", "..#..#.#.#..#.."), (" ", "..............."),
        ]
        var out: [Character: [String]] = [:]
        for (c, bits) in table {
            let cells = Array(bits)
            out[c] = (0..<5).map { String(cells[(3 * $0)..<(3 * $0 + 3)]) }
        }
        return out
    }()
}
