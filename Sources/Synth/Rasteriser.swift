import Geometry
import ModelIO

/// Triangles to draw: world-space vertices, indices and one colour per triangle (linear RGB in [0, 1]).
public struct RasterMesh: Sendable {
    public var vertices: [SIMD3<Float>]
    public var triangles: [SIMD3<Int32>]
    public var colours: [SIMD3<Float>]

    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>], colours: [SIMD3<Float>]) {
        precondition(colours.count == triangles.count, "RasterMesh: \(colours.count) colours for \(triangles.count) triangles")
        self.vertices = vertices; self.triangles = triangles; self.colours = colours
    }

    /// One colour for every triangle.
    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>], colour: SIMD3<Float>) {
        self.init(vertices: vertices, triangles: triangles, colours: Array(repeating: colour, count: triangles.count))
    }
}

/// How triangles are lit: `colour · (ambient + diffuse · max(0, n·l) + rim · (1 − |n·v|)²)` with `l` the
/// unit direction towards the light (world space), `n` the normal turned towards the camera and `v` the unit
/// direction to the camera (the rim term brightens silhouettes, as a soft light from behind does).
public struct RasterShading: Sendable, Equatable {
    public enum Normals: Sendable, Equatable {
        /// One normal per triangle (faceted).
        case flat
        /// Area-weighted vertex normals interpolated across the triangle (Lambert, smooth).
        case smooth
    }
    public var normals: Normals
    public var lightDirection: SIMD3<Float>
    public var ambient: Float
    public var diffuse: Float
    public var rim: Float

    public init(normals: Normals = .smooth, lightDirection: SIMD3<Float> = SIMD3(0.35, 0.5, 1), ambient: Float = 0.3,
                diffuse: Float = 0.7, rim: Float = 0) {
        let l = lightDirection
        self.normals = normals
        self.lightDirection = l / (l * l).sum().squareRoot()
        self.ambient = ambient; self.diffuse = diffuse; self.rim = rim
    }

    /// Unlit: the triangle colours as they are.
    public static let unlit = RasterShading(normals: .flat, ambient: 1, diffuse: 0)
}

/// A z-buffer triangle rasteriser: colour, depth (distance along the viewing axis) and a per-pixel label
/// (which draw call, e.g. body or face, covers the pixel), for images seen through a `RasterCamera`.
///
/// Triangles are filled where the pixel centre is inside (edge functions, top-left rule not needed as
/// depth decides shared edges), depth interpolated as `1/z` (perspective-correct). Triangles with a vertex
/// behind the camera are skipped. The buffers are allocated once; `draw` allocates only the projected
/// vertices of the mesh.
public struct Rasteriser: Sendable {
    public let size: Int
    /// Colour per pixel, row-major from the top row, linear RGB.
    public private(set) var colour: [SIMD3<Float>]
    /// Depth per pixel (`.infinity` where nothing was drawn).
    public private(set) var depth: [Float]
    /// The label of the draw call that wrote each pixel (0 = background).
    public private(set) var labels: [UInt16]
    public let background: SIMD3<Float>

    public init(size: Int, background: SIMD3<Float> = SIMD3(1, 1, 1)) {
        precondition(size >= 2, "Rasteriser: size \(size) < 2")
        self.size = size
        self.background = background
        colour = Array(repeating: background, count: size * size)
        depth = Array(repeating: .infinity, count: size * size)
        labels = Array(repeating: 0, count: size * size)
    }

    /// Resets every pixel to the background.
    public mutating func clear() {
        for i in 0..<colour.count { colour[i] = background; depth[i] = .infinity; labels[i] = 0 }
    }

    /// Draws `mesh` through `camera` (whose size must equal this rasteriser's) with `shading`; pixels it
    /// wins get `label`.
    public mutating func draw(_ mesh: RasterMesh, camera: RasterCamera, shading: RasterShading = RasterShading(),
                              label: UInt16 = 1) {
        precondition(camera.size == size, "Rasteriser: camera size \(camera.size), image size \(size)")
        let projected = mesh.vertices.map { camera.project($0) }
        var vertexNormals: [SIMD3<Float>] = []
        if shading.normals == .smooth {
            vertexNormals = Array(repeating: .zero, count: mesh.vertices.count)
            for t in mesh.triangles {
                let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
                let n = CameraFrame.cross(b - a, c - a)
                vertexNormals[Int(t.x)] += n; vertexNormals[Int(t.y)] += n; vertexNormals[Int(t.z)] += n
            }
            vertexNormals = vertexNormals.map { n in
                let l = (n * n).sum().squareRoot()
                return l > 0 ? n / l : n
            }
        }
        let eye = camera.frame.origin + camera.frame.sampleOffset
        let light = shading.lightDirection
        func lit(_ n: SIMD3<Float>, toward view: SIMD3<Float>) -> Float {
            let facing = (n * view).sum() > 0 ? -n : n
            var value = shading.ambient + shading.diffuse * max(0, (facing * light).sum())
            if shading.rim > 0 {
                let cosine = abs((n * view).sum()) / max((n * n).sum().squareRoot() * (view * view).sum().squareRoot(), 1e-12)
                value += shading.rim * (1 - cosine) * (1 - cosine)
            }
            return value
        }
        let limit = Float(size - 1)
        for (k, t) in mesh.triangles.enumerated() {
            let i0 = Int(t.x), i1 = Int(t.y), i2 = Int(t.z)
            let p0 = projected[i0], p1 = projected[i1], p2 = projected[i2]
            guard p0.z > 0, p1.z > 0, p2.z > 0 else { continue }
            let area = (p1.x - p0.x) * (p2.y - p0.y) - (p1.y - p0.y) * (p2.x - p0.x)
            guard area != 0, area.isFinite else { continue }
            let minX = max(0, Int(min(p0.x, p1.x, p2.x).rounded(.up))), maxX = min(size - 1, Int(min(max(p0.x, p1.x, p2.x), limit).rounded(.down)))
            let minY = max(0, Int(min(p0.y, p1.y, p2.y).rounded(.up))), maxY = min(size - 1, Int(min(max(p0.y, p1.y, p2.y), limit).rounded(.down)))
            guard minX <= maxX, minY <= maxY else { continue }
            let w0 = mesh.vertices[i0], w1 = mesh.vertices[i1], w2 = mesh.vertices[i2]
            let view = (w0 + w1 + w2) / 3 - eye
            let base = mesh.colours[k]
            let flatLight = lit(CameraFrame.cross(w1 - w0, w2 - w0), toward: view)
            let inverse = 1 / area
            let z0 = 1 / p0.z, z1 = 1 / p1.z, z2 = 1 / p2.z
            for y in minY...maxY {
                let py = Float(y)
                for x in minX...maxX {
                    let px = Float(x)
                    // Barycentric weights from edge functions (signed by the triangle's orientation).
                    let b0 = ((p1.x - px) * (p2.y - py) - (p1.y - py) * (p2.x - px)) * inverse
                    let b1 = ((p2.x - px) * (p0.y - py) - (p2.y - py) * (p0.x - px)) * inverse
                    let b2 = 1 - b0 - b1
                    guard b0 >= 0, b1 >= 0, b2 >= 0 else { continue }
                    let invZ = b0 * z0 + b1 * z1 + b2 * z2
                    let d = 1 / invZ
                    let pixel = y * size + x
                    guard d < depth[pixel] else { continue }
                    depth[pixel] = d
                    labels[pixel] = label
                    var light = flatLight
                    if shading.normals == .smooth {
                        // Perspective-correct normal interpolation.
                        let c0 = b0 * z0 * d, c1 = b1 * z1 * d, c2 = b2 * z2 * d
                        let n = vertexNormals[i0] * c0 + vertexNormals[i1] * c1 + vertexNormals[i2] * c2
                        light = lit(n, toward: view)
                    }
                    colour[pixel] = base * light
                }
            }
        }
    }

    /// The colour buffer as an 8-bit image (clamped, rounded).
    public func image() -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for (i, c) in colour.enumerated() {
            for k in 0..<3 { pixels[3 * i + k] = UInt8((min(max(c[k], 0), 1) * 255).rounded()) }
        }
        return RGBImage(width: size, height: size, pixels: pixels) ?? RGBImage(width: size, height: size)
    }
}
