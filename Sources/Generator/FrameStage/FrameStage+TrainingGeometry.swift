import Body
import Geometry
import Numerics

// Public entry points to the frame stage's constant geometry (SPEC F1, F2, F4) for the differentiable
// forward of the Training module, which keeps the rays, the posed body and the nearest-vertex search as
// constants and differentiates from the pose smoother on. Thin wrappers: the same code as `render`.
extension FrameStage {
    /// The sample points `Xw` `[n², D, 3]` of a ray grid seen from a camera frame (SPEC F1, F2; ray
    /// `p = row·n + col`, samples near to far, the frame's sample offset included).
    public static func targetPoints(grid: RayGrid, frame: CameraFrame) -> Tensor {
        samplePoints(grid: grid, frame: frame)
    }

    /// The nearest-vertex volume of SPEC F4/F5 for the target points `[n², D, 3]` of an `n × n` ray grid
    /// with `samples` samples: `Vol[4·r + c, e, a, b] = Tinv[nn(a, b, e)][r][c]` for the first `rows`
    /// matrix rows (3: the rows F6 reads), shape `[4·rows, D/2, n/2, n/2]`.
    public static func inverseTransformVolume(target: Tensor, rays: Int, samples: Int, posed: PosedBody,
                                              rows: Int = 3) throws -> Tensor {
        let search = try NearestVertexSearch(points: posed.validVertices)
        return nearestTransforms(target: target, rays: rays, samples: samples, stride: 2, search: search,
                                 inverses: posed.inverseTransforms, rows: rows).volume
    }
}
