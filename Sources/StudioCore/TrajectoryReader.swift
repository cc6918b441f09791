import Foundation
import Generator

/// Reads `portrait-trajectory/1` files (DESIGN.md §4): a truncated or unparsable last line is ignored with
/// a warning, any other bad line is an error naming its number; expressions are mapped onto the target
/// model by name, else by index (padded or truncated with a warning).
public enum TrajectoryReader {
    /// Reads `path` for a model with `expressionLabels` (nil: keep the file's expressions as they are).
    public static func read(path: String, expressionLabels: [String]?) throws -> (Trajectory, warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudioCoreError.io(path: path, reason: "cannot read the file")
        }
        return try parse(data, path: path, expressionLabels: expressionLabels)
    }

    /// Reads `path` for `model`.
    public static func read(path: String, model: ModelInfo) throws -> (Trajectory, warnings: [String]) {
        try read(path: path, expressionLabels: model.expressionLabels)
    }

    /// Parses a whole file's bytes (`path` names it in messages).
    public static func parse(_ data: Data, path: String, expressionLabels: [String]?) throws -> (Trajectory, warnings: [String]) {
        var rawLines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
        if rawLines.last?.isEmpty == true { rawLines.removeLast() }
        let endsWithNewline = data.last == UInt8(ascii: "\n")
        guard let first = rawLines.first else { throw StudioCoreError.malformed(path: path, reason: "empty file") }
        var warnings: [String] = []
        let header = try parseHeader(first, path: path)
        let mapping = ExpressionMapping(file: header.expressionNames, target: expressionLabels)
        if let warning = mapping.warning { warnings.append("\(fileName(path)): \(warning)") }
        var lines: [TrajectoryLine] = []
        for (i, raw) in rawLines.enumerated().dropFirst() {
            let number = i + 1
            let isLast = i == rawLines.count - 1
            if raw.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                continue
            }
            let parsed: TrajectoryLine
            do {
                parsed = try parseLine(raw, path: path, number: number)
            } catch let error as StudioCoreError {
                if isLast {
                    warnings.append("\(fileName(path)): line \(number) is \(endsWithNewline ? "unreadable" : "truncated") and was ignored")
                    continue
                }
                throw error
            }
            if let previous = lines.last, parsed.t < previous.t {
                throw StudioCoreError.badLine(path: path, line: number, reason: "t \(ControlsJSONNumber.string(parsed.t)) is before the previous line's \(ControlsJSONNumber.string(previous.t))")
            }
            var line = parsed
            line.controls.expression = mapping.apply(line.controls.expression)
            lines.append(line)
        }
        var h = header
        if mapping.mapped { h.expressionNames = expressionLabels ?? h.expressionNames }
        return (Trajectory(header: h, lines: lines), warnings)
    }

    static func parseHeader(_ raw: Data, path: String) throws -> TrajectoryHeader {
        guard let root = try? JSONDocument.parse(raw).object else {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "the header is not a JSON object")
        }
        guard let format = root["format"]?.string, format.hasPrefix("portrait-trajectory/") else {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "format: expected \"\(TrajectoryHeader.format)\"")
        }
        guard format == TrajectoryHeader.format else {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "format: version \(format) is not supported (reads \(TrajectoryHeader.format))")
        }
        let model = root["model"]?.object ?? [:]
        let layout = root["layout"]?.object ?? [:]
        let expression = layout["expression"]?.array?.compactMap(\.string) ?? []
        let joints = layout["joints"]?.array?.compactMap(\.string) ?? Controls.jointNames
        if let order = layout["euler_order"]?.string, order != "ZYX" {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "layout.euler_order: \(order) is not supported (ZYX)")
        }
        if let unit = layout["angle_unit"]?.string, unit != "degree" {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "layout.angle_unit: \(unit) is not supported (degree)")
        }
        guard joints == Controls.jointNames else {
            throw StudioCoreError.badLine(path: path, line: 1, reason: "layout.joints: expected \(Controls.jointNames.joined(separator: ", "))")
        }
        return TrajectoryHeader(model: ModelIdentity(name: model["name"]?.string ?? "unknown",
                                                     dataSHA256: model["data_sha256"]?.string,
                                                     version: model["version"]?.string),
                                expressionNames: expression, jointNames: joints, startedAt: root["started_at"]?.string)
    }

    static func parseLine(_ raw: Data, path: String, number: Int) throws -> TrajectoryLine {
        let root: [String: JSONDocument]
        do {
            guard let object = try JSONDocument.parse(raw).object else {
                throw StudioCoreError.badLine(path: path, line: number, reason: "expected a JSON object")
            }
            root = object
        } catch let error as StudioCoreError {
            throw error
        } catch {
            throw StudioCoreError.badLine(path: path, line: number, reason: "not valid JSON")
        }
        guard let t = root["t"]?.number else {
            throw StudioCoreError.badLine(path: path, line: number, reason: "t: expected a number of seconds")
        }
        guard t.isFinite, t >= 0 else {
            throw StudioCoreError.badLine(path: path, line: number, reason: "t: \(t) is not a finite time >= 0")
        }
        guard let controls = root["controls"], controls.object != nil else {
            throw StudioCoreError.badLine(path: path, line: number, reason: "controls: required")
        }
        do {
            return TrajectoryLine(t: t, controls: try ControlsJSON.decode(Data(controls.text.utf8)))
        } catch {
            throw StudioCoreError.badLine(path: path, line: number, reason: "controls.\(error)")
        }
    }
}

/// How a file's expression layout maps onto a model's: by name when names match, else by index.
struct ExpressionMapping {
    let file: [String]
    let target: [String]?
    /// Target slot → file slot (by name); nil maps by index.
    let byName: [Int?]?
    let warning: String?

    /// Whether expressions are changed to the target's layout.
    var mapped: Bool { target != nil }

    init(file: [String], target: [String]?) {
        self.file = file
        self.target = target
        guard let target, file != target else { byName = nil; warning = nil; return }
        let slots = target.map { file.firstIndex(of: $0) }
        let found = slots.compactMap { $0 }.count
        if found > 0 {
            byName = slots
            warning = found < target.count ? "\(target.count - found) of the model's \(target.count) expressions are not in the file (set to 0)" : nil
        } else {
            byName = nil
            warning = file.count == target.count ? nil
                : "the file has \(file.count) expressions, the model \(target.count) (\(file.count < target.count ? "padded" : "truncated"))"
        }
    }

    func apply(_ expression: Controls.Expression) -> Controls.Expression {
        guard let target else { return expression }
        switch expression {
        case .named: return expression
        case let .values(values):
            if values.isEmpty { return .values(Array(repeating: 0, count: target.count)) }
            if let byName {
                return .values(byName.map { slot in slot.flatMap { $0 < values.count ? values[$0] : nil } ?? 0 })
            }
            return .values(Array((values + Array(repeating: 0, count: max(0, target.count - values.count))).prefix(target.count)))
        }
    }
}

/// Playback and video timing: which line holds at a time.
public enum TrajectorySchedule {
    /// Index of the latest line with `t <= time` (lines already due collapse to the latest), or nil before
    /// the first line.
    public static func line(at time: Double, in lines: [TrajectoryLine]) -> Int? {
        var lo = 0, hi = lines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lines[mid].t <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// Frames of a video at `fps` covering the trajectory (frame k at `k / fps`, holding the last state).
    public static func frameCount(duration: Double, fps: Double) -> Int {
        Int((duration * fps + 1e-9).rounded(.down)) + 1
    }
}
