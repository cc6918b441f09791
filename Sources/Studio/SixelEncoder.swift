import CSixel
import ModelIO

/// Sixel encoding through libsixel (256 colours, positionally stable dithering).
public enum SixelEncoder {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public var description: String { "libsixel could not encode the preview (status \(status))" }
    }

    /// The sixel sequence (DCS … ST) of `image`.
    public static func encode(_ image: RGBImage, colours: Int = 256) throws -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var count = 0
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            portrait_sixel_encode(pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(colours), &output, &count)
        }
        guard status == 0, let output else { throw Failure(status: status) }
        defer { portrait_sixel_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: count))
    }
}
