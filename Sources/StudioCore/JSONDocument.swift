import Foundation
import ModelIO

/// The studio's files are read with ModelIO's `JSONValue` (our own parser: NaN and Infinity are read so
/// that validators name them; malformed input throws, never traps).
typealias JSONDocument = JSONValue

extension JSONValue {
    /// Compact JSON text (keys sorted; non-finite numbers as JSON5 `NaN`/`Infinity` so validators see them).
    var text: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
            return ControlsJSONNumber.string(d)
        case let .string(s): return JSONValue.quoted(s)
        case let .array(a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case let .object(o):
            return "{" + o.keys.sorted().map { JSONValue.quoted($0) + ":" + (o[$0]?.text ?? "null") }.joined(separator: ",") + "}"
        }
    }
}
