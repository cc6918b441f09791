import Foundation
import Numerics
import Testing
@testable import Training

@Suite struct DiscriminatorSetTests {
    @Test func roundTripThroughOneDictionary() throws {
        let set = try DiscriminatorSet(portraitSize: 16, faceSize: 8, baseChannels: 2, maxChannels: 4, seed: 3)
        #expect(set.whole.architecture.height == 16 && set.face.architecture.height == 8 && set.torso.architecture.height == 4)
        #expect(set.whole.parameters != set.torso.parameters)
        let tensors = set.tensors
        #expect(tensors["d_torso.head.bias"] != nil && tensors["d_face.from_rgb.weight"] != nil)
        let restored = try DiscriminatorSet(tensors: tensors, portraitSize: 16, faceSize: 8, baseChannels: 2, maxChannels: 4, source: "ckpt")
        for kind in DiscriminatorKind.allCases { #expect(restored[kind].parameters == set[kind].parameters) }
        var broken = tensors
        broken["d_face.blocks.0.conv1.weight"] = nil
        #expect { try DiscriminatorSet(tensors: broken, portraitSize: 16, faceSize: 8, baseChannels: 2, maxChannels: 4, source: "ckpt") }
            throws: { "\($0)".contains("ckpt (d_face.*)") && "\($0)".contains("blocks.0.conv1.weight") }
        var extra = tensors
        extra["generator.x"] = Tensor.zeros([1])
        #expect { try DiscriminatorSet(tensors: extra, portraitSize: 16, faceSize: 8, baseChannels: 2, maxChannels: 4, source: "ckpt") }
            throws: { "\($0)".contains("generator.x") }
    }
}
