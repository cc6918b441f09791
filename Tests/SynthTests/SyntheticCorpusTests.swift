import Foundation
import Geometry
import ModelIO
import Testing
@testable import Synth

/// The synthetic corpus: determinism, label truth (landmarks where the image shows them), face-crop
/// alignment, and the command's bad-input paths through the library.
@Suite(.serialized) struct SyntheticCorpusTests {
    static let renderer = Result { try SyntheticPortraitRenderer(size: 96, faceSize: 64) }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let renderer = try Self.renderer.get()
        var folders: [String] = []
        defer { for f in folders { try? FileManager.default.removeItem(atPath: f) } }
        for _ in 0..<2 {
            let output = try CorpusOutput.prepare(path: CorpusFolderTests.temporaryPath(), force: false)
            folders.append(output.folder.path)
            try CorpusBuilder(renderer: renderer, seed: 11).build(count: 5, into: output)
            #expect(try output.folder.check() == 5)
        }
        let names = [CorpusFolder.metaName, CorpusFolder.labelsName, CorpusFolder.contactSheetName]
            + (0..<5).flatMap { [CorpusFolder.portraitName($0), CorpusFolder.faceName($0)] }
        for name in names {
            let a = FileManager.default.contents(atPath: CorpusFolder(path: folders[0]).file(name))
            let b = FileManager.default.contents(atPath: CorpusFolder(path: folders[1]).file(name))
            #expect(a != nil && a == b, "\(name) differs between two runs with the same seed")
        }
        let other = CorpusBuilder(renderer: renderer, seed: 12).draw(0).0
        #expect(other != CorpusBuilder(renderer: renderer, seed: 11).draw(0).0)
    }

    /// An independent pinhole projection (camera looks along −z, border pixel centres at the image-plane
    /// edge), in pixels with centres at +0.5.
    static func project(_ p: SIMD3<Float>, frame: CameraFrame, fov: Double, size: Int) -> (SIMD2<Double>, Double) {
        let d = SIMD3<Double>(p - frame.origin - frame.sampleOffset)
        let r = frame.rotation
        // camera coordinates: Rᵀ d
        let c = SIMD3<Double>((0..<3).map { i in (0..<3).reduce(0.0) { $0 + Double(r[$1, i]) * d[$1] } })
        let t = tan(fov * Double.pi / 360)
        let u = c.x / -c.z / t, v = c.y / -c.z / t
        let half = Double(size - 1) / 2
        return (SIMD2((u + 1) * half + 0.5, (1 - v) * half + 0.5), -c.z)
    }

    /// The labelled 2-D landmarks are the labelled 3-D landmarks seen by the labelled cameras, and where a
    /// landmark faces the camera the image's z-buffer holds the face at that depth.
    @Test func landmarksAreWhereTheImageShowsThem() throws {
        let renderer = try Self.renderer.get()
        let builder = CorpusBuilder(renderer: renderer, seed: 3)
        var visibleChecked = 0
        for index in 0..<6 {
            let (labels, appearance) = builder.draw(index)
            let portrait = try renderer.render(labels, appearance: appearance)
            let degrees = Double.pi / 180
            let eulers = labels.joints.map { SIMD3(Float($0[0] * degrees), Float($0[1] * degrees), Float($0[2] * degrees)) }
            let posed = try renderer.figure.pose(betas: labels.shape.map { Float($0) }, eulers: eulers,
                                                 identity: labels.identity.map { Float($0) },
                                                 expression: labels.expression.map { Float($0) })
            let space = posed.normalised
            let frame = PortraitCamera.release.frame(CameraAngles(relativeYawDegrees: labels.cameraYaw,
                                                                  relativePitchDegrees: labels.cameraPitch))
            var raster = Rasteriser(size: renderer.size)
            let camera = RasterCamera(frame: frame, fovDegrees: PortraitCamera.release.fovDegrees, size: renderer.size)
            for mesh in renderer.meshes(space: space, appearance: appearance) { raster.draw(mesh, camera: camera) }
            for (k, landmark) in space.landmarks.enumerated() {
                let (expected, depth) = Self.project(landmark, frame: frame, fov: PortraitCamera.release.fovDegrees, size: renderer.size)
                let labelled = portrait.portraitLandmarks[k]
                #expect(abs(labelled.x - expected.x) < 1e-3 && abs(labelled.y - expected.y) < 1e-3,
                        "image \(index) landmark \(k): labelled \(labelled), projected \(expected)")
                let column = Int(expected.x), row = Int(expected.y)
                guard (0..<renderer.size).contains(column), (0..<renderer.size).contains(row) else { continue }
                let seen = Double(raster.depth[row * renderer.size + column])
                if abs(seen - depth) < 0.01 { visibleChecked += 1 }
            }
        }
        // Most landmarks face the camera in near-frontal portraits; the ones hidden (a turned head, hair)
        // may not match, but the bulk must sit on the surface the image shows.
        #expect(visibleChecked > 6 * 68 * 3 / 4, "only \(visibleChecked) of \(6 * 68) landmarks on the visible surface")
    }

    /// Frontal face crops of the mean face put the landmarks in one layout whatever the pose and camera.
    @Test func frontalFaceCropsAreAligned() throws {
        let renderer = try Self.renderer.get()
        let builder = CorpusBuilder(renderer: renderer, seed: 5)
        var layouts: [[SIMD2<Double>]] = []
        for index in 0..<5 {
            var (labels, appearance) = builder.draw(index)
            labels.faceYaw = 0
            labels.facePitch = 0
            labels.identity = labels.identity.map { _ in 0 }
            labels.shape = labels.shape.map { _ in 0 }
            labels.expression = labels.expression.map { _ in 0 }
            layouts.append(try renderer.render(labels, appearance: appearance).faceLandmarks)
        }
        for layout in layouts.dropFirst() {
            let worst = zip(layout, layouts[0]).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
            #expect(worst < 0.05, "face landmarks move by \(worst) px between poses")
        }
        // The layout is centred: the landmarks' centroid near the image centre.
        let centroid = layouts[0].reduce(SIMD2<Double>(0, 0), +) / Double(layouts[0].count)
        #expect(abs(centroid.x - 32) < 4 && abs(centroid.y - 32) < 8, "centroid \(centroid)")
    }

    @Test func absurdSizesAreRefused() {
        #expect(throws: SynthError.self) { try SyntheticPortraitRenderer(size: 4, faceSize: 64) }
        #expect(throws: SynthError.self) { try SyntheticPortraitRenderer(size: 64, faceSize: 100_000) }
    }
}
