import Testing
@testable import Training

@Suite struct TrainingErrorTests {
    @Test func configurationMismatchNamesTheRunTheFieldAndBothValues() {
        let message = TrainingError.configurationMismatch(runDirectory: "runs/a", field: "config",
                                                          stored: "studio", requested: "official").description
        #expect(message.hasPrefix("runs/a: "))
        #expect(message.contains("config = studio"))
        #expect(message.contains("config = official"))
    }
}
