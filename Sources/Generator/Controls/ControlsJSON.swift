import Foundation
import ModelIO

/// Reading and writing the controls document `portrait-controls/1` (DESIGN.md §4).
///
/// Readers accept major version 1, ignore unknown keys and default missing optional ones. Numbers are read
/// as JSON5 so that `NaN` / `Infinity` written by other tools are reported by path instead of as a parse
/// failure.
public enum ControlsJSON {
    /// The format tag written and accepted (major 1).
    public static let format = "portrait-controls/1"

    /// Parses and validates a controls document (or a favourite sidecar holding one under `controls`).
    public static func decode(_ data: Data) throws -> Controls {
        let root = try parseObject(data)
        if let format = root["format"]?.string, format.hasPrefix("portrait-favourite/") {
            guard let inner = root["controls"]?.object else {
                throw ControlsError.invalid(path: "controls", reason: "missing in the favourite")
            }
            return try controls(from: inner, path: "controls.")
        }
        return try controls(from: root, path: "")
    }

    /// Reads a controls file; errors name the file.
    public static func read(path: String) throws -> Controls {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ControlsError.unreadable(file: path, reason: "cannot read the file")
        }
        do { return try decode(data) } catch let error as ControlsError {
            throw ControlsError.unreadable(file: path, reason: error.description)
        }
    }

    /// The document for `controls` (keys in DESIGN.md order; doubles printed shortest round-trip).
    public static func encode(_ controls: Controls, includeFormat: Bool = true) -> String {
        var parts: [String] = []
        if includeFormat { parts.append("\"format\": \"\(format)\"") }
        switch controls.identity {
        case let .seed(seed, blend):
            parts.append("\"identity\": {\"seed\": \(seed), \"blend\": \(number(blend))}")
        case let .codes(codes):
            func list(_ v: [Float]) -> String { "[" + v.map { number(Double($0)) }.joined(separator: ", ") + "]" }
            parts.append("\"identity\": {\"codes\": {\"identity\": \(list(codes.identity)), "
                + "\"shape\": \(list(codes.shape)), \"noise\": \(list(codes.noise))}}")
        }
        if let psi = controls.psi { parts.append("\"psi\": \(number(psi))") }
        switch controls.expression {
        case let .values(v):
            parts.append("\"expression\": [" + v.map(number).joined(separator: ", ") + "]")
        case let .named(map):
            let items = map.keys.sorted().map { "\(JSONValue.quoted($0)): \(number(map[$0] ?? 0))" }
            parts.append("\"expression\": {" + items.joined(separator: ", ") + "}")
        }
        parts.append("\"camera\": {\"yaw\": \(number(controls.camera.yaw)), \"pitch\": \(number(controls.camera.pitch))}")
        let joints = zip(Controls.jointNames, controls.joints).map { name, v in
            "\(JSONValue.quoted(name)): [" + v.map(number).joined(separator: ", ") + "]"
        }
        parts.append("\"joints\": {" + joints.joined(separator: ", ") + "}")
        parts.append("\"view\": \"\(controls.view.rawValue)\"")
        parts.append("\"show\": \"\(controls.show.rawValue)\"")
        parts.append("\"quality\": \"\(controls.quality.rawValue)\"")
        return "{" + parts.joined(separator: ", ") + "}"
    }

    // MARK: - Parsing

    static func parseObject(_ data: Data) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ControlsError.invalid(path: "(document)", reason: "not valid JSON")
        }
        guard let object = value.object else {
            throw ControlsError.invalid(path: "(document)", reason: "expected a JSON object")
        }
        return object
    }

    static func controls(from object: [String: JSONValue], path prefix: String) throws -> Controls {
        if let format = object["format"] {
            guard let f = format.string, f.hasPrefix("portrait-controls/") else {
                throw ControlsError.invalid(path: prefix + "format", reason: "expected \"\(ControlsJSON.format)\"")
            }
            guard f == ControlsJSON.format else {
                throw ControlsError.invalid(path: prefix + "format", reason: "version \(f) is not supported (reads \(ControlsJSON.format))")
            }
        }
        var controls = Controls()
        guard let identity = object["identity"] else {
            throw ControlsError.invalid(path: prefix + "identity", reason: "required")
        }
        controls.identity = try parseIdentity(identity, path: prefix + "identity")
        if let psi = object["psi"] {
            let value = try finite(psi, path: prefix + "psi")
            guard (0...1.5).contains(value) else {
                throw ControlsError.invalid(path: prefix + "psi", reason: "\(value) is outside [0, 1.5]")
            }
            controls.psi = value
        }
        if let expression = object["expression"] {
            controls.expression = try parseExpression(expression, path: prefix + "expression")
        }
        if let camera = object["camera"] {
            guard let c = camera.object else {
                throw ControlsError.invalid(path: prefix + "camera", reason: "expected an object with yaw and pitch")
            }
            if let yaw = c["yaw"] { controls.camera.yaw = try ranged(yaw, -180...180, path: prefix + "camera.yaw") }
            if let pitch = c["pitch"] { controls.camera.pitch = try ranged(pitch, -89...89, path: prefix + "camera.pitch") }
        }
        if let joints = object["joints"] {
            guard let j = joints.object else {
                throw ControlsError.invalid(path: prefix + "joints", reason: "expected an object of joint names")
            }
            for (name, value) in j {
                guard let slot = Controls.jointNames.firstIndex(of: name) else {
                    throw ControlsError.invalid(path: prefix + "joints.\(name)",
                                                reason: "unknown joint (known: \(Controls.jointNames.joined(separator: ", ")))")
                }
                let angles = try numbers(value, path: prefix + "joints.\(name)")
                guard angles.count == 3 else {
                    throw ControlsError.invalid(path: prefix + "joints.\(name)", reason: "\(angles.count) values, expected 3 ([z, y, x])")
                }
                for (i, a) in angles.enumerated() where !(-180...180).contains(a) {
                    throw ControlsError.invalid(path: prefix + "joints.\(name)[\(i)]", reason: "\(a) is outside [-180, 180]")
                }
                controls.joints[slot] = angles
            }
        }
        controls.view = try choice(object["view"], default: .portrait, path: prefix + "view")
        controls.show = try choice(object["show"], default: .image, path: prefix + "show")
        controls.quality = try choice(object["quality"], default: .full, path: prefix + "quality")
        return controls
    }

    static func parseIdentity(_ value: JSONValue, path: String) throws -> Controls.Identity {
        guard let object = value.object else {
            throw ControlsError.invalid(path: path, reason: "expected {\"seed\": S} or {\"codes\": {...}}")
        }
        if let codes = object["codes"] {
            guard let c = codes.object else {
                throw ControlsError.invalid(path: path + ".codes", reason: "expected an object with identity, shape and noise")
            }
            func vector(_ key: String) throws -> [Float] {
                guard let v = c[key] else { throw ControlsError.invalid(path: path + ".codes.\(key)", reason: "required") }
                return try numbers(v, path: path + ".codes.\(key)").map { Float($0) }
            }
            return .codes(IdentityCodes(identity: try vector("identity"), shape: try vector("shape"), noise: try vector("noise")))
        }
        guard let seedValue = object["seed"] else {
            throw ControlsError.invalid(path: path, reason: "needs \"seed\" or \"codes\"")
        }
        let seed = try finite(seedValue, path: path + ".seed")
        guard seed == seed.rounded(), seed >= 0, seed <= Double(UInt32.max) else {
            throw ControlsError.invalid(path: path + ".seed", reason: "\(seed) is not an integer in [0, \(UInt32.max)]")
        }
        var blend = 0.0
        if let b = object["blend"] {
            blend = try finite(b, path: path + ".blend")
            guard blend >= 0, blend < 1 else {
                throw ControlsError.invalid(path: path + ".blend", reason: "\(blend) is outside [0, 1)")
            }
        }
        return .seed(UInt32(seed), blend: blend)
    }

    static func parseExpression(_ value: JSONValue, path: String) throws -> Controls.Expression {
        if let object = value.object {
            var map: [String: Double] = [:]
            for (name, v) in object { map[name] = try finite(v, path: path + ".\(name)") }
            return .named(map)
        }
        return .values(try numbers(value, path: path))
    }

    static func numbers(_ value: JSONValue, path: String) throws -> [Double] {
        guard let array = value.array else {
            throw ControlsError.invalid(path: path, reason: "expected an array of numbers")
        }
        return try array.enumerated().map { i, v in try finite(v, path: "\(path)[\(i)]") }
    }

    static func finite(_ value: JSONValue, path: String) throws -> Double {
        guard let d = value.number else {
            throw ControlsError.invalid(path: path, reason: "expected a number")
        }
        if d.isNaN { throw ControlsError.invalid(path: path, reason: "NaN is not allowed") }
        if d.isInfinite { throw ControlsError.invalid(path: path, reason: "\(d > 0 ? "" : "-")Infinity is not allowed") }
        return d
    }

    static func ranged(_ value: JSONValue, _ range: ClosedRange<Double>, path: String) throws -> Double {
        let d = try finite(value, path: path)
        guard range.contains(d) else {
            throw ControlsError.invalid(path: path, reason: "\(d) is outside [\(number(range.lowerBound)), \(number(range.upperBound))]")
        }
        return d
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, default fallback: T, path: String) throws -> T
    where T.RawValue == String {
        guard let value else { return fallback }
        guard let s = value.string, let v = T(rawValue: s) else {
            throw ControlsError.invalid(path: path, reason: "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    // MARK: - Printing

    /// Shortest round-trip decimal form; integral values without a fraction.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
