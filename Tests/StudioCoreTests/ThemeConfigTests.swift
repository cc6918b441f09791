import Foundation
import Testing
import ThemeFiles
@testable import StudioCore

@Suite struct ThemeConfigTests {
    @Test(arguments: ThemeFiles.names)
    func builtInThemesDefineEveryKeyWithoutWarnings(name: String) throws {
        let text = try #require(ThemeFiles.text(named: name))
        let (styles, warnings) = Theme.parse(text, source: name)
        #expect(warnings.isEmpty)
        #expect(Set(styles.keys) == Set(ThemeKey.allCases))
        let (theme, loadWarnings) = try Theme.load(name: name, themesDirectory: nil)
        #expect(loadWarnings.isEmpty && theme.styles.count == ThemeKey.allCases.count)
    }

    @Test func parsingColoursAttributesAndWarnings() {
        let text = """
            # comment
            title = bright_white bold underline
            fill = #3a6ea5   # trailing comment
            track = 244
            value = default
            sparkle = red
            knob = purple
            label = red blink
            nonsense
            """
        let (styles, warnings) = Theme.parse(text, source: "t.theme")
        #expect(styles[.title] == ThemeStyle(colour: .ansi(15), attributes: [.bold, .underline]))
        #expect(styles[.fill] == ThemeStyle(colour: .rgb(0x3a, 0x6e, 0xa5)))
        #expect(styles[.track] == ThemeStyle(colour: .indexed(244)))
        #expect(styles[.value] == ThemeStyle(colour: .terminalDefault))
        #expect(styles[.knob] == nil && styles[.label] == nil)
        #expect(warnings == ["t.theme:6: unknown key 'sparkle'",
                             "t.theme:7: 'purple' is not a colour (default, an ANSI name, bright_<name>, 0-255 or #rrggbb)",
                             "t.theme:8: unknown attribute 'blink' (bold, dim, underline, reverse)",
                             "t.theme:9: expected 'key = colour [attributes]'"])
    }

    @Test func userThemesOverrideAndMissingKeysComeFromDark() throws {
        let directory = try scratchDirectory("themes")
        try Data("title = red\n".utf8).write(to: URL(fileURLWithPath: directory + "/mine.theme"))
        let (theme, warnings) = try Theme.load(name: "mine", themesDirectory: directory)
        let (dark, _) = try Theme.load(name: "dark", themesDirectory: nil)
        #expect(warnings.isEmpty)
        #expect(theme[.title] == ThemeStyle(colour: .ansi(1)))
        #expect(theme[.knob] == dark[.knob])
        #expect(throws: StudioCoreError.self) { try Theme.load(name: "nope", themesDirectory: directory) }
    }

    @Test func nearestColours() {
        #expect(ThemeColour.rgb(255, 0, 0).index(paletteSize: 256) == 196)
        #expect(ThemeColour.rgb(255, 0, 0).index(paletteSize: 16) == 9)
        #expect(ThemeColour.indexed(244).index(paletteSize: 16) == 8)
        #expect(ThemeColour.ansi(3).index(paletteSize: 16) == 3)
        #expect(ThemeColour.terminalDefault.index(paletteSize: 256) == nil)
    }

    @Test func configFile() {
        let (config, warnings) = StudioConfig.parse("""
            theme = light
            graphics = blocks
            colour = 256
            mouse = off
            cache_mb = 64
            probe_timeout_ms = 100
            threads = 0
            zoom = 2
            """, source: "config")
        #expect(config.theme == "light" && config.graphics == .blocks && config.colour == .c256 && !config.mouse)
        #expect(config.cacheMB == 64 && config.probeTimeoutMilliseconds == 100 && config.threads == nil)
        #expect(warnings == ["config:7: threads = '0': expected a positive number", "config:8: unknown key 'zoom'"])
        #expect(StudioConfig.load(path: "/nonexistent/config").0 == StudioConfig())
    }

    @Test func paths() {
        let paths = StudioPaths(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "relative"])
        #expect(paths.favourites == "/d/portrait-studio/favourites")
        #expect(paths.configFile == "/home/u/.config/portrait-studio/config")
        #expect(paths.log == "/home/u/.local/state/portrait-studio/studio.log")
    }

    @Test func timestamps() {
        let date = Date(timeIntervalSince1970: 1_795_654_923.12)  // 2026-11-26T01:02:03.120Z
        #expect(Timestamp.iso8601(date) == "2026-11-26T01:02:03Z")
        #expect(Timestamp.iso8601(date, milliseconds: true) == "2026-11-26T01:02:03.120Z")
        #expect(Timestamp.fileStamp(date) == "20261126-010203")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }
}
