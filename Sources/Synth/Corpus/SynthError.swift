/// Errors of the synthetic corpus: each names the file (and line) and what is wrong.
public enum SynthError: Error, CustomStringConvertible, Equatable {
    /// A file or folder that cannot be read, written or created.
    case file(path: String, reason: String)
    /// A malformed line of `labels.jsonl` (1-based line number).
    case label(path: String, line: Int, reason: String)
    /// A request the corpus cannot honour (sizes, counts, an existing folder).
    case invalid(String)

    public var description: String {
        switch self {
        case let .file(path, reason): return "\(path): \(reason)"
        case let .label(path, line, reason): return "\(path):\(line): \(reason)"
        case let .invalid(reason): return reason
        }
    }
}
