import Foundation
import Generator
import ModelIO

/// Favourites on disk (DESIGN.md §4 "Favourites"): `<name>.png` (8-bit RGB, iTXt `portrait.controls`) and
/// the same-named `.json` sidecar `portrait-favourite/1`, written temp + fsync + rename each, the JSON last
/// as the commit marker (a PNG alone is ignored).
public enum Favourites {
    /// The sidecar's format tag.
    public static let format = "portrait-favourite/1"
    /// The PNG text chunk holding the controls document.
    public static let textKeyword = "portrait.controls"

    /// Writes a favourite into `directory` (created if missing), named `YYYYMMDD-HHMMSS-s<seed>` from
    /// `date` (UTC), with `-2`, `-3`, … on collision. `codes` are the resolved identity codes.
    @discardableResult
    public static func save(image: RGBImage, controls: Controls, codes: IdentityCodes?, model: ModelInfo,
                            directory: String, date: Date) throws -> FavouriteEntry {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StudioCoreError.io(path: directory, reason: "cannot create the folder")
        }
        var identityPart = "codes"
        if case let .seed(seed, _) = controls.identity { identityPart = "s\(seed)" }
        let base = "\(Timestamp.fileStamp(date))-\(identityPart)"
        var stem = base
        var suffix = 2
        let manager = FileManager.default
        while manager.fileExists(atPath: "\(directory)/\(stem).png") || manager.fileExists(atPath: "\(directory)/\(stem).json") {
            stem = "\(base)-\(suffix)"
            suffix += 1
        }
        let imagePath = "\(directory)/\(stem).png", sidecarPath = "\(directory)/\(stem).json"
        let controlsText = ControlsJSON.encode(controls)
        do {
            try PNGCodec.write(image, to: imagePath, text: [(keyword: textKeyword, value: controlsText)])
        } catch {
            throw StudioCoreError.io(path: imagePath, reason: "\(error)")
        }
        let savedAt = Timestamp.iso8601(date)
        var parts = [
            "\"format\": \"\(format)\"",
            "\"saved_at\": \"\(savedAt)\"",
            "\"image\": \(JSONValue.quoted(stem + ".png"))",
            "\"image_size\": [\(image.width), \(image.height)]",
            "\"model\": \(modelJSON(model))",
            "\"controls\": \(controlsText)",
        ]
        if let codes {
            func list(_ v: [Float]) -> String { "[" + v.map { ControlsJSONNumber.string(Double($0)) }.joined(separator: ", ") + "]" }
            parts.append("\"codes\": {\"identity\": \(list(codes.identity)), \"shape\": \(list(codes.shape)), \"noise\": \(list(codes.noise))}")
        }
        let sidecar = "{" + parts.joined(separator: ", ") + "}\n"
        do {
            try AtomicFile.write(Data(sidecar.utf8), to: sidecarPath)
        } catch {
            throw StudioCoreError.io(path: sidecarPath, reason: "\(error)")
        }
        return FavouriteEntry(name: stem + ".png", imagePath: imagePath, sidecarPath: sidecarPath, savedAt: savedAt,
                              controls: controls, model: ModelIdentity(model))
    }

    static func modelJSON(_ model: ModelInfo) -> String {
        var fields = ["\"name\": \(JSONValue.quoted(model.name))"]
        if let version = model.version { fields.append("\"version\": \(JSONValue.quoted(version))") }
        if let source = model.source { fields.append("\"source\": \(JSONValue.quoted(source))") }
        if let sha = model.dataSHA256 { fields.append("\"data_sha256\": \(JSONValue.quoted(sha))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Reads one sidecar (`*.json`); the PNG it names must exist beside it.
    public static func read(sidecar path: String) throws -> FavouriteEntry {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudioCoreError.io(path: path, reason: "cannot read the file")
        }
        let root: [String: JSONDocument]
        do {
            guard let object = try JSONDocument.parse(data).object else {
                throw StudioCoreError.malformed(path: path, reason: "expected a JSON object")
            }
            root = object
        } catch let error as StudioCoreError {
            throw error
        } catch {
            throw StudioCoreError.malformed(path: path, reason: "not valid JSON")
        }
        guard let format = root["format"]?.string, format.hasPrefix("portrait-favourite/") else {
            throw StudioCoreError.malformed(path: path, reason: "format: expected \"\(Self.format)\"")
        }
        guard format == Self.format else {
            throw StudioCoreError.malformed(path: path, reason: "format: version \(format) is not supported (reads \(Self.format))")
        }
        let controls: Controls
        do { controls = try ControlsJSON.decode(data) } catch {
            throw StudioCoreError.malformed(path: path, reason: "\(error)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let image = root["image"]?.string ?? stem + ".png"
        guard !image.contains("/") else {
            throw StudioCoreError.malformed(path: path, reason: "image: '\(image)' must be a file name beside the sidecar")
        }
        let model = root["model"]?.object ?? [:]
        let identity = ModelIdentity(name: model["name"]?.string ?? "unknown", dataSHA256: model["data_sha256"]?.string,
                                     version: model["version"]?.string)
        return FavouriteEntry(name: image, imagePath: directory + "/" + image, sidecarPath: path,
                              savedAt: root["saved_at"]?.string ?? "", controls: controls, model: identity)
    }

    /// The favourites in `directory`, newest first (by `saved_at`, then name). Sidecars that do not parse or
    /// whose PNG is missing are skipped and reported in `skipped` (path: reason). A missing folder is empty.
    public static func list(directory: String) throws -> (entries: [FavouriteEntry], skipped: [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return ([], []) }
        guard isDirectory.boolValue else { throw StudioCoreError.io(path: directory, reason: "not a folder") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw StudioCoreError.io(path: directory, reason: "cannot list the folder")
        }
        var entries: [FavouriteEntry] = []
        var skipped: [String] = []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            do {
                let entry = try read(sidecar: path)
                guard FileManager.default.fileExists(atPath: entry.imagePath) else {
                    skipped.append("\(path): its image \(entry.name) is missing")
                    continue
                }
                entries.append(entry)
            } catch {
                skipped.append("\(error)")
            }
        }
        entries.sort { (a: FavouriteEntry, b: FavouriteEntry) in
            let ka = sortKey(a), kb = sortKey(b)
            return (a.savedAt, ka.base, ka.suffix) > (b.savedAt, kb.base, kb.suffix)
        }
        return (entries, skipped)
    }

    /// A favourite's name without its collision suffix, and the suffix (1 when none).
    static func sortKey(_ entry: FavouriteEntry) -> (base: String, suffix: Int) {
        let stem = (entry.name as NSString).deletingPathExtension
        let parts = stem.split(separator: "-")
        if parts.count >= 4, let n = Int(parts[parts.count - 1]) {
            return (parts.dropLast().joined(separator: "-"), n)
        }
        return (stem, 1)
    }

    /// Deletes a favourite: the sidecar first (so a crash never leaves a listed favourite without its
    /// image), then the PNG.
    public static func delete(_ entry: FavouriteEntry) throws {
        guard unlink(entry.sidecarPath) == 0 || errno == ENOENT else {
            throw StudioCoreError.io(path: entry.sidecarPath, reason: "cannot delete (\(String(cString: strerror(errno))))")
        }
        guard unlink(entry.imagePath) == 0 || errno == ENOENT else {
            throw StudioCoreError.io(path: entry.imagePath, reason: "cannot delete (\(String(cString: strerror(errno))))")
        }
    }

    /// The controls stored in a favourite PNG's `portrait.controls` text chunk.
    public static func controls(inPNG path: String) throws -> Controls {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudioCoreError.io(path: path, reason: "cannot read the file")
        }
        guard let text = PNGCodec.textChunks(data)[textKeyword] else {
            throw StudioCoreError.malformed(path: path, reason: "no \(textKeyword) text chunk")
        }
        do { return try ControlsJSON.decode(Data(text.utf8)) } catch {
            throw StudioCoreError.malformed(path: path, reason: "\(error)")
        }
    }
}
