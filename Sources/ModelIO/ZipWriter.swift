import Foundation

/// Builds a zip archive in memory (classic format: up to 65534 entries and 4 GiB), as numpy's `savez`
/// would: each entry stored or deflated, with its CRC-32.
public struct ZipWriter: Sendable {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private var names: Set<String> = []

    public init() {}

    /// Appends an entry; `compress` deflates it (kept stored when deflating does not help).
    public mutating func add(_ name: String, _ contents: Data, compress: Bool) throws {
        let nameBytes = Array(name.utf8)
        guard !names.contains(name) else { throw ModelIOError.malformed(path: "<zip>", reason: "entry '\(name)' added twice") }
        guard nameBytes.count <= 0xffff, count < 0xfffe else {
            throw ModelIOError.unsupported(path: "<zip>", reason: "more than 65534 entries or a name over 65535 bytes")
        }
        var stored = contents
        var method: UInt16 = 0
        if compress {
            let deflated = try Zlib.deflateRaw(contents)
            if deflated.count < contents.count { stored = deflated; method = 8 }
        }
        let offset = body.count
        guard contents.count < 0xffff_ffff, offset + stored.count + 30 + nameBytes.count < 0xffff_ffff else {
            throw ModelIOError.unsupported(path: "<zip>", reason: "archive over 4 GiB (ZIP64 is not written)")
        }
        let crc = Zlib.crc32(contents)
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        let version = le16(20), flags = le16(1 << 11), methodBytes = le16(Int(method))
        let time = le16(0), date = le16((1980 - 1980) << 9 | 1 << 5 | 1)
        let sizes = le32(Int(crc)) + le32(stored.count) + le32(contents.count)
        body += le32(0x0403_4b50) + version + flags + methodBytes + time + date + sizes
            + le16(nameBytes.count) + le16(0) + nameBytes
        body += stored
        directory += le32(0x0201_4b50) + le16(20) + version + flags + methodBytes + time + date + sizes
            + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        count += 1
        names.insert(name)
    }

    /// The finished archive.
    public func finished() -> Data {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        let end = le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(directory.count) + le32(body.count) + le16(0)
        return Data(body + directory + end)
    }
}
