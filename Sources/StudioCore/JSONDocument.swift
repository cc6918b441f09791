import Foundation

/// A parsed JSON value for the studio's files (JSON5 accepted so that NaN is reported, not a parse error),
/// and its compact printing (numbers shortest round-trip) for handing sub-documents to `ControlsJSON`.
enum JSONDocument: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONDocument].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONDocument].self))
    }

    /// Parses `data`; text that is not UTF-8 is rejected first (Foundation's JSON5 scanner traps on some
    /// invalid UTF-8 instead of throwing).
    static func parse(_ data: Data) throws -> JSONDocument {
        guard String(validating: data, as: UTF8.self) != nil else { throw NotUTF8() }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONDocument.self, from: data)
    }

    /// The input is not UTF-8 text.
    struct NotUTF8: Error {}

    var object: [String: JSONDocument]? { if case let .object(o) = self { return o } else { return nil } }
    var array: [JSONDocument]? { if case let .array(a) = self { return a } else { return nil } }
    var string: String? { if case let .string(s) = self { return s } else { return nil } }
    var number: Double? { if case let .number(d) = self { return d } else { return nil } }

    /// Compact JSON text (keys sorted; non-finite numbers as JSON5 `NaN`/`Infinity` so validators see them).
    var text: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
            return ControlsJSONNumber.string(d)
        case let .string(s): return TrajectoryFormat.quoted(s)
        case let .array(a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case let .object(o):
            return "{" + o.keys.sorted().map { TrajectoryFormat.quoted($0) + ":" + (o[$0]?.text ?? "null") }.joined(separator: ",") + "}"
        }
    }
}
