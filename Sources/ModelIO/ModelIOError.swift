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

    /// The file the error is about.
    public var path: String {
        switch self {
        case let .io(path, _), let .malformed(path, _), let .unsupported(path, _), let .missing(path, _): return path
        }
    }

    /// What is wrong, without the file name (for callers that name the file themselves).
    public var reason: String {
        switch self {
        case let .io(_, reason), let .malformed(_, reason): return reason
        case let .unsupported(_, reason): return "unsupported: \(reason)"
        case let .missing(_, name): return "missing '\(name)'"
        }
    }

    public var description: String { "\(path): \(reason)" }

    /// `error`'s message for a caller that names `path` itself: without the leading file name when it is a
    /// `ModelIOError` about that same file.
    public static func reason(_ error: any Error, about path: String) -> String {
        if let error = error as? ModelIOError, error.path == path { return error.reason }
        return "\(error)"
    }
}
