import Foundation
import Testing
@testable import Body

/// The built-in morphable face: basis, expressions, landmarks and the displacement function.
@Suite struct BuiltinFaceTests {
    static let shared = FaceModel()
    var face: FaceModel { Self.shared }

    func length(_ v: SIMD3<Float>) -> Float { (v * v).sum().squareRoot() }

    @Test func meshAndSizes() {
        #expect((5000...15000).contains(face.vertexCount))
        #expect(face.triangles.count == face.triangleRegions.count)
        #expect(face.identityBasis.count == 80 && face.identityScales.count == 80)
        #expect(face.expressionBasis.count == 16 && FaceModel.expressionNames.count == 16)
        #expect(FaceModel.expressionNames == ["jaw_open", "smile_left", "smile_right", "frown", "brow_raise_left",
                                             "brow_raise_right", "brow_lower", "blink_left", "blink_right", "lip_pucker",
                                             "lips_part", "mouth_left", "mouth_right", "cheek_puff", "nose_wrinkle", "eyes_wide"])
        for region in FaceRegion.allCases { #expect(face.triangleRegions.contains(region), "no \(region) triangles") }
        // About a face's size: 14-16 cm wide, 19-21 cm tall, nose tip in front.
        let xs = face.meanVertices.map(\.x), ys = face.meanVertices.map(\.y)
        #expect((0.14...0.16).contains((xs.max() ?? 0) - (xs.min() ?? 0)))
        #expect((0.18...0.21).contains((ys.max() ?? 0) - (ys.min() ?? 0)))
        let tip = face.meanVertices[face.landmarkVertices[30]]
        #expect((face.meanVertices.map(\.z).max() ?? 0) - tip.z < 0.002)
    }

    @Test func identityBasisIsOrthonormal() {
        let b = face.identityBasis
        for i in 0..<b.count {
            for j in i..<b.count {
                var dot: Double = 0
                for k in b[i].indices { dot += Double(b[i][k]) * Double(b[j][k]) }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-4, "basis \(i)·\(j) = \(dot)")
            }
        }
        // The first direction widens the face: landmarks 0 and 16 move apart.
        let wide = face.landmarks(of: face.vertices(identity: [2]))
        let mean = face.landmarks(of: face.meanVertices)
        #expect((wide[16].x - wide[0].x) - (mean[16].x - mean[0].x) > 0.005)
    }

    @Test func landmarksLieOnTheMeshInTheUsualOrder() {
        let l = face.landmarks(of: face.meanVertices)
        #expect(l.count == 68)
        let onMesh = Set(face.triangles.flatMap { [Int($0.x), Int($0.y), Int($0.z)] })
        #expect(face.landmarkVertices.allSatisfy { onMesh.contains($0) })
        // Every landmark is within 1 mm (in x, y) of its design target.
        for (k, t) in FaceLandmarks.targets.enumerated() {
            #expect(abs(Double(l[k].x) - t.x) < 1e-3 && abs(Double(l[k].y) - t.y) < 1e-3, "landmark \(k)")
        }
        // iBUG layout: jaw from image left (−x) to image right, chin lowest; brows above eyes above nose tip
        // above the mouth; right eye (36-41) at −x.
        #expect(l[0].x < l[8].x && l[8].x < l[16].x && l[8].y < l[4].y && l[8].y < l[12].y)
        #expect(l[19].y > l[37].y && l[37].y > l[30].y && l[30].y > l[51].y && l[51].y > l[57].y)
        #expect(l[36].x < l[39].x && l[39].x < l[42].x && l[42].x < l[45].x && l[36].x < 0)
        #expect(l[48].x < l[54].x && abs(l[62].y - l[66].y) < 0.002)
    }

    /// Each expression moves the landmarks of the region it names and leaves the named others alone.
    @Test(arguments: [
        ("jaw_open", [7, 8, 9, 57, 66], [36, 39, 42, 45, 19, 24, 30]),
        ("smile_left", [54], [48, 36, 39, 19]),
        ("smile_right", [48], [54, 42, 45, 24]),
        ("frown", [48, 54], [19, 24, 37, 44]),
        ("brow_raise_left", [23, 24, 25], [18, 19, 20, 37, 44]),
        ("brow_raise_right", [18, 19, 20], [23, 24, 25, 37, 44]),
        ("brow_lower", [19, 24], [37, 44, 30, 8]),
        ("blink_left", [43, 44], [37, 38, 19, 24, 30]),
        ("blink_right", [37, 38], [43, 44, 19, 24, 30]),
        ("lip_pucker", [48, 54, 51, 57], [36, 45, 8, 19]),
        ("lips_part", [57, 66], [8, 37, 44, 30]),
        ("mouth_left", [48, 54, 51], [37, 44, 19, 0]),
        ("mouth_right", [48, 54, 51], [37, 44, 24, 16]),
        ("cheek_puff", [3, 13], [37, 44, 19, 24, 62]),
        ("nose_wrinkle", [29, 30], [8, 36, 45, 57]),
        ("eyes_wide", [37, 38, 43, 44], [19, 24, 30, 51]),
    ])
    func expressionIsLocal(name: String, moving: [Int], still: [Int]) throws {
        let k = try #require(FaceModel.expressionNames.firstIndex(of: name))
        var coefficients = [Float](repeating: 0, count: 16)
        coefficients[k] = 1
        let before = face.landmarks(of: face.meanVertices)
        let after = face.landmarks(of: face.vertices(expression: coefficients))
        for m in moving { #expect(length(after[m] - before[m]) > 0.0015, "\(name): landmark \(m) should move") }
        for s in still { #expect(length(after[s] - before[s]) < 0.0003, "\(name): landmark \(s) should stay") }
        // The largest vertex displacement is a few millimetres to 2 cm: plausible.
        let largest = face.expressionBasis[k].indices.filter { $0 % 3 == 0 }.map {
            length(SIMD3(face.expressionBasis[k][$0], face.expressionBasis[k][$0 + 1], face.expressionBasis[k][$0 + 2]))
        }.max() ?? 0
        #expect(largest > 0.002 && largest < 0.025)
    }

    @Test func jawOpenMovesTheChinDownNotTheEyes() {
        var c = [Float](repeating: 0, count: 16)
        c[0] = 1
        let before = face.landmarks(of: face.meanVertices), after = face.landmarks(of: face.vertices(expression: c))
        #expect(after[8].y < before[8].y - 0.01)
        for e in 36...47 { #expect(after[e] == before[e]) }
    }

    @Test func displacementFunctionMatchesTheBlendshapesAndFadesAway() {
        var c = [Float](repeating: 0, count: 16)
        c[0] = 0.7; c[7] = 1; c[13] = 0.4
        let moved = face.vertices(expression: c)
        for v in stride(from: 0, to: face.vertexCount, by: 37) {
            let d = face.expressionDisplacement(at: face.meanVertices[v], coefficients: c)
            #expect(length(d - (moved[v] - face.meanVertices[v])) < 1e-6)
        }
        let chin = face.meanVertices[face.landmarkVertices[8]]
        #expect(length(face.expressionDisplacement(at: chin + SIMD3(0, 0, 0.004), coefficients: c)) > 0.005)
        #expect(face.expressionDisplacement(at: chin + SIMD3(0, 0, -0.05), coefficients: c) == .zero)
        #expect(face.expressionDisplacement(at: SIMD3(0.2, 0, 0), coefficients: c) == .zero)
    }
}
