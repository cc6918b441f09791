import Foundation

/// A parsed JSON5 value, for documents whose errors must name the path of the bad value.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// Parses `data` as JSON5 (so NaN and Infinity parse and can be reported by path). Text that is not
    /// UTF-8 is refused first: Foundation's JSON5 scanner traps on some invalid sequences.
    static func parse(_ data: Data) throws -> JSONValue {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not UTF-8 text"))
        }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONValue.self, from: data)
    }

    var object: [String: JSONValue]? { if case let .object(o) = self { return o } else { return nil } }
    var array: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    var string: String? { if case let .string(s) = self { return s } else { return nil } }
    var number: Double? { if case let .number(d) = self { return d } else { return nil } }
}
