import Foundation

/// The built-in themes (`Themes/*.theme`), shipped as resources of this target.
public enum ThemeFiles {
    /// Names of the built-in themes.
    public static let names = ["dark", "light", "high-contrast"]

    /// The text of built-in theme `name`, or nil when there is no such theme (or its resource is missing).
    public static func text(named name: String) -> String? {
        guard names.contains(name),
              let url = Bundle.module.url(forResource: name, withExtension: "theme"),
              let data = try? Data(contentsOf: url) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
