/// A Python literal as found in `.npy` headers: dicts, tuples, lists, strings, integers, booleans, None.
enum PythonLiteral: Equatable {
    case dict([(PythonLiteral, PythonLiteral)])
    case sequence([PythonLiteral])
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case noneValue

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.dict(a), .dict(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.sequence(a), .sequence(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case (.noneValue, .noneValue): return true
        default: return false
        }
    }

    /// The value stored under the string key `key` when this is a dict.
    subscript(key: String) -> PythonLiteral? {
        guard case let .dict(pairs) = self else { return nil }
        return pairs.first { $0.0 == .string(key) }?.1
    }

    /// Parses `text`; `nil` on any syntax error. Nesting is limited to 32 levels.
    static func parse(_ text: String) -> PythonLiteral? {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.position == parser.scalars.count ? value : nil
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        mutating func skipSpace() {
            while position < scalars.count, scalars[position] == " " || scalars[position] == "\n"
                    || scalars[position] == "\t" || scalars[position] == "\r" { position += 1 }
        }

        mutating func value(depth: Int) -> PythonLiteral? {
            guard depth < 32 else { return nil }
            skipSpace()
            guard position < scalars.count else { return nil }
            let c = scalars[position]
            switch c {
            case "{":
                position += 1
                var pairs: [(PythonLiteral, PythonLiteral)] = []
                while true {
                    skipSpace()
                    if position < scalars.count, scalars[position] == "}" { position += 1; return .dict(pairs) }
                    guard let key = value(depth: depth + 1) else { return nil }
                    skipSpace()
                    guard position < scalars.count, scalars[position] == ":" else { return nil }
                    position += 1
                    guard let item = value(depth: depth + 1) else { return nil }
                    pairs.append((key, item))
                    skipSpace()
                    guard position < scalars.count else { return nil }
                    if scalars[position] == "," { position += 1; continue }
                    if scalars[position] == "}" { position += 1; return .dict(pairs) }
                    return nil
                }
            case "(", "[":
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                position += 1
                var items: [PythonLiteral] = []
                while true {
                    skipSpace()
                    if position < scalars.count, scalars[position] == close { position += 1; return .sequence(items) }
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                    skipSpace()
                    guard position < scalars.count else { return nil }
                    if scalars[position] == "," { position += 1; continue }
                    if scalars[position] == close { position += 1; return .sequence(items) }
                    return nil
                }
            case "'", "\"":
                position += 1
                var text = String.UnicodeScalarView()
                while position < scalars.count {
                    let s = scalars[position]
                    position += 1
                    if s == c { return .string(String(text)) }
                    if s == "\\" {
                        guard position < scalars.count else { return nil }
                        let e = scalars[position]
                        position += 1
                        switch e {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "\\", "'", "\"": text.append(e)
                        default: return nil
                        }
                    } else {
                        text.append(s)
                    }
                }
                return nil
            default:
                var word = ""
                while position < scalars.count,
                      scalars[position].properties.isAlphabetic || ("0"..."9").contains(scalars[position])
                        || scalars[position] == "-" || scalars[position] == "+" || scalars[position] == "_" {
                    word.unicodeScalars.append(scalars[position])
                    position += 1
                }
                switch word {
                case "True": return .boolean(true)
                case "False": return .boolean(false)
                case "None": return .noneValue
                default:
                    // Python 2 writes long integers with an `L` suffix.
                    let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
                    guard let n = Int(digits) else { return nil }
                    return .integer(n)
                }
            }
        }
    }
}
