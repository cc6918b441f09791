/// Errors of the studio's files (favourites, trajectories, themes, configuration). Messages name the file
/// and, for line-based files, the line.
public enum StudioCoreError: Error, CustomStringConvertible, Equatable {
    /// A file or folder could not be read or written.
    case io(path: String, reason: String)
    /// A file's content is wrong.
    case malformed(path: String, reason: String)
    /// Line `line` (1-based) of a line-based file is wrong.
    case badLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .malformed(path, reason): return "\(path): \(reason)"
        case let .badLine(path, line, reason): return "\(path):\(line): \(reason)"
        }
    }
}
