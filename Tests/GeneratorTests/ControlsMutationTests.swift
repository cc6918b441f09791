import Foundation
import Numerics
import Testing
@testable import Generator

/// Hostile controls documents: mutated bytes (bit flips, invalid UTF-8, truncations, splices) must be
/// refused with an error or read as valid controls, never crash the reader.
@Suite struct ControlsMutationTests {
    static let document = Data("""
    {"format": "portrait-controls/1", "identity": {"seed": 42, "blend": 0.25}, "psi": 0.7,
     "expression": [0.0, 0.4, 0.0], "camera": {"yaw": 12, "pitch": -3},
     "joints": {"neck": [0, 0, 0], "head": [0, 15, -5]}, "view": "face", "show": "depth", "quality": "preview"}
    """.utf8)

    @Test func mutatedDocumentsThrowOrRead() {
        var random = SplitMix64(seed: 7)
        var valid = 0
        for k in 0..<3000 {
            var bytes = [UInt8](Self.document)
            switch k % 4 {
            case 0: bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
            case 1: bytes[random.below(bytes.count)] = [0x80, 0xC0, 0xFF, 0xED, 0xF4, 0x00][random.below(6)]
            case 2: bytes.removeSubrange(random.below(bytes.count)...)
            default:
                let from = random.below(bytes.count), to = random.below(bytes.count)
                bytes.insert(contentsOf: bytes[min(from, to)..<max(from, to)].prefix(16), at: random.below(bytes.count))
            }
            if let controls = try? ControlsJSON.decode(Data(bytes)) {
                valid += 1
                #expect((try? ControlsJSON.decode(Data(ControlsJSON.encode(controls).utf8))) == controls)
            }
        }
        #expect(valid > 0 && valid < 3000, "\(valid) of 3000 mutants read as valid controls")
    }

    @Test func invalidUTF8IsAnError() {
        for bytes: [UInt8] in [[0x7B, 0xFF, 0x7D], [0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D], [0xED, 0xA0, 0x80]] {
            #expect(throws: ControlsError.self) { try ControlsJSON.decode(Data(bytes)) }
        }
    }
}
