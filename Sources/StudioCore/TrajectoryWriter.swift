import Foundation

/// Records a trajectory (DESIGN.md §4): `trajectory-YYYYMMDD-HHMMSS.jsonl` opened with `O_APPEND`, the header
/// line first, then each line with one `write(2)` so that a crash leaves only complete lines (or a
/// truncated last one, which readers ignore). Call `sync()` once a second and `close()` on stop.
/// A resource owned by one thread.
public final class TrajectoryWriter {
    /// The file being written.
    public let path: String
    private var descriptor: Int32

    /// Creates the file in `directory` (created if missing), named from `date` (UTC; `-2`, … on collision),
    /// and writes the header stamped with `date`.
    public init(directory: String, header: TrajectoryHeader, date: Date) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StudioCoreError.io(path: directory, reason: "cannot create the folder")
        }
        let base = "\(directory)/trajectory-\(Timestamp.fileStamp(date))"
        var candidate = base + ".jsonl"
        var suffix = 2
        var fd: Int32 = -1
        while true {
            fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST || suffix > 999 { break }
            candidate = "\(base)-\(suffix).jsonl"
            suffix += 1
        }
        guard fd >= 0 else {
            throw StudioCoreError.io(path: candidate, reason: "cannot create (\(String(cString: strerror(errno))))")
        }
        path = candidate
        descriptor = fd
        try append(TrajectoryFormat.headerLine(header, startedAt: date))
    }

    /// Appends `line` and a newline in one `write(2)`.
    public func append(_ line: String) throws {
        guard descriptor >= 0 else { throw StudioCoreError.io(path: path, reason: "the recording is closed") }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { raw -> Int in
            var n: Int
            repeat { n = write(descriptor, raw.baseAddress, raw.count) } while n < 0 && errno == EINTR
            return n
        }
        guard written == bytes.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write (\(written) of \(bytes.count) bytes)"
            throw StudioCoreError.io(path: path, reason: "cannot write: \(reason)")
        }
    }

    /// Flushes the file to disk.
    public func sync() throws {
        guard descriptor >= 0 else { return }
        guard fsync(descriptor) == 0 else {
            throw StudioCoreError.io(path: path, reason: "cannot sync: \(String(cString: strerror(errno)))")
        }
    }

    /// Syncs and closes (idempotent).
    public func close() throws {
        guard descriptor >= 0 else { return }
        let syncFailed = fsync(descriptor) != 0
        let reason = String(cString: strerror(errno))
        _ = Foundation.close(descriptor)
        descriptor = -1
        if syncFailed { throw StudioCoreError.io(path: path, reason: "cannot sync: \(reason)") }
    }

    deinit {
        if descriptor >= 0 {
            _ = fsync(descriptor)
            _ = Foundation.close(descriptor)
        }
    }
}
