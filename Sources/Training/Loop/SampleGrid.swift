import Foundation
import Generator
import ModelIO
import Numerics
import Synth

/// The sample grid of a run: fixed seeds (rows) × fixed control states (columns), rendered by the inference
/// path (`NeuralPortraitModel` over a bundle made from the generator's moving average), so it shows what an
/// exported model would show. Stage 1 shows the low-resolution image (the SR network is not trained yet),
/// enlarged; stage 2 the full image. ψ is 1 (as in training). With a `reference` model (the synthetic
/// renderer) each seed gets a second row: the reference's image of the same identity and shape codes and
/// controls (the supervised objective's target).
public enum SampleGrid {
    /// The seeds of the rows.
    public static let seeds: [UInt32] = [0, 1, 2, 3]

    /// The control states of the columns: frontal, camera left, camera right and up, expression, head turn
    /// and nod, shoulders.
    public static func columns() -> [(caption: String, controls: (Controls.Identity) -> Controls)] {
        func make(_ yaw: Double, _ pitch: Double, _ expression: [String: Double], _ joints: [[Double]]) -> (Controls.Identity) -> Controls {
            { identity in
                Controls(identity: identity, psi: 1, expression: .named(expression), camera: .init(yaw: yaw, pitch: pitch),
                         joints: joints)
            }
        }
        let rest = Array(repeating: [0.0, 0, 0], count: 6)
        var head = rest
        head[3] = [0, 25, -10]
        var shoulders = rest
        shoulders[4] = [20, 0, 0]
        shoulders[5] = [-20, 0, 0]
        return [
            ("front", make(0, 0, [:], rest)),
            ("yaw -30", make(-30, 0, [:], rest)),
            ("yaw 30 pitch 10", make(30, 10, [:], rest)),
            ("jaw smile", make(0, 0, ["jaw_open": 0.8, "smile_left": 0.8, "smile_right": 0.8], rest)),
            ("head turn", make(0, 0, [:], head)),
            ("shoulders", make(10, 0, ["brow_raise_left": 1, "brow_raise_right": 1], shoulders)),
        ]
    }

    /// Renders the grid of a model and writes it as a PNG (atomically). `lowResolution`: show the LR image
    /// (enlarged to `tileSize`) instead of the full one.
    public static func write(model: PortraitModel, reference: PortraitModel? = nil, lowResolution: Bool, tileSize: Int = 128,
                             title: String, to path: String) throws {
        var tiles: [(image: RGBImage, caption: String)] = []
        let columns = columns()
        for seed in seeds {
            let codes = try model.codes(for: .seed(seed, blend: 0))
            for (k, column) in columns.enumerated() {
                let output = try model.renderAll(controls: column.controls(.seed(seed, blend: 0)))
                let image = try ImageConversion.rgb8(lowResolution ? output.lowResolutionImage : output.image)
                tiles.append((resized(image, to: tileSize), k == 0 ? "s\(seed) \(column.caption)" : column.caption))
            }
            if let reference {
                for column in columns {
                    let identity = IdentityCodes(identity: codes.identity, shape: codes.shape, noise: [])
                    let output = try reference.renderAll(controls: column.controls(.codes(identity)))
                    tiles.append((resized(try ImageConversion.rgb8(output.image), to: tileSize), "target"))
                }
            }
        }
        var sheet = ContactSheet.compose(tiles, columns: columns.count, gap: 4, scale: 1)
        var framed = RGBImage(width: sheet.width, height: sheet.height + 20)
        for y in 0..<sheet.height {
            for x in 0..<(3 * sheet.width) { framed.pixels[3 * (y + 20) * sheet.width + x] = sheet.pixels[3 * y * sheet.width + x] }
        }
        ContactSheet.draw(title, into: &framed, x: 6, y: 5, scale: 2)
        sheet = framed
        do { try PNGCodec.write(sheet, to: path) } catch {
            throw TrainingError.file(path: path, reason: "cannot write the sample grid: \(error)")
        }
    }

    /// The grid of generator `weights` (state-dict names) through an in-memory bundle.
    public static func write(weights: [String: Tensor], stage: Int, reference: PortraitModel? = nil, title: String,
                             to path: String) throws {
        let writer = try TrainedBundle.writer(weights: weights, provenance: .init(source: "trained"), truncationSamples: 1000)
        let model = try NeuralPortraitModel(bundle: PortraitBundle(data: try writer.encoded().data, path: "<samples>"))
        try write(model: model, reference: reference, lowResolution: stage == 1, title: title, to: path)
    }

    /// Nearest-neighbour (enlarging) or box (shrinking) resize of a square image to `size`.
    static func resized(_ image: RGBImage, to size: Int) -> RGBImage {
        guard image.width > 0, image.width != size || image.height != size else { return image }
        var out = RGBImage(width: size, height: size)
        for y in 0..<size {
            for x in 0..<size {
                let x0 = x * image.width / size, x1 = max(x0 + 1, (x + 1) * image.width / size)
                let y0 = y * image.height / size, y1 = max(y0 + 1, (y + 1) * image.height / size)
                for c in 0..<3 {
                    var sum = 0, n = 0
                    for sy in y0..<min(y1, image.height) {
                        for sx in x0..<min(x1, image.width) { sum += Int(image.pixels[3 * (sy * image.width + sx) + c]); n += 1 }
                    }
                    out.pixels[3 * (y * size + x) + c] = UInt8(sum / max(n, 1))
                }
            }
        }
        return out
    }
}
