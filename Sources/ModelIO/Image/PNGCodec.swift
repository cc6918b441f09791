import CPNG
import CZlib
import Foundation

/// PNG encoding and decoding (libpng's simplified API: no setjmp, errors as return values), plus
/// `iTXt` text chunks, which the simplified API cannot write, spliced in by our own chunk code.
public enum PNGCodec {
    /// Largest image accepted on decode (pixels), checked before any allocation.
    public static let maxPixels = 1 << 27

    /// Encodes `image` as an 8-bit RGB PNG with optional `iTXt` chunks (keyword → UTF-8 text).
    public static func encode(_ image: RGBImage, text: [(keyword: String, value: String)] = []) throws -> Data {
        guard image.width > 0, image.height > 0, image.width <= 1 << 20, image.height <= 1 << 20 else {
            throw ModelIOError.unsupported(path: "(png)", reason: "image size \(image.width)x\(image.height)")
        }
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        png.format = png_uint_32(PNG_FORMAT_RGB)
        var size = 0
        let stride = Int32(image.width * 3)
        let ok = image.pixels.withUnsafeBytes { pixels -> Bool in
            guard png_image_write_to_memory(&png, nil, &size, 0, pixels.baseAddress, stride, nil) != 0 else { return false }
            return true
        }
        guard ok, size > 0 else { throw ModelIOError.io(path: "(png)", reason: "encoding failed: \(message(&png))") }
        var out = Data(count: size)
        let written = out.withUnsafeMutableBytes { buffer in
            image.pixels.withUnsafeBytes { pixels in
                png_image_write_to_memory(&png, buffer.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw ModelIOError.io(path: "(png)", reason: "encoding failed: \(message(&png))") }
        out.count = size
        return text.isEmpty ? out : try insertText(text, into: out)
    }

    /// Decodes any PNG (converted to 8-bit RGB, alpha composited on white). `path` names the source in errors.
    public static func decode(_ data: Data, path: String = "(png)") throws -> RGBImage {
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count)
        }
        guard began != 0 else { throw ModelIOError.malformed(path: path, reason: "not a readable PNG: \(message(&png))") }
        defer { png_image_free(&png) }
        let width = Int(png.width), height = Int(png.height)
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= maxPixels,
              width <= maxPixels, height <= maxPixels else {
            throw ModelIOError.unsupported(path: path, reason: "image size \(width)x\(height) exceeds \(maxPixels) pixels")
        }
        png.format = png_uint_32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var background = png_color(red: 255, green: 255, blue: 255)
        let finished = data.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&png, &background, buffer.baseAddress, Int32(width * 3), nil)
            }
        }
        guard finished != 0 else { throw ModelIOError.malformed(path: path, reason: "corrupt PNG: \(message(&png))") }
        return RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: 0, height: 0)
    }

    /// Writes `image` to `path` atomically (temporary file, then rename).
    public static func write(_ image: RGBImage, to path: String, text: [(keyword: String, value: String)] = []) throws {
        do {
            try AtomicFile.write(try encode(image, text: text), to: path)
        } catch let ModelIOError.io(_, reason) {
            throw ModelIOError.io(path: path, reason: reason)
        }
    }

    /// Reads and decodes the PNG at `path`.
    public static func read(path: String) throws -> RGBImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelIOError.io(path: path, reason: "cannot read the file")
        }
        return try decode(data, path: path)
    }

    /// The `iTXt` chunks of a PNG (uncompressed ones), keyword → text. Malformed chunks are skipped.
    public static func textChunks(_ data: Data) -> [String: String] {
        var result: [String: String] = [:]
        for chunk in chunks(data) where chunk.type == "iTXt" {
            let body = [UInt8](chunk.body)
            guard let zero = body.firstIndex(of: 0), zero + 2 < body.count, body[zero + 1] == 0 else { continue }
            let keyword = String(decoding: body[..<zero], as: UTF8.self)
            var i = zero + 3
            guard let langEnd = body[i...].firstIndex(of: 0) else { continue }
            i = langEnd + 1
            guard i <= body.count, let transEnd = body[i...].firstIndex(of: 0) else { continue }
            result[keyword] = String(decoding: body[(transEnd + 1)...], as: UTF8.self)
        }
        return result
    }

    // MARK: - Chunks

    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    struct Chunk {
        let type: String
        let body: Data
        let range: Range<Int>
    }

    /// The chunks of a PNG in file order; stops at the first malformed one.
    static func chunks(_ data: Data) -> [Chunk] {
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { return [] }
        var out: [Chunk] = []
        var i = 8
        while i + 12 <= bytes.count {
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length <= bytes.count - i - 12 else { break }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            out.append(Chunk(type: type, body: Data(bytes[(i + 8)..<(i + 8 + length)]), range: i..<(i + 12 + length)))
            i += 12 + length
        }
        return out
    }

    static func chunk(type: String, body: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var out: [UInt8] = []
        let n = UInt32(body.count)
        out += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        out += typeBytes + body
        var crc = crc32(0, nil, 0)
        (typeBytes + body).withUnsafeBufferPointer { crc = crc32(crc, $0.baseAddress, uInt($0.count)) }
        let c = UInt32(crc)
        out += [UInt8(c >> 24), UInt8(c >> 16 & 0xff), UInt8(c >> 8 & 0xff), UInt8(c & 0xff)]
        return out
    }

    /// Inserts uncompressed `iTXt` chunks right before the first `IDAT`.
    static func insertText(_ text: [(keyword: String, value: String)], into png: Data) throws -> Data {
        guard let idat = chunks(png).first(where: { $0.type == "IDAT" }) else {
            throw ModelIOError.malformed(path: "(png)", reason: "encoder produced no IDAT chunk")
        }
        var extra: [UInt8] = []
        for (keyword, value) in text {
            let key = Array(keyword.utf8)
            guard (1...79).contains(key.count), !key.contains(0) else {
                throw ModelIOError.unsupported(path: "(png)", reason: "text keyword '\(keyword)'")
            }
            // keyword, 0, compression flag 0, method 0, empty language tag, 0, empty translated keyword, 0, text
            extra += chunk(type: "iTXt", body: key + [0, 0, 0, 0, 0] + Array(value.utf8))
        }
        var out = Data(png[png.startIndex..<(png.startIndex + idat.range.lowerBound)])
        out.append(contentsOf: extra)
        out.append(png[(png.startIndex + idat.range.lowerBound)...])
        return out
    }

    private static func message(_ png: inout png_image) -> String {
        withUnsafeBytes(of: &png.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
