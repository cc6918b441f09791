import Foundation
import Generator
@testable import StudioCore

/// The built-in model's shape: 16 named expressions in [0, 1], with three expression samples.
let builtinNames = ["jaw_open", "smile_left", "smile_right", "frown", "brow_raise_left", "brow_raise_right",
                    "brow_lower", "blink_left", "blink_right", "lip_pucker", "lips_part", "mouth_left",
                    "mouth_right", "cheek_puff", "nose_wrinkle", "eyes_wide"]

func builtinModel() -> ModelInfo {
    ModelInfo(name: "studio", source: "builtin-untrained", dataSHA256: String(repeating: "ab", count: 32),
              expressionNames: builtinNames, expressionDimension: 16, expressionRange: 0...1, defaultPsi: 0.7,
              expressionSamples: [Array(repeating: 0.5, count: 16), (0..<16).map { Double($0) / 15 }, Array(repeating: 2, count: 16)])
}

func officialModel() -> ModelInfo {
    ModelInfo(name: "sshq512", source: "official-checkpoint", dataSHA256: String(repeating: "cd", count: 32),
              expressionNames: nil, expressionDimension: 64, expressionRange: -3...3, defaultPsi: 0.7)
}

/// A studio at 80x24 after its start.
func makeState(_ model: ModelInfo = builtinModel(), columns: Int = 80, rows: Int = 24,
               glyphs: GlyphSet = .ascii, controls: Controls? = nil) -> StudioState {
    StudioState.initial(model: model, size: TerminalSize(columns: columns, rows: rows), outDirectory: "/tmp/out",
                        glyphs: glyphs, randomSeed: 7, initialControls: controls).0
}

/// Feeds `events`, collecting all effects.
func run(_ state: StudioState, _ events: [StudioEvent]) -> (StudioState, [StudioEffect]) {
    var s = state
    var all: [StudioEffect] = []
    for event in events {
        let (next, effects) = reduce(s, event)
        s = next
        all += effects
    }
    return (s, all)
}

func keys(_ text: String) -> [StudioEvent] { text.map { .key(.character($0)) } }

/// The package root, found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A fresh scratch folder under the system temporary directory.
func scratchDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "studiocore-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
