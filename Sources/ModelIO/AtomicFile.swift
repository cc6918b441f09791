import Foundation

/// Writes files so that readers never see a half-written one: the bytes go to `.<name>.tmp` beside the
/// target, are flushed to disk, then renamed over the target. On failure the temporary file is removed.
public enum AtomicFile {
    /// Writes `data` to `path` atomically. Errors name the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ModelIOError.io(path: path, reason: "cannot create a file in \(directory) (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw ModelIOError.io(path: path, reason: "cannot write: \(failure)")
        }
    }
}
