import Foundation
import Testing
@testable import Generator
import Numerics

@Suite struct ControlsTests {
    @Test func xoshiroMatchesAnIndependentImplementation() {
        // Values from a plain Python implementation of SplitMix64-seeded xoshiro256** (seed 42).
        var rng = Xoshiro256StarStar(seed: 42)
        #expect(rng.next() == 0x1578_0b2e_0c2e_c716)
        #expect(rng.next() == 0x6104_d986_6d11_3a7e)
        #expect(rng.next() == 0xae17_5332_39e4_99a1)
    }

    @Test func seedCodesAreDeterministicAndNormal() {
        let a = SeedCodes.codes(seed: 7, identityDim: 80, shapeDim: 10, noiseDim: 80, idShapeSampler: nil)
        let b = SeedCodes.codes(seed: 7, identityDim: 80, shapeDim: 10, noiseDim: 80, idShapeSampler: nil)
        let c = SeedCodes.codes(seed: 8, identityDim: 80, shapeDim: 10, noiseDim: 80, idShapeSampler: nil)
        #expect(a == b && a != c)
        #expect(a.identity.count == 80 && a.shape == Array(repeating: 0, count: 10) && a.noise.count == 80)
        var all: [Double] = []
        for seed in 0..<200 as Range<UInt32> {
            all += SeedCodes.codes(seed: seed, identityDim: 0, shapeDim: 0, noiseDim: 80, idShapeSampler: nil)
                .noise.map(Double.init)
        }
        let mean = all.reduce(0, +) / Double(all.count)
        let variance = all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }

    @Test func samplerRowIsPickedByTheFirstDraw() throws {
        let rows = 5, width = 3
        let sampler = try Tensor(shape: [rows, width], scalars: (0..<(rows * width)).map(Float.init))
        let codes = SeedCodes.codes(seed: 3, identityDim: 2, shapeDim: 1, noiseDim: 4, idShapeSampler: sampler)
        var rng = Xoshiro256StarStar(seed: 3)
        let row = rng.index(below: rows)
        #expect(codes.identity == [Float(row * 3), Float(row * 3 + 1)])
        #expect(codes.shape == [Float(row * 3 + 2)])
        #expect(codes.noise == rng.normals(4).map { Float($0) })
    }

    @Test func blendWalksFromSeedToNextSeed() {
        func codes(_ s: UInt32, _ b: Double) -> IdentityCodes {
            SeedCodes.codes(seed: s, blend: b, identityDim: 4, shapeDim: 0, noiseDim: 6, idShapeSampler: nil)
        }
        #expect(codes(9, 0) == SeedCodes.codes(seed: 9, identityDim: 4, shapeDim: 0, noiseDim: 6, idShapeSampler: nil))
        let near = codes(9, 0.999_999)
        let next = codes(10, 0)
        for (x, y) in zip(near.noise + near.identity, next.noise + next.identity) { #expect(abs(x - y) < 1e-4) }
        let half = codes(9, 0.5), a = codes(9, 0), b = codes(10, 0)
        for i in 0..<6 {
            let expected = (0.5 * Double(a.noise[i]) + 0.5 * Double(b.noise[i])) / (0.5 as Double).squareRoot()
            #expect(abs(Double(half.noise[i]) - expected) < 1e-6)
        }
    }

    @Test func documentRoundTripsExactly() throws {
        var c = Controls(identity: .seed(42, blend: 0.25), psi: 0.7, expression: .values([0, 0.4, -1e-7, 1.0 / 3]),
                         camera: .init(yaw: 12.5, pitch: -3), view: .face, show: .depth, quality: .preview)
        c.joints[3] = [0, 15, -5.000000000000001]
        let text = ControlsJSON.encode(c)
        #expect(try ControlsJSON.decode(Data(text.utf8)) == c)
        let codes = Controls(identity: .codes(IdentityCodes(identity: [0.1, -2], shape: [3], noise: [Float.ulpOfOne])))
        #expect(try ControlsJSON.decode(Data(ControlsJSON.encode(codes).utf8)) == codes)
    }

    @Test func defaultsAndUnknownKeys() throws {
        let c = try ControlsJSON.decode(Data(#"{"identity": {"seed": 1}, "future_key": [1, 2]}"#.utf8))
        #expect(c == Controls(identity: .seed(1, blend: 0)))
    }

    @Test(arguments: [
        (#"{"identity": {"seed": 1}, "joints": {"head": [0, 0, NaN]}}"#, "joints.head[2]: NaN is not allowed"),
        (#"{"identity": {"seed": 1}, "camera": {"yaw": Infinity}}"#, "camera.yaw: Infinity is not allowed"),
        (#"{"identity": {"seed": -1}}"#, "identity.seed"),
        (#"{"identity": {"seed": 4294967296}}"#, "identity.seed"),
        (#"{"identity": {"seed": 1.5}}"#, "identity.seed"),
        (#"{"identity": {"seed": 1, "blend": 1}}"#, "identity.blend"),
        (#"{"psi": 0.7}"#, "identity: required"),
        (#"{"identity": {"seed": 1}, "psi": 2}"#, "psi"),
        (#"{"identity": {"seed": 1}, "camera": {"pitch": 90}}"#, "camera.pitch"),
        (#"{"identity": {"seed": 1}, "joints": {"elbow": [0, 0, 0]}}"#, "joints.elbow: unknown joint"),
        (#"{"identity": {"seed": 1}, "joints": {"neck": [0, 0]}}"#, "joints.neck: 2 values"),
        (#"{"identity": {"seed": 1}, "view": "side"}"#, "view"),
        (#"{"format": "portrait-controls/2", "identity": {"seed": 1}}"#, "format"),
        (#"{"identity": {"codes": {"identity": [1], "shape": [true], "noise": []}}}"#, "identity.codes.shape[0]: expected a number"),
        (#"[1, 2]"#, "expected a JSON object"),
        (#"{"identity": "#, "not valid JSON"),
    ])
    func badDocumentsNameThePath(document: String, expected: String) {
        do {
            _ = try ControlsJSON.decode(Data(document.utf8))
            Issue.record("accepted \(document)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func expressionSizeAndNames() throws {
        let c = Controls(expression: .values([1, 2, 3]))
        #expect(throws: ControlsError.invalid(path: "expression", reason: "3 values, model has 64")) {
            try c.expressionVector(dimension: 64, names: nil)
        }
        let named = Controls(expression: .named(["smile_left": 0.5]))
        #expect(try named.expressionVector(dimension: 2, names: ["jaw_open", "smile_left"]) == [0, 0.5])
        #expect(throws: ControlsError.self) { try named.expressionVector(dimension: 2, names: nil) }
        let numbered = Controls(expression: .named(["e01": 0.25]))
        #expect(try numbered.expressionVector(dimension: 3, names: nil) == [0, 0.25, 0])
        #expect(try Controls().expressionVector(dimension: 2, names: nil) == [0, 0])
    }
}
