import ModelIO

/// The Unicode half-block fallback: each cell is `▀` with the upper pixel as foreground and the lower as
/// background, in 24-bit colour or the xterm-256 palette.
public enum HalfBlockEncoder {
    /// Colour depth of the escape sequences.
    public enum Colours: Sendable, Equatable {
        case truecolour
        case xterm256

        /// Truecolour when `COLORTERM` is `truecolor` or `24bit`, else xterm-256.
        public static func detect(environment: [String: String]) -> Colours {
            let value = environment["COLORTERM"]?.lowercased() ?? ""
            return value == "truecolor" || value == "24bit" ? .truecolour : .xterm256
        }
    }

    /// The escape sequences drawing `image` into `columns x rows` cells whose top-left cell is (row, column)
    /// (0-based screen coordinates; each row starts with a cursor move).
    public static func encode(_ image: RGBImage, row: Int, column: Int, columns: Int, rows: Int,
                              colours: Colours) -> [UInt8] {
        guard columns > 0, rows > 0 else { return [] }
        let scaled = ImageScaling.bilinear(image, width: columns, height: rows * 2)
        let block = Array("▀".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(rows * (12 + columns * 40))
        for r in 0..<rows {
            out += Array("\u{1b}[\(row + r + 1);\(column + 1)H".utf8)
            var last: (Int, Int)? = nil
            for c in 0..<columns {
                let upper = pixel(scaled, x: c, y: 2 * r), lower = pixel(scaled, x: c, y: 2 * r + 1)
                switch colours {
                case .truecolour:
                    out += Array("\u{1b}[38;2;\(upper.0);\(upper.1);\(upper.2);48;2;\(lower.0);\(lower.1);\(lower.2)m".utf8)
                case .xterm256:
                    let pair = (xterm256(upper), xterm256(lower))
                    if last.map({ $0 != pair }) ?? true {
                        out += Array("\u{1b}[38;5;\(pair.0);48;5;\(pair.1)m".utf8)
                        last = pair
                    }
                }
                out += block
            }
            out += Array("\u{1b}[0m".utf8)
        }
        return out
    }

    private static func pixel(_ image: RGBImage, x: Int, y: Int) -> (Int, Int, Int) {
        let i = (y * image.width + x) * 3
        return (Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2]))
    }

    /// Nearest xterm-256 colour: the 6x6x6 cube or the 24-step grey ramp, whichever is closer.
    public static func xterm256(_ rgb: (Int, Int, Int)) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
        let (r, g, b) = (cubeIndex(rgb.0), cubeIndex(rgb.1), cubeIndex(rgb.2))
        let cube = (levels[r], levels[g], levels[b])
        let average = (rgb.0 + rgb.1 + rgb.2) / 3
        let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyStep
        func distance(_ c: (Int, Int, Int)) -> Int {
            let (dr, dg, db) = (c.0 - rgb.0, c.1 - rgb.1, c.2 - rgb.2)
            return dr * dr + dg * dg + db * db
        }
        return distance(cube) <= distance((grey, grey, grey)) ? 16 + 36 * r + 6 * g + b : 232 + greyStep
    }
}
