import Foundation

/// A non-blocking pipe whose read end the UI thread polls: the worker and signal handlers write one byte to
/// wake it.
public final class WakePipe: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Failure(description: "pipe() failed: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Writes one byte (a full pipe already wakes the reader, so EAGAIN is fine).
    public func wake(_ byte: UInt8 = 1) {
        var b = byte
        _ = write(writeEnd, &b, 1)
    }

    /// Reads everything pending; returns the bytes.
    public func drain() -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(readEnd, &buffer, buffer.count)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}
