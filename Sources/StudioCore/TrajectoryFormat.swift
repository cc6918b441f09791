import Foundation
import Generator
import ModelIO

/// Text of `portrait-trajectory/1` lines (DESIGN.md §4 "Trajectories").
public enum TrajectoryFormat {
    /// One change line: `{"t": 1.337, "controls": {...}}` (controls without `format`).
    public static func line(t: Double, controls: Controls) -> String {
        "{\"t\": \(ControlsJSONNumber.string(t)), \"controls\": \(ControlsJSON.encode(controls, includeFormat: false))}"
    }

    /// The header line, stamped with `startedAt` (UTC, millisecond precision).
    public static func headerLine(_ header: TrajectoryHeader, startedAt: Date) -> String {
        var model = "\"name\": \(JSONValue.quoted(header.model.name))"
        if let sha = header.model.dataSHA256 { model += ", \"data_sha256\": \(JSONValue.quoted(sha))" }
        if let version = header.model.version { model += ", \"version\": \(JSONValue.quoted(version))" }
        let expression = header.expressionNames.map(JSONValue.quoted).joined(separator: ", ")
        let joints = header.jointNames.map(JSONValue.quoted).joined(separator: ", ")
        return "{\"format\": \"\(TrajectoryHeader.format)\", \"model\": {\(model)}, "
            + "\"started_at\": \(JSONValue.quoted(Timestamp.iso8601(startedAt, milliseconds: true))), "
            + "\"layout\": {\"expression\": [\(expression)], \"joints\": [\(joints)], "
            + "\"euler_order\": \"ZYX\", \"angle_unit\": \"degree\"}}"
    }
}

/// UTC timestamps and file-name stamps (no locale, no time zone database).
public enum Timestamp {
    /// `2026-11-26T01:02:03Z` or with `.120` milliseconds.
    public static func iso8601(_ date: Date, milliseconds: Bool = false) -> String {
        let (y, mo, d, h, mi, s, ms) = components(date)
        let base = "\(p(y, 4))-\(p(mo, 2))-\(p(d, 2))T\(p(h, 2)):\(p(mi, 2)):\(p(s, 2))"
        return base + (milliseconds ? ".\(p(ms, 3))Z" : "Z")
    }

    /// `20261126-010203`.
    public static func fileStamp(_ date: Date) -> String {
        let (y, mo, d, h, mi, s, _) = components(date)
        return "\(p(y, 4))\(p(mo, 2))\(p(d, 2))-\(p(h, 2))\(p(mi, 2))\(p(s, 2))"
    }

    static func p(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Civil UTC date from the Unix time (Howard Hinnant's days-from-civil inverse).
    static func components(_ date: Date) -> (Int, Int, Int, Int, Int, Int, Int) {
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMs >= 0 ? totalMs / 86_400_000 : (totalMs - 86_399_999) / 86_400_000
        let msOfDay = Int(totalMs - days * 86_400_000)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        return (y, m, d, msOfDay / 3_600_000, msOfDay / 60000 % 60, msOfDay / 1000 % 60, msOfDay % 1000)
    }
}
