import Foundation
import Testing
@testable import Synth

@Suite struct LabelDistributionTests {
    let distribution = LabelDistribution()

    func labels(seed: UInt64, index: Int) -> PortraitLabels {
        var random = LabelRandom(seed: seed, index: index)
        return distribution.sample(&random, identityCount: 80, shapeCount: 10, expressionCount: 16)
    }

    @Test func sameSeedAndIndexGiveTheSameLabels() {
        #expect(labels(seed: 7, index: 3) == labels(seed: 7, index: 3))
        #expect(labels(seed: 7, index: 3) != labels(seed: 7, index: 4))
        #expect(labels(seed: 7, index: 3) != labels(seed: 8, index: 3))
    }

    /// Over many draws each angle has mean near 0, spread near its sigma (a little under: the clamp),
    /// and stays within its limit; codes are unit normal; blendshape counts follow their probabilities.
    @Test func drawsFollowTheDocumentedDistributions() {
        let count = 20_000
        let all = (0..<count).map { labels(seed: 1, index: $0) }
        func check(_ values: [Double], _ angle: LabelDistribution.Angle, _ name: String) {
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            #expect(abs(mean) < 0.05 * angle.sigma, "\(name) mean \(mean)")
            #expect(sd > 0.93 * angle.sigma && sd < 1.03 * angle.sigma, "\(name) sd \(sd), sigma \(angle.sigma)")
            #expect(values.allSatisfy { abs($0) <= angle.limit }, "\(name) beyond \(angle.limit)")
        }
        check(all.map(\.cameraYaw), distribution.cameraYaw, "yaw")
        check(all.map(\.cameraPitch), distribution.cameraPitch, "pitch")
        check(all.map(\.faceYaw), distribution.faceYaw, "face yaw")
        for joint in 0..<6 {
            for axis in 0..<3 {
                check(all.map { $0.joints[joint][axis] }, distribution.joints[joint][axis], "joint \(joint).\(axis)")
            }
        }
        check(all.map { $0.identity[17] }, .init(sigma: 1, limit: 3), "identity[17]")
        check(all.map { $0.shape[9] }, .init(sigma: 1, limit: 3), "shape[9]")
        var active = [Int](repeating: 0, count: 4)
        for labels in all { active[labels.expression.filter { $0 != 0 }.count] += 1 }
        for (k, p) in distribution.activeBlendshapes.enumerated() {
            #expect(abs(Double(active[k]) / Double(count) - p) < 0.015, "\(k) active: \(active[k])")
        }
        #expect(all.allSatisfy { $0.expression.allSatisfy { $0 == 0 || distribution.blendshapeWeight.contains($0) } })
    }
}
