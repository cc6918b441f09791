import Foundation

/// `$XDG_CONFIG_HOME/portrait-studio/config` (DESIGN.md §4): `key = value` lines, `#` comments; options on
/// the command line win over it.
public struct StudioConfig: Equatable, Sendable {
    public enum Graphics: String, Sendable, CaseIterable { case auto, sixel, blocks }
    public enum Colour: String, Sendable, CaseIterable { case auto, truecolour, c256 = "256", c16 = "16" }

    public var theme = "dark"
    public var model: String?
    public var out: String?
    public var graphics = Graphics.auto
    public var colour = Colour.auto
    public var mouse = true
    public var cacheMB = 512
    public var threads: Int?
    public var probeTimeoutMilliseconds = 250

    public init() {}

    /// Parses configuration text; unknown keys and bad values are skipped with a warning naming the line.
    public static func parse(_ text: String, source: String) -> (StudioConfig, warnings: [String]) {
        var config = StudioConfig()
        var warnings: [String] = []
        for (i, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let where_ = "\(source):\(i + 1)"
            guard let eq = trimmed.firstIndex(of: "=") else {
                warnings.append("\(where_): expected 'key = value'")
                continue
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            func bad(_ expected: String) { warnings.append("\(where_): \(key) = '\(value)': expected \(expected)") }
            switch key {
            case "theme": if value.isEmpty { bad("a theme name") } else { config.theme = value }
            case "model": if value.isEmpty { bad("a model") } else { config.model = value }
            case "out": if value.isEmpty { bad("a folder") } else { config.out = value }
            case "graphics":
                if let g = Graphics(rawValue: value) { config.graphics = g } else { bad("auto, sixel or blocks") }
            case "colour", "color":
                if let c = Colour(rawValue: value) { config.colour = c } else { bad("auto, truecolour, 256 or 16") }
            case "mouse":
                if value == "on" { config.mouse = true } else if value == "off" { config.mouse = false } else { bad("on or off") }
            case "cache_mb":
                if let n = Int(value), n > 0 { config.cacheMB = n } else { bad("a positive number of MB") }
            case "threads":
                if let n = Int(value), n > 0 { config.threads = n } else { bad("a positive number") }
            case "probe_timeout_ms":
                if let n = Int(value), n >= 0 { config.probeTimeoutMilliseconds = n } else { bad("milliseconds >= 0") }
            default:
                warnings.append("\(where_): unknown key '\(key)'")
            }
        }
        return (config, warnings)
    }

    /// Reads the configuration file at `path`; a missing file gives the defaults.
    public static func load(path: String) -> (StudioConfig, warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { return (StudioConfig(), []) }
        return parse(String(decoding: data, as: UTF8.self), source: path)
    }
}
