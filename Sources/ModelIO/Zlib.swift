import CZlib
import Foundation

/// zlib through CZlib: raw deflate (zip entries), gzip (`.gz` files) and CRC-32.
///
/// The C calls need buffer pointers; they are taken with `withUnsafe…Bytes` for the duration of each
/// call only, and every length handed to zlib is the buffer's own count. Output never grows past the
/// caller's limit, so a stream claiming a huge size fails before the memory is allocated.
enum Zlib {
    /// Largest expansion deflate can achieve (a 258-byte match in about 2 bits): about 1032:1.
    static let maximumRatio = 1032

    /// Most bytes a deflate stream of `compressedCount` bytes can decode to.
    static func maximumInflatedSize(compressedCount: Int) -> Int {
        let (m, o) = compressedCount.multipliedReportingOverflow(by: maximumRatio)
        return o ? Int.max : m + 1024
    }

    /// CRC-32 (the zip and gzip checksum) of `data`.
    static func crc32(_ data: Data) -> UInt32 {
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var start = data.startIndex
        // zlib takes a 32-bit length: feed at most 1 GiB at a time.
        while start < data.endIndex {
            let end = min(start + (1 << 30), data.endIndex)
            data[start..<end].withUnsafeBytes { raw in
                crc = CZlib.crc32(crc, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count))
            }
            start = end
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Decodes a raw deflate stream that must produce exactly `expectedSize` bytes.
    static func inflateRaw(_ input: Data, expectedSize: Int, name: String, path: String) throws -> Data {
        guard expectedSize >= 0, expectedSize <= maximumInflatedSize(compressedCount: input.count) else {
            throw ModelIOError.malformed(path: path, reason: "'\(name)': \(input.count) compressed bytes cannot hold \(expectedSize) bytes")
        }
        let output = try inflate(input, windowBits: -MAX_WBITS, limit: expectedSize, initialCapacity: expectedSize,
                                 name: name, path: path)
        guard output.count == expectedSize else {
            throw ModelIOError.malformed(path: path, reason: "'\(name)': decompressed to \(output.count) bytes, expected \(expectedSize)")
        }
        return output
    }

    /// Decodes a gzip file (one member). The output is capped by the deflate ratio and `limit`.
    static func gunzip(_ input: Data, limit: Int = 1 << 34, path: String) throws -> Data {
        let cap = min(limit, maximumInflatedSize(compressedCount: input.count))
        // The gzip trailer's ISIZE is the size modulo 2^32: a hint for the first allocation only.
        var hint = 1 << 16
        if input.count >= 18, let size = Bytes.littleEndian(input, at: input.count - 4, width: 4) {
            hint = min(Int(size), cap)
        }
        return try inflate(input, windowBits: MAX_WBITS + 16, limit: cap, initialCapacity: hint, name: "gzip stream", path: path)
    }

    private static func inflate(_ input: Data, windowBits: Int32, limit: Int, initialCapacity: Int,
                                name: String, path: String) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ModelIOError.io(path: path, reason: "zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = Data(count: max(0, min(initialCapacity, limit)))
        var produced = 0
        var consumed = 0
        var finished = false
        let chunk = 1 << 30
        while !finished {
            if produced == output.count {
                guard output.count < limit else {
                    throw ModelIOError.malformed(path: path, reason: "'\(name)': decompresses to more than \(limit) bytes")
                }
                let grown = min(limit, max(output.count * 2, 1 << 16))
                output.count = grown
            }
            let inputStart = input.startIndex + consumed
            let inputCount = min(chunk, input.count - consumed)
            let outputCount = min(chunk, output.count - produced)
            let status: Int32 = input[inputStart..<(inputStart + inputCount)].withUnsafeBytes { inRaw in
                output.withUnsafeMutableBytes { outRaw in
                    stream.next_in = UnsafeMutablePointer(mutating: inRaw.bindMemory(to: Bytef.self).baseAddress)
                    stream.avail_in = uInt(inputCount)
                    stream.next_out = outRaw.bindMemory(to: Bytef.self).baseAddress.map { $0 + produced }
                    stream.avail_out = uInt(outputCount)
                    let s = CZlib.inflate(&stream, Z_NO_FLUSH)
                    stream.next_in = nil
                    stream.next_out = nil
                    return s
                }
            }
            let usedIn = inputCount - Int(stream.avail_in)
            let usedOut = outputCount - Int(stream.avail_out)
            consumed += usedIn
            produced += usedOut
            switch status {
            case Z_STREAM_END:
                finished = true
            case Z_OK:
                break
            case Z_BUF_ERROR where usedIn == 0 && usedOut == 0:
                if consumed >= input.count {
                    throw ModelIOError.malformed(path: path, reason: "'\(name)': compressed data is truncated")
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ModelIOError.malformed(path: path, reason: "'\(name)': corrupt compressed data (\(message))")
            }
            if !finished && usedIn == 0 && usedOut == 0 && consumed >= input.count {
                throw ModelIOError.malformed(path: path, reason: "'\(name)': compressed data is truncated")
            }
        }
        output.count = produced
        return output
    }

    /// Compresses `input` as a raw deflate stream (level 6).
    static func deflateRaw(_ input: Data) throws -> Data {
        guard input.count < Int(UInt32.max) else {
            throw ModelIOError.unsupported(path: "<deflate>", reason: "compressing \(input.count) bytes at once (limit 4 GiB)")
        }
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ModelIOError.io(path: "<deflate>", reason: "zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = Data(count: bound)
        let status: Int32 = input.withUnsafeBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                stream.next_in = UnsafeMutablePointer(mutating: inRaw.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(inRaw.count)
                stream.next_out = outRaw.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(outRaw.count)
                let s = CZlib.deflate(&stream, Z_FINISH)
                stream.next_in = nil
                stream.next_out = nil
                return s
            }
        }
        guard status == Z_STREAM_END else { throw ModelIOError.io(path: "<deflate>", reason: "zlib deflate failed (\(status))") }
        output.count = bound - Int(stream.avail_out)
        return output
    }
}
