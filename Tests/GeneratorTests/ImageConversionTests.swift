import Testing
@testable import Generator
import Numerics

@Suite struct ImageConversionTests {
    @Test func bytesFollowTheDriverFormula() throws {
        // x·127.5 + 128 truncated: -1 → 0.5 → 0, 0 → 128, 1 → 255.5 → 255, -0.999 → 0.627 → 0, 0.5 → 191.75 → 191.
        let values: [Float] = [-1, 0, 1, -0.999, 0.5, 2, -3, .nan]
        let image = try Tensor(shape: [3, 1, 8], scalars: values + values + values)
        let rgb = try ImageConversion.rgb8(image)
        let reds = stride(from: 0, to: 24, by: 3).map { rgb.pixels[$0] }
        #expect(reds == [0, 128, 255, 0, 191, 255, 0, 0])
    }

    @Test func depthMapsNearToBrightAndNaNToBlack() throws {
        let depth = try Tensor(shape: [1, 3], scalars: [1.0, 3.0, .nan])
        let rgb = try ImageConversion.depth8(depth, near: 1, far: 3)
        #expect(Array(rgb.pixels[0..<3]) == Array(ImageConversion.inferno[(3 * 255)...]))
        #expect(Array(rgb.pixels[3..<6]) == [0, 0, 4])
        #expect(Array(rgb.pixels[6..<9]) == [0, 0, 4])
        #expect(ImageConversion.inferno.count == 768)
    }
}
