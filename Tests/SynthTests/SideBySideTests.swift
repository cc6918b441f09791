import Generator
import ModelIO
import Testing
@testable import Synth

/// The side-by-side images and the rule for when a neural model can be compared with `synthetic`.
@Suite struct SideBySideTests {
    static func image(_ size: Int, _ value: UInt8) -> RGBImage {
        RGBImage(width: size, height: size, pixels: (0..<(3 * size * size)).map { UInt8(truncatingIfNeeded: $0 * 7) ^ value }) ?? RGBImage(width: 0, height: 0)
    }

    @Test func panelsAreTheTwoImagesExactly() {
        let a = Self.image(8, 0), b = Self.image(8, 0xff)
        let both = SideBySide.panels(a, b)
        #expect(both.width == 16 && both.height == 8)
        for y in 0..<8 {
            for x in 0..<8 {
                for c in 0..<3 {
                    #expect(both.pixels[3 * (y * 16 + x) + c] == a.pixels[3 * (y * 8 + x) + c])
                    #expect(both.pixels[3 * (y * 16 + 8 + x) + c] == b.pixels[3 * (y * 8 + x) + c])
                }
            }
        }
    }

    @Test func captionsStayInsideTheirPanel() {
        for size in [64, 128, 256] {
            let a = Self.image(size, 0), b = Self.image(size, 0xff)
            let gap = 4
            let sheet = SideBySide.labelled(a, "neural a-very-long-model-name-that-does-not-fit", b, "synthetic", gap: gap)
            #expect(sheet.width == 2 * size + gap && sheet.height == size)
            // The last columns of the left panel and the right panel's top-right corner are untouched.
            for y in 0..<min(size, 24) {
                for x in (size - 2)..<size {
                    #expect(sheet.pixels[3 * (y * sheet.width + x)] == a.pixels[3 * (y * size + x)], "size \(size) left (\(x), \(y))")
                }
                let x = size - 1
                #expect(sheet.pixels[3 * (y * sheet.width + size + gap + x)] == b.pixels[3 * (y * size + x)], "size \(size) right (\(x), \(y))")
            }
        }
    }

    @Test func comparisonNeedsTheBuiltinBlendshapes() {
        func space(_ names: [String]?, _ dimension: Int) -> PortraitControlSpace {
            PortraitControlSpace(expressionDim: dimension, expressionNames: names, expressionRange: 0...1, defaultPsi: 0.7,
                                 expressionPresetCount: 0, imageSize: 256, lowResolutionSize: 64, depthRange: 1...2)
        }
        let names = ["jaw_open", "smile_left", "smile_right", "frown", "brow_raise_left", "brow_raise_right", "brow_lower",
                     "blink_left", "blink_right", "lip_pucker", "lips_part", "mouth_left", "mouth_right", "cheek_puff",
                     "nose_wrinkle", "eyes_wide"]
        #expect(SideBySide.unavailableReason(neuralName: "studio", space: space(names, 16)) == nil)
        #expect(SideBySide.unavailableReason(neuralName: "sshq512", space: space(nil, 64))
                == "sshq512 has 64 numbered expressions (e00...e63), not the 16 built-in blendshapes (jaw_open, ...) that synthetic reads")
        #expect(SideBySide.unavailableReason(neuralName: "x", space: space(Array(names.reversed()), 16))?.hasPrefix("x has 16 other named expressions") == true)
    }
}
