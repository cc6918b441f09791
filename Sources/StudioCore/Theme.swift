import Foundation
import ThemeFiles

/// A terminal colour as a theme names it.
public enum ThemeColour: Hashable, Sendable {
    /// The terminal's own foreground/background.
    case terminalDefault
    /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
    case ansi(Int)
    /// An xterm-256 palette index.
    case indexed(Int)
    /// 24-bit colour (drawn as the nearest available one; the palette is never redefined).
    case rgb(UInt8, UInt8, UInt8)

    /// The eight ANSI names in index order.
    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, an ANSI name, `bright_<name>`, `0`…`255` or `#rrggbb`.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" { self = .terminalDefault; return }
        if let i = Self.ansiNames.firstIndex(of: t) { self = .ansi(i); return }
        if t.hasPrefix("bright_"), let i = Self.ansiNames.firstIndex(of: String(t.dropFirst(7))) { self = .ansi(i + 8); return }
        if let n = Int(t), (0...255).contains(n), t.allSatisfy(\.isNumber) { self = .indexed(n); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
            return
        }
        return nil
    }

    /// The RGB value of an xterm-256 index.
    public static func rgbOf(index: Int) -> (Int, Int, Int) {
        let base: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
                                       (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
                                       (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
        if index < 16 { return base[max(0, index)] }
        if index < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let i = index - 16
            return (levels[i / 36], levels[i / 6 % 6], levels[i % 6])
        }
        let grey = 8 + (index - 232) * 10
        return (grey, grey, grey)
    }

    /// The nearest palette index among the first `paletteSize` colours (16 or 256); nil for the default.
    public func index(paletteSize: Int) -> Int? {
        switch self {
        case .terminalDefault: return nil
        case let .ansi(i): return i
        case let .indexed(i):
            if i < paletteSize { return i }
            let (r, g, b) = Self.rgbOf(index: i)
            return Self.nearest(r, g, b, paletteSize: paletteSize)
        case let .rgb(r, g, b): return Self.nearest(Int(r), Int(g), Int(b), paletteSize: paletteSize)
        }
    }

    static func nearest(_ r: Int, _ g: Int, _ b: Int, paletteSize: Int) -> Int {
        var best = 0, bestDistance = Int.max
        // Prefer the cube and greys over the terminal-dependent first 16 when 256 colours exist.
        let candidates = paletteSize > 16 ? Array(16..<paletteSize) : Array(0..<min(16, paletteSize))
        for i in candidates {
            let (pr, pg, pb) = rgbOf(index: i)
            let d = (pr - r) * (pr - r) * 3 + (pg - g) * (pg - g) * 4 + (pb - b) * (pb - b) * 2
            if d < bestDistance { bestDistance = d; best = i }
        }
        return best
    }
}

/// Text attributes a theme may add.
public enum ThemeAttribute: String, CaseIterable, Hashable, Sendable { case bold, dim, underline, reverse }

/// One theme entry: a colour and attributes.
public struct ThemeStyle: Hashable, Sendable {
    public var colour: ThemeColour
    public var attributes: Set<ThemeAttribute>
    public init(colour: ThemeColour, attributes: Set<ThemeAttribute> = []) { self.colour = colour; self.attributes = attributes }
}

/// A complete theme: a style for every `ThemeKey`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [ThemeKey: ThemeStyle]

    /// The style of `key` (every key is present in a loaded theme).
    public subscript(key: ThemeKey) -> ThemeStyle { styles[key] ?? ThemeStyle(colour: .terminalDefault) }

    /// Parses theme text: `key = colour [bold|dim|underline|reverse]` lines, `#` comments. Unknown keys and
    /// bad values are skipped with a warning naming the line.
    public static func parse(_ text: String, source: String) -> (styles: [ThemeKey: ThemeStyle], warnings: [String]) {
        var styles: [ThemeKey: ThemeStyle] = [:]
        var warnings: [String] = []
        for (i, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let where_ = "\(source):\(i + 1)"
            guard let eq = trimmed.firstIndex(of: "=") else {
                warnings.append("\(where_): expected 'key = colour [attributes]'")
                continue
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            // A word starting with `#` begins a comment, except a `#rrggbb` colour in first place.
            var words: [String] = []
            for word in trimmed[trimmed.index(after: eq)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                if word.hasPrefix("#"), !(words.isEmpty && ThemeColour(parsing: word) != nil) { break }
                words.append(word)
            }
            guard let themeKey = ThemeKey(rawValue: key) else {
                warnings.append("\(where_): unknown key '\(key)'")
                continue
            }
            guard let first = words.first, let colour = ThemeColour(parsing: first) else {
                warnings.append("\(where_): '\(words.first ?? "")' is not a colour (default, an ANSI name, bright_<name>, 0-255 or #rrggbb)")
                continue
            }
            var attributes = Set<ThemeAttribute>()
            var bad = false
            for word in words.dropFirst() {
                if let a = ThemeAttribute(rawValue: word.lowercased()) { attributes.insert(a) } else {
                    warnings.append("\(where_): unknown attribute '\(word)' (bold, dim, underline, reverse)")
                    bad = true
                }
            }
            if bad { continue }
            styles[themeKey] = ThemeStyle(colour: colour, attributes: attributes)
        }
        return (styles, warnings)
    }

    /// Loads theme `name`: `<themesDirectory>/<name>.theme` if it exists, else the built-in one; keys it
    /// lacks come from the built-in `dark`. An unknown name is an error listing the known ones.
    public static func load(name: String, themesDirectory: String?) throws -> (Theme, warnings: [String]) {
        guard let darkText = ThemeFiles.text(named: "dark") else {
            throw StudioCoreError.io(path: "dark.theme", reason: "the built-in themes are missing from the installation")
        }
        var (styles, warnings) = parse(darkText, source: "dark.theme")
        if name != "dark" || themesDirectory.map({ FileManager.default.fileExists(atPath: "\($0)/dark.theme") }) == true {
            let userPath = themesDirectory.map { "\($0)/\(name).theme" }
            let text: String
            let source: String
            if let userPath, let data = FileManager.default.contents(atPath: userPath) {
                text = String(decoding: data, as: UTF8.self)
                source = userPath
            } else if let builtIn = ThemeFiles.text(named: name) {
                text = builtIn
                source = "\(name).theme"
            } else {
                throw StudioCoreError.io(path: userPath ?? "\(name).theme",
                                         reason: "no theme '\(name)' (built in: \(ThemeFiles.names.joined(separator: ", ")))")
            }
            let (own, ownWarnings) = parse(text, source: source)
            styles.merge(own) { $1 }
            warnings += ownWarnings
        }
        return (Theme(name: name, styles: styles), warnings)
    }
}
