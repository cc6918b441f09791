import Body
import Geometry
import ModelIO
import Testing
@testable import Synth

/// The z-buffer rasteriser and its camera.
@Suite struct RasteriserTests {
    @Test func projectionAgreesWithTheGeneratorsRays() {
        let camera = RasterCamera.portrait(angles: CameraAngles(relativeYawDegrees: 20, relativePitchDegrees: -10), size: 32)
        let rays = PortraitCamera.release.rays(resolution: 32, samples: 4)
        for (row, col) in [(0, 0), (5, 17), (31, 31), (16, 3)] {
            let p = row * 32 + col
            let world = camera.frame.worldPoint(rays.cameraPoint(ray: p, sample: 2))
            let q = camera.project(world)
            #expect(abs(q.x - Float(col)) < 1e-3 && abs(q.y - Float(row)) < 1e-3)
            #expect(abs(q.z - rays.depths[2] * -rays.directions[p].z) < 1e-4)
        }
    }

    /// A square of two triangles at `z` (rendering space, facing the frontal camera).
    func square(z: Float, half: Float, colour: SIMD3<Float>) -> RasterMesh {
        let v: [SIMD3<Float>] = [SIMD3(-half, -half, z), SIMD3(half, -half, z), SIMD3(half, half, z), SIMD3(-half, half, z)]
        return RasterMesh(vertices: v, triangles: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)], colour: colour)
    }

    @Test func nearerTrianglesWinWhateverTheOrder() {
        let camera = RasterCamera(frame: CameraFrame.lookingAtOrigin(from: SIMD3(0, 0, 2)), fovDegrees: 30, size: 64)
        for order in [false, true] {
            var r = Rasteriser(size: 64)
            let far = square(z: -0.1, half: 0.3, colour: SIMD3(1, 0, 0)), near = square(z: 0.1, half: 0.1, colour: SIMD3(0, 0, 1))
            if order {
                r.draw(near, camera: camera, shading: .unlit, label: 2); r.draw(far, camera: camera, shading: .unlit, label: 1)
            } else {
                r.draw(far, camera: camera, shading: .unlit, label: 1); r.draw(near, camera: camera, shading: .unlit, label: 2)
            }
            let centre = 32 * 64 + 32, edge = 32 * 64 + 18, corner = 0
            #expect(r.colour[centre] == SIMD3(0, 0, 1) && r.labels[centre] == 2 && abs(r.depth[centre] - 1.9) < 1e-4)
            #expect(r.colour[edge] == SIMD3(1, 0, 0) && r.labels[edge] == 1 && abs(r.depth[edge] - 2.1) < 1e-4)
            #expect(r.labels[corner] == 0 && r.depth[corner] == .infinity && r.colour[corner] == SIMD3(1, 1, 1))
            // The squares' silhouettes: 0.3 at distance 2.1 over tan(15°)·2.1 = 0.5627 half-width -> 34 of 63 px.
            let redColumns = (0..<64).filter { r.labels[32 * 64 + $0] != 0 }.count
            #expect(abs(redColumns - 34) <= 1)
        }
    }

    @Test func lambertShadingDarkensSurfacesTurnedFromTheLight() {
        let camera = RasterCamera(frame: CameraFrame.lookingAtOrigin(from: SIMD3(0, 0, 2)), fovDegrees: 30, size: 16)
        var r = Rasteriser(size: 16)
        r.draw(square(z: 0, half: 0.5, colour: SIMD3(1, 1, 1)), camera: camera,
               shading: RasterShading(normals: .flat, lightDirection: SIMD3(0, 0, 1), ambient: 0.2, diffuse: 0.8))
        #expect(abs(r.colour[8 * 16 + 8].x - 1) < 1e-5)
        var s = Rasteriser(size: 16)
        s.draw(square(z: 0, half: 0.5, colour: SIMD3(1, 1, 1)), camera: camera,
               shading: RasterShading(normals: .smooth, lightDirection: SIMD3(1, 0, 1), ambient: 0.2, diffuse: 0.8))
        #expect(abs(s.colour[8 * 16 + 8].x - (0.2 + 0.8 * 0.70710677)) < 1e-4)
        #expect(s.image().pixels.count == 16 * 16 * 3)
    }

    @Test func theBuiltinFigureFillsThePortrait() throws {
        let figure = BuiltinFigure(body: try BuiltinBody(), face: FaceModel())
        let posed = try figure.pose(betas: Array(repeating: 0, count: 10), eulers: Array(repeating: .zero, count: 6))
        var r = Rasteriser(size: 64)
        let meshes = figure.meshes(posed)
        let camera = RasterCamera.portrait(size: 64)
        r.draw(meshes.body, camera: camera, label: 1)
        r.draw(meshes.face, camera: camera, label: 2)
        // Face in the middle, body at the bottom corners, sky at the top corners.
        #expect(r.labels[32 * 64 + 32] == 2)
        #expect(r.labels[63 * 64 + 2] == 1 && r.labels[63 * 64 + 61] == 1)
        #expect(r.labels[0] == 0 && r.labels[63] == 0)
        let faceRows = (0..<64).filter { row in (0..<64).contains { r.labels[row * 64 + $0] == 2 } }
        #expect((20...40).contains(faceRows.count))
        // The face's landmarks project into the face's pixels.
        let nose = camera.project(posed.toRenderingSpace(posed.landmarks[30]))
        #expect(r.labels[Int(nose.y.rounded()) * 64 + Int(nose.x.rounded())] == 2)
    }

    @Test func contactSheetLaysOutTilesWithCaptions() {
        let tile = RGBImage(width: 20, height: 10, fill: (0, 0, 0))
        let sheet = ContactSheet.compose([(tile, "a"), (tile, "b"), (tile, "c")], columns: 2, gap: 2, scale: 1)
        #expect(sheet.width == 2 * 20 + 3 * 2 && sheet.height == 2 * 10 + 3 * 2)
        // Caption box (light) over the tile's corner, black elsewhere in the tile, white gaps.
        #expect(sheet.pixels[3 * (3 * sheet.width + 3)] == 240 || sheet.pixels[3 * (3 * sheet.width + 3)] == 40)
        #expect(sheet.pixels[3 * (8 * sheet.width + 18)] == 0)
        #expect(sheet.pixels[0] == 255)
        #expect(ContactSheet.glyphRows.values.allSatisfy { $0.count == 5 && $0.allSatisfy { $0.count == 3 } })
    }
}
