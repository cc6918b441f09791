import Body
import Foundation
import Generator
import Geometry
import ModelIO

/// Draws labelled portraits of the built-in figure: the portrait-camera image, the face-camera crop and
/// the 68 landmarks projected into both, on a white background.
///
/// Images are rasterised at twice the size and averaged 2x2. The supersampled camera is widened so that
/// each output pixel's centre sees exactly the ray the generator's pixel sees (border pixel centres at the
/// image-plane edge, SPEC F1); landmarks are projected with that convention.
public struct SyntheticPortraitRenderer: Sendable {
    /// Version of the drawing rules; part of a corpus's `meta.json` and the `synthetic` model's identity.
    public static let version = "1"

    public let figure: BuiltinFigure
    let renderingBody: RenderingBody
    let styling: FigureStyling
    public let size: Int
    public let faceSize: Int

    /// A portrait of one person: the images and where the landmarks fall in them.
    public struct Portrait: Sendable {
        public var portrait: RGBImage
        public var face: RGBImage
        /// `[68]` pixel positions (x right, y down; pixel centres at +0.5).
        public var portraitLandmarks: [SIMD2<Double>]
        public var faceLandmarks: [SIMD2<Double>]
    }

    public init(size: Int, faceSize: Int) throws {
        guard (16...2048).contains(size), (16...2048).contains(faceSize) else {
            throw SynthError.invalid("image sizes must be within 16...2048 pixels (got \(size) and \(faceSize))")
        }
        let body = try BuiltinBody()
        figure = BuiltinFigure(body: body, face: FaceModel())
        renderingBody = try RenderingBody(model: body.model, validVertexIndices: body.knnIndex)
        styling = FigureStyling(body: body)
        self.size = size
        self.faceSize = faceSize
    }

    /// Lambert from the upper left front, ambient, and a soft rim light.
    static let shading = RasterShading(normals: .smooth, lightDirection: SIMD3(0.35, 0.5, 1), ambient: 0.32, diffuse: 0.62, rim: 0.25)

    /// Which camera looks at the figure.
    public enum View: Sendable { case portrait, face }

    /// One posed, dressed figure in the rendering space, ready to be seen by either camera.
    public struct Scene: Sendable {
        let meshes: [RasterMesh]
        /// The 68 landmarks in the rendering space.
        public let landmarks: [SIMD3<Float>]
        /// The head joint's canonical → target transform (places the face camera).
        public let head: RigidTransform
    }

    /// One view of a scene: linear colour and depth per pixel, and the landmarks' pixel positions.
    public struct Rendering: Sendable {
        public let size: Int
        /// Colour per pixel, row-major from the top, RGB in [0, 1].
        public let colour: [SIMD3<Float>]
        /// Distance from the camera origin `o` (without the portrait camera's sample offset, as the generator's
        /// depth) per pixel (rendering-space units), NaN where nothing is drawn.
        public let depth: [Float]
        /// `[68]` pixel positions (x right, y down; pixel centres at +0.5).
        public let landmarks: [SIMD2<Double>]

        /// The colour as 8-bit RGB.
        public var image: RGBImage {
            var pixels = [UInt8](repeating: 255, count: size * size * 3)
            for (i, c) in colour.enumerated() {
                for k in 0..<3 { pixels[3 * i + k] = UInt8((min(max(c[k], 0), 1) * 255).rounded()) }
            }
            return RGBImage(width: size, height: size, pixels: pixels) ?? RGBImage(width: size, height: size)
        }
    }

    /// Poses and dresses the figure of `labels` (shape, identity, expression, joints).
    public func scene(_ labels: PortraitLabels, appearance: Appearance) throws -> Scene {
        let degrees = Double.pi / 180
        let eulers = labels.joints.map { j in SIMD3(Float(j[0] * degrees), Float(j[1] * degrees), Float(j[2] * degrees)) }
        let betas = labels.shape.map { Float($0) }
        let posed = try figure.pose(betas: betas, eulers: eulers, identity: labels.identity.map { Float($0) },
                                    expression: labels.expression.map { Float($0) })
        let head = try renderingBody.pose(betas: betas, eulers: eulers).headTransform
        let space = posed.normalised
        return Scene(meshes: meshes(space: space, appearance: appearance), landmarks: space.landmarks, head: head)
    }

    /// Draws `scene` from the portrait camera at (yaw, pitch) relative to frontal, or from the face camera at
    /// (yaw, pitch) relative to the posed head, at `size`² pixels (2x2 supersampled).
    public func draw(_ scene: Scene, view: View, yaw: Double, pitch: Double, size: Int) -> Rendering {
        let angles = CameraAngles(relativeYawDegrees: yaw, relativePitchDegrees: pitch)
        let frame: CameraFrame, fov: Double
        switch view {
        case .portrait:
            frame = PortraitCamera.release.frame(angles)
            fov = PortraitCamera.release.fovDegrees
        case .face:
            frame = FaceCamera.standard.frame(angles, head: scene.head)
            fov = FaceCamera.standard.fovDegrees
        }
        let camera = RasterCamera(frame: frame, fovDegrees: fov, size: size)
        var raster = Rasteriser(size: 2 * size)
        let supersampled = RasterCamera(frame: frame, fovDegrees: Self.supersampledFov(fov, size: size), size: 2 * size)
        for (label, mesh) in scene.meshes.enumerated() {
            raster.draw(mesh, camera: supersampled, shading: Self.shading, label: UInt16(label + 1))
        }
        let landmarks = scene.landmarks.map { p -> SIMD2<Double> in
            let q = camera.project(p)
            return SIMD2(Double(q.x) + 0.5, Double(q.y) + 0.5)
        }
        let (colour, depth) = Self.downsample(raster, halfTan: tan(fov * Double.pi / 360),
                                              sampleOffset: camera.toCamera * frame.sampleOffset)
        return Rendering(size: size, colour: colour, depth: depth, landmarks: landmarks)
    }

    /// Renders `labels` with `appearance`: the portrait and the face crop, as the corpus stores them.
    public func render(_ labels: PortraitLabels, appearance: Appearance) throws -> Portrait {
        let scene = try scene(labels, appearance: appearance)
        let portrait = draw(scene, view: .portrait, yaw: labels.cameraYaw, pitch: labels.cameraPitch, size: size)
        let face = draw(scene, view: .face, yaw: labels.faceYaw, pitch: labels.facePitch, size: faceSize)
        return Portrait(portrait: portrait.image, face: face.image, portraitLandmarks: portrait.landmarks,
                        faceLandmarks: face.landmarks)
    }

    /// Body (skin and clothes), hair, face; rendering-space vertices.
    func meshes(space: (body: [SIMD3<Float>], face: [SIMD3<Float>], joints: [SIMD3<Float>], landmarks: [SIMD3<Float>]),
                appearance: Appearance) -> [RasterMesh] {
        let body = figure.body
        let clothed = styling.clothed[appearance.neckline] ?? []
        let bodyColours = body.triangles.indices.map { clothed[$0] ? appearance.clothing : appearance.skin }
        let bodyMesh = RasterMesh(vertices: space.body, triangles: body.triangles, colours: bodyColours)

        // Hair: the body surface pushed out along its posed vertex normals.
        let thickness = styling.hairThickness[appearance.hairStyle] ?? []
        let triangles = styling.hairTriangles[appearance.hairStyle] ?? []
        var normals = [SIMD3<Float>](repeating: .zero, count: space.body.count)
        for t in body.triangles {
            let a = space.body[Int(t.x)], b = space.body[Int(t.y)], c = space.body[Int(t.z)]
            let n = CameraFrame.cross(b - a, c - a)
            normals[Int(t.x)] += n; normals[Int(t.y)] += n; normals[Int(t.z)] += n
        }
        let metresToSpace = 1 / (figure.normalisation.scale * figure.normalisation.faceRadius)
        let hairVertices = space.body.indices.map { v -> SIMD3<Float> in
            guard thickness[v] > 0 else { return space.body[v] }
            let n = normals[v], length = (n * n).sum().squareRoot()
            return length > 0 ? space.body[v] + n / length * (thickness[v] * metresToSpace) : space.body[v]
        }
        let hairColours = triangles.indices.map { k -> SIMD3<Float> in
            // A little per-triangle variation reads as strands.
            let h = UInt32(truncatingIfNeeded: k &* 2_654_435_761) >> 24
            return appearance.hair * (0.85 + 0.3 * Float(h) / 255)
        }
        let hairMesh = RasterMesh(vertices: hairVertices, triangles: triangles, colours: hairColours)

        let face = figure.face
        let faceColours = face.triangleRegions.map { region -> SIMD3<Float> in
            region == .brow ? appearance.hair * 0.7 + SIMD3(repeating: 0.03) : BuiltinFigure.colour(of: region, skin: appearance.skin)
        }
        let faceMesh = RasterMesh(vertices: space.face, triangles: face.triangles, colours: faceColours)
        return [bodyMesh, hairMesh, faceMesh]
    }

    /// The fov whose `2·size` pixel grid, averaged 2x2, has its output pixel centres on the rays of a
    /// `size` grid with `fov` (border centres at the image-plane edge).
    static func supersampledFov(_ fov: Double, size: Int) -> Double {
        let widen = 1 + 0.5 / Double(size - 1)
        return 2 * atan(tan(fov * Double.pi / 360) * widen) * 180 / Double.pi
    }

    /// The 2x2 average of a rasteriser's colour, and the nearest depth of the 2x2 block turned from
    /// distance along the axis into distance from the camera origin (`halfTan`: tan of half the fov;
    /// `sampleOffset`: the camera's sample offset in camera coordinates, zero for the face camera).
    static func downsample(_ raster: Rasteriser, halfTan: Double, sampleOffset: SIMD3<Float>) -> ([SIMD3<Float>], [Float]) {
        let s = raster.size / 2, big = raster.size
        var colour = [SIMD3<Float>](repeating: .zero, count: s * s)
        var depth = [Float](repeating: .nan, count: s * s)
        let source = raster.colour, zBuffer = raster.depth
        let offset = SIMD3<Double>(sampleOffset), offsetSquared = (offset * offset).sum()
        for y in 0..<s {
            let v = 1 - 2 * Double(y) / Double(max(s - 1, 1))
            for x in 0..<s {
                let i = 2 * y * big + 2 * x
                colour[y * s + x] = (source[i] + source[i + 1] + source[i + big] + source[i + big + 1]) * 0.25
                let nearest = min(zBuffer[i], zBuffer[i + 1], zBuffer[i + big], zBuffer[i + big + 1])
                if nearest.isFinite {
                    let u = 2 * Double(x) / Double(max(s - 1, 1)) - 1
                    let stretch = (1 + (u * halfTan) * (u * halfTan) + (v * halfTan) * (v * halfTan)).squareRoot()
                    // Distance t along the ray from the sample origin `o + offset`, then from `o` itself (the
                    // generator's depth convention, SPEC §10.1 quirk 7): |offset + t·d|, d the unit ray.
                    let t = Double(nearest) * stretch
                    let along = (offset * SIMD3(u * halfTan, v * halfTan, -1)).sum() / stretch
                    depth[y * s + x] = Float((t * t + 2 * t * along + offsetSquared).squareRoot())
                }
            }
        }
        return (colour, depth)
    }
}
