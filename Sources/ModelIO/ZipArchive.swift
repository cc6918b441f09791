import Foundation

/// A zip archive read through its central directory (the layout of `.npz` files and of `torch.save`
/// checkpoints). Entries are stored or deflated; each entry's CRC-32 is checked when it is read.
///
/// ZIP64 archives whose sizes or offsets need 64 bits (entries or archives over 4 GiB) are refused;
/// the ZIP64 extra fields numpy writes into local headers, and the ZIP64 end record torch writes next
/// to a complete classic one, are fine.
public struct ZipArchive: Sendable {
    /// One file in the archive.
    public struct Entry: Sendable, Equatable {
        public let name: String
        /// 0 = stored, 8 = deflated.
        public let method: UInt16
        public let crc32: UInt32
        public let compressedSize: Int
        public let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// Where the archive came from (used in error messages).
    public let path: String
    /// The entries in central-directory order.
    public let entries: [Entry]
    private let data: Data
    private let index: [String: Int]

    /// Opens the zip file at `path` (memory-mapped).
    public init(path: String) throws {
        try self.init(data: try Bytes.readFile(path), path: path)
    }

    /// Parses zip bytes; `path` names the source in errors.
    public init(data: Data, path: String = "<memory>") throws {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: reason) }
        func u16(_ o: Int) throws -> Int {
            guard let v = Bytes.littleEndian(data, at: o, width: 2) else { throw bad("truncated zip structure at byte \(o)") }
            return Int(v)
        }
        func u32(_ o: Int) throws -> Int {
            guard let v = Bytes.littleEndian(data, at: o, width: 4) else { throw bad("truncated zip structure at byte \(o)") }
            return Int(v)
        }
        self.path = path
        self.data = data
        // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the end of the file.
        guard data.count >= 22 else { throw bad("too short for a zip archive (\(data.count) bytes)") }
        var eocd = -1
        var k = data.count - 22
        let lowest = max(0, data.count - 22 - 65535)
        while k >= lowest {
            if Bytes.littleEndian(data, at: k, width: 4) == 0x0605_4b50, let commentLength = Bytes.littleEndian(data, at: k + 20, width: 2),
               k + 22 + Int(commentLength) == data.count {
                eocd = k
                break
            }
            k -= 1
        }
        guard eocd >= 0 else {
            throw bad(data.prefix(2) == Data([0x50, 0x4b]) ? "zip end-of-central-directory record not found (truncated?)"
                                                          : "not a zip archive")
        }
        let disk = try u16(eocd + 4), cdDisk = try u16(eocd + 6)
        let countOnDisk = try u16(eocd + 8), count = try u16(eocd + 10)
        let cdSize = try u32(eocd + 12), cdOffset = try u32(eocd + 16)
        if count == 0xffff || cdSize == 0xffff_ffff || cdOffset == 0xffff_ffff {
            throw ModelIOError.unsupported(path: path, reason: "ZIP64 archive (sizes over 4 GiB or more than 65534 entries)")
        }
        guard disk == 0, cdDisk == 0, countOnDisk == count else { throw ModelIOError.unsupported(path: path, reason: "multi-disk zip archive") }
        guard cdOffset <= eocd, cdSize <= eocd - cdOffset else {
            throw bad("central directory [\(cdOffset), +\(cdSize)] outside the archive")
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var p = cdOffset
        for n in 0..<count {
            guard try u32(p) == 0x0201_4b50 else { throw bad("central directory entry \(n) has a bad signature") }
            let flags = try u16(p + 8), method = try u16(p + 10)
            let crc = try u32(p + 16), compressed = try u32(p + 20), uncompressed = try u32(p + 24)
            let nameLength = try u16(p + 28), extraLength = try u16(p + 30), commentLength = try u16(p + 32)
            let localOffset = try u32(p + 42)
            guard p + 46 + nameLength <= cdOffset + cdSize else { throw bad("central directory entry \(n) runs past the directory") }
            let nameBytes = data.subdata(in: (data.startIndex + p + 46)..<(data.startIndex + p + 46 + nameLength))
            let name = String(decoding: nameBytes, as: UTF8.self)
            if compressed == 0xffff_ffff || uncompressed == 0xffff_ffff || localOffset == 0xffff_ffff {
                throw ModelIOError.unsupported(path: path, reason: "'\(name)': ZIP64 entry (over 4 GiB)")
            }
            if flags & 1 != 0 { throw ModelIOError.unsupported(path: path, reason: "'\(name)': encrypted zip entry") }
            guard method == 0 || method == 8 else {
                throw ModelIOError.unsupported(path: path, reason: "'\(name)': zip compression method \(method) (only stored and deflated)")
            }
            if method == 0 && compressed != uncompressed {
                throw bad("'\(name)': stored entry with compressed size \(compressed) != size \(uncompressed)")
            }
            guard index[name] == nil else { throw bad("entry '\(name)' appears twice") }
            index[name] = entries.count
            entries.append(Entry(name: name, method: UInt16(method), crc32: UInt32(crc), compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            p += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
        self.index = index
    }

    /// Entry names in central-directory order.
    public var names: [String] { entries.map(\.name) }

    /// The entry called `name`, or nil.
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The entry's compressed bytes as stored in the archive (a slice of the mapped file).
    func storedBytes(_ entry: Entry) throws -> Data {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: "'\(entry.name)': \(reason)") }
        let p = entry.localHeaderOffset
        guard Bytes.littleEndian(data, at: p, width: 4) == 0x0403_4b50,
              let nameLength = Bytes.littleEndian(data, at: p + 26, width: 2),
              let extraLength = Bytes.littleEndian(data, at: p + 28, width: 2) else {
            throw bad("bad local header at byte \(p)")
        }
        let start = p + 30 + Int(nameLength) + Int(extraLength)
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw bad("data [\(start), +\(entry.compressedSize)] runs past the end of the archive (\(data.count) bytes)")
        }
        return data[(data.startIndex + start)..<(data.startIndex + start + entry.compressedSize)]
    }

    /// The decompressed, CRC-checked contents of entry `name`.
    public func contents(of name: String) throws -> Data {
        guard let entry = entry(name) else { throw ModelIOError.missing(path: path, name: name) }
        return try contents(of: entry)
    }

    /// The decompressed, CRC-checked contents of `entry`.
    public func contents(of entry: Entry) throws -> Data {
        let stored = try storedBytes(entry)
        let bytes = entry.method == 8
            ? try Zlib.inflateRaw(stored, expectedSize: entry.uncompressedSize, name: entry.name, path: path)
            : stored
        let crc = Zlib.crc32(bytes)
        guard crc == entry.crc32 else {
            throw ModelIOError.malformed(path: path, reason: "'\(entry.name)': CRC-32 \(hex(crc)) does not match the directory's \(hex(entry.crc32))")
        }
        return bytes
    }

    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}
