import Foundation

/// The studio's folders from the XDG variables (DESIGN.md §4 "Themes, configuration, data").
public struct StudioPaths: Equatable, Sendable {
    /// `$XDG_DATA_HOME/portrait-studio` (default `~/.local/share/portrait-studio`).
    public var data: String
    /// `$XDG_CONFIG_HOME/portrait-studio` (default `~/.config/portrait-studio`).
    public var config: String
    /// `$XDG_STATE_HOME/portrait-studio` (default `~/.local/state/portrait-studio`).
    public var state: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func base(_ variable: String, _ fallback: String) -> String {
            // XDG: relative values are invalid and ignored.
            if let value = environment[variable], value.hasPrefix("/") { return value }
            return home + "/" + fallback
        }
        data = base("XDG_DATA_HOME", ".local/share") + "/portrait-studio"
        config = base("XDG_CONFIG_HOME", ".config") + "/portrait-studio"
        state = base("XDG_STATE_HOME", ".local/state") + "/portrait-studio"
    }

    /// Favourites and trajectories unless `--out`.
    public var favourites: String { data + "/favourites" }
    /// Default output of `import`.
    public var models: String { data + "/models" }
    /// The configuration file.
    public var configFile: String { config + "/config" }
    /// User themes, overriding the built-in ones.
    public var themes: String { config + "/themes" }
    /// The studio's log.
    public var log: String { state + "/studio.log" }
}

/// Trajectory files in a folder.
public enum Trajectories {
    /// `*.jsonl` files in `directory`, newest first by name (names carry their start time). A missing
    /// folder is empty.
    public static func list(directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { throw StudioCoreError.io(path: directory, reason: "not a folder") }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }
                .sorted(by: >)
                .map { directory + "/" + $0 }
        } catch {
            throw StudioCoreError.io(path: directory, reason: "cannot list the folder")
        }
    }
}
