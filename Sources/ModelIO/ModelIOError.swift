/// Errors from reading or writing model files. Each message names the file and what is wrong.
public enum ModelIOError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, read or written.
    case io(path: String, reason: String)
    /// The file's content is malformed; `reason` says where and how.
    case malformed(path: String, reason: String)
    /// The file is well formed but holds something we do not support.
    case unsupported(path: String, reason: String)
    /// An expected entry (tensor, array, key) is missing.
    case missing(path: String, name: String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .malformed(path, reason): return "\(path): \(reason)"
        case let .unsupported(path, reason): return "\(path): unsupported: \(reason)"
        case let .missing(path, name): return "\(path): missing '\(name)'"
        }
    }
}
