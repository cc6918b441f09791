import Foundation
import Testing
@testable import Generator
import ModelIO
import Numerics

@Suite struct FormulaWeightsTests {
    /// The worked example of reference/README.md ("Weights"): t = 0, scale 0.06735753140545633.
    @Test func workedExample() {
        let key = FormulaWeights.referenceSeed ^ (0 &* 0x9E37_79B9_7F4A_7C15)
        #expect(key == 0xa11f0e7a2023)
        #expect(FormulaWeights.splitmix64(0xa11f0e7a2023) == 0x804017921c86b86d)
        #expect(FormulaWeights.splitmix64(0xa11f0e7a2024) == 0x339abdcafebfcc91)
        #expect(FormulaWeights.splitmix64(0xa11f0e7a2025) == 0x04670b3b62fb53a2)
        let bits = (0..<3).map {
            FormulaWeights.value(tensor: 0, element: $0, scale: 0.06735753140545633, offset: 0).bitPattern
        }
        #expect(bits == [0x396f46ab, 0xbd8e9ae3, 0xbde6b71e])
    }

    /// Every formula and alias tensor of ref-tiny's and ref-steep's manifests equals the shipped
    /// generator.safetensors bit for bit.
    @Test(arguments: ["ref-tiny", "ref-steep"])
    func matchesShippedWeightsBitwise(_ name: String) throws {
        let ref = try ReferenceData.configuration(name)
        let manifestPath = ref.directory.appendingPathComponent("manifest.json").path
        let manifest = try FormulaWeights.manifest(path: manifestPath)
        let built = try FormulaWeights.build(manifest, source: manifestPath)
        let shipped = try ref.requireWeights()
        let expected = manifest.tensors.filter { $0.source == "formula" || $0.source == "alias" }.count
        #expect(built.tensors.count == expected)
        // Every float tensor of the file is either built here or a body-model buffer.
        let body = Set(manifest.tensors.filter { $0.source == "body_model" }.map(\.name))
        #expect(Set(shipped.tensors.keys).subtracting(body) == Set(built.tensors.keys))
        var compared = 0
        for (key, tensor) in built.tensors {
            let other = try #require(shipped.tensors[key], "\(name): \(key) not in generator.safetensors")
            #expect(tensor.shape == other.shape, "\(name): \(key)")
            let equal = zip(tensor.scalars, other.scalars).allSatisfy { $0.bitPattern == $1.bitPattern }
            #expect(equal, "\(name): \(key) differs")
            compared += tensor.count
        }
        print("[formula] \(name): \(built.tensors.count) tensors, \(compared) values bitwise equal to generator.safetensors")
    }

    @Test func officialShapeManifestBuildsTheSSHQ512Networks() throws {
        let dir = try ReferenceData.directory("official-shape")
        let weights = try FormulaWeights.build(manifestPath: dir.appendingPathComponent("manifest.json").path)
        let count = weights.tensors.values.reduce(0) { $0 + $1.count }
        // 5 570 696 formula values plus the two smoother aliases (2 × 6480).
        #expect(count == 5_570_696 + 2 * 6480)
        // Every identity-stage network binds at the official shape.
        let means = TruncationMeans(frequencies: .init(repeating: 0, count: 2304), phases: .init(repeating: 0, count: 2304),
                                    w: nil, style: .init(repeating: 1, count: 192))
        _ = try IdentityStage(weights: weights, configuration: .sshq512, means: means)
    }
}

extension FormulaWeightsTests {
    /// Written to safetensors and read back, the formula weights equal the shipped file's tensors.
    @Test func safetensorsRoundTrip() throws {
        let ref = try ReferenceData.tiny()
        let built = try FormulaWeights.build(manifestPath: ref.directory.appendingPathComponent("manifest.json").path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-formula-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("formula.safetensors").path
        try built.writeSafetensors(to: path)
        let read = try Weights(safetensorsPath: path)
        let shipped = try ref.requireWeights()
        #expect(Set(read.tensors.keys) == Set(built.tensors.keys))
        for (name, t) in read.tensors { #expect(t == shipped.tensors[name], "\(name)") }
    }
}
