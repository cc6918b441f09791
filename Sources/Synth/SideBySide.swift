import Body
import Generator
import ModelIO

/// The side-by-side view (`c` in the studio, `--compare` in render and video): a neural model and the
/// `synthetic` model for the same controls, next to each other.
public enum SideBySide {
    /// Why a neural model with `space` cannot be compared with `synthetic`, or nil when it can: its expression
    /// controls must be the built-in named blendshapes (the studio configuration), so that both read the
    /// same controls.
    public static func unavailableReason(neuralName: String, space: PortraitControlSpace) -> String? {
        let names = FaceModel.expressionNames
        if space.expressionNames == names { return nil }
        let has: String
        if let own = space.expressionNames {
            has = "\(own.count) other named expressions"
        } else {
            has = "\(space.expressionDim) numbered expressions (e00...\(space.expressionName(max(0, space.expressionDim - 1))))"
        }
        return "\(neuralName) has \(has), not the \(names.count) built-in blendshapes (\(names[0]), ...) that synthetic reads"
    }

    /// `left` and `right` next to each other without a gap (both must have the same size), for `--compare`.
    public static func panels(_ left: RGBImage, _ right: RGBImage) -> RGBImage {
        precondition(left.width == right.width && left.height == right.height,
                     "SideBySide: panels of \(left.width)x\(left.height) and \(right.width)x\(right.height)")
        let w = left.width, h = left.height
        var pixels = [UInt8](repeating: 0, count: 2 * w * h * 3)
        for y in 0..<h {
            let row = y * 2 * w * 3
            pixels.replaceSubrange(row..<(row + 3 * w), with: left.pixels[(3 * y * w)..<(3 * (y + 1) * w)])
            pixels.replaceSubrange((row + 3 * w)..<(row + 6 * w), with: right.pixels[(3 * y * w)..<(3 * (y + 1) * w)])
        }
        return RGBImage(width: 2 * w, height: h, pixels: pixels) ?? RGBImage(width: 2 * w, height: h)
    }

    /// `left` and `right` with a `gap`-pixel white seam and each caption in its top-left corner (the studio's
    /// pane): glyphs scaled with the panel (1x up to 255 px, 2x from 256 px, ...), captions cut to fit the
    /// panel. Images of different sizes are scaled to `left`'s by nearest neighbour.
    public static func labelled(_ left: RGBImage, _ leftCaption: String, _ right: RGBImage, _ rightCaption: String,
                                gap: Int = 4) -> RGBImage {
        let w = left.width, h = left.height
        let scale = max(1, w / 128)
        // A glyph is 4 * scale wide; keep a margin of 2 * scale on both sides.
        let fitting = max(0, (w - 4 * scale) / (4 * scale))
        func cut(_ text: String) -> String { text.count <= fitting ? text : String(text.prefix(max(0, fitting - 1))) + "." }
        var sheet = RGBImage(width: 2 * w + gap, height: h)
        for (image, x0) in [(left, 0), (resized(right, width: w, height: h), w + gap)] {
            for y in 0..<h {
                let source = 3 * y * w, target = 3 * (y * sheet.width + x0)
                sheet.pixels.replaceSubrange(target..<(target + 3 * w), with: image.pixels[source..<(source + 3 * w)])
            }
        }
        ContactSheet.draw(cut(leftCaption), into: &sheet, x: 2 * scale, y: 2 * scale, scale: scale)
        ContactSheet.draw(cut(rightCaption), into: &sheet, x: w + gap + 2 * scale, y: 2 * scale, scale: scale)
        return sheet
    }

    /// Nearest-neighbour resize (only when sizes differ).
    static func resized(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        if image.width == width && image.height == height { return image }
        var out = RGBImage(width: width, height: height)
        guard image.width > 0, image.height > 0 else { return out }
        for y in 0..<height {
            let sy = min(image.height - 1, y * image.height / height)
            for x in 0..<width {
                let sx = min(image.width - 1, x * image.width / width)
                for c in 0..<3 { out.pixels[3 * (y * width + x) + c] = image.pixels[3 * (sy * image.width + sx) + c] }
            }
        }
        return out
    }
}
