import Foundation

/// NumPy `.npz` archives: a zip of `.npy` files (stored by `np.savez`, deflated by `np.savez_compressed`).
public struct NPZFile: Sendable {
    /// Where the archive came from (used in error messages).
    public let path: String
    private let archive: ZipArchive

    /// Opens the `.npz` file at `path`.
    public init(path: String) throws {
        self.path = path
        archive = try ZipArchive(path: path)
    }

    /// Parses `.npz` bytes; `path` names the source in errors.
    public init(data: Data, path: String = "<memory>") throws {
        self.path = path
        archive = try ZipArchive(data: data, path: path)
    }

    /// Array names (entry names without `.npy`), in archive order.
    public var names: [String] {
        archive.names.map { $0.hasSuffix(".npy") ? String($0.dropLast(4)) : $0 }
    }

    /// Whether the archive holds an array called `name`.
    public func contains(_ name: String) -> Bool {
        archive.entry(name + ".npy") != nil || archive.entry(name) != nil
    }

    /// The array called `name` (with or without `.npy`).
    public func array(_ name: String) throws -> NumericArray {
        let entryName = archive.entry(name + ".npy") != nil ? name + ".npy" : name
        guard archive.entry(entryName) != nil else { throw ModelIOError.missing(path: path, name: name) }
        return try NPY.decode(try archive.contents(of: entryName), path: "\(path)[\(entryName)]")
    }

    /// Every array, by name.
    public func arrays() throws -> [String: NumericArray] {
        var out: [String: NumericArray] = [:]
        for name in names { out[name] = try array(name) }
        return out
    }

    /// The `.npz` bytes of `arrays` (entries `<name>.npy` in the given order), deflated when `compressed`.
    public static func encode(_ arrays: [(name: String, array: NumericArray)], compressed: Bool = false) throws -> Data {
        var writer = ZipWriter()
        for (name, array) in arrays { try writer.add(name + ".npy", try NPY.encode(array), compress: compressed) }
        return writer.finished()
    }

    /// Writes `arrays` to `path` as `.npz` (temporary file, then rename).
    public static func write(_ arrays: [(name: String, array: NumericArray)], to path: String, compressed: Bool = false) throws {
        try AtomicFile.write(try encode(arrays, compressed: compressed), to: path)
    }
}
