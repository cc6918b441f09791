import ModelIO
import Testing
@testable import Generator

@Suite struct CostModelTests {
    /// SPEC.md §9: identity ≈ 3.31 TFLOP (SR 2,772.1 G), frame ≈ 0.59 TFLOP at SSHQ512_inf.
    @Test func officialShapeMatchesTheSpecTable() {
        let cost = CostModel(configuration: .sshq512)
        #expect(abs(cost.superResolutionFLOP / 1e9 - 2772.1) < 1)
        #expect(abs(cost.identityFLOP / 1e12 - 3.31) < 0.01)
        #expect(abs(cost.frameFLOP / 1e12 - 0.585) < 0.01)
        #expect(abs(cost.levelFieldFLOP / 1e9 - 69.8) < 0.1)
    }
}
