import Foundation

/// `metrics.csv`: a header `step,wall_seconds,cpu_seconds,<metric>...` then one row per optimiser step
/// (the step number after the step; empty cells for metrics a step did not compute). On resume, rows past the
/// checkpoint's step are dropped, so the file always describes the state it sits beside.
public struct MetricsLog {
    public let path: String
    public let columns: [String]

    /// Opens (or creates) the log; keeps rows with step ≤ `keepingThrough`. A log with other columns is an
    /// error naming both headers.
    public init(path: String, metricNames: [String], keepingThrough step: Int) throws {
        self.path = path
        columns = ["step", "wall_seconds", "cpu_seconds"] + metricNames
        let header = columns.joined(separator: ",")
        var kept = [header]
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            if let first = lines.first, String(first) != header {
                throw TrainingError.file(path: path, reason: "columns '\(first)', this run writes '\(header)'")
            }
            for line in lines.dropFirst() {
                guard let cell = line.split(separator: ",", maxSplits: 1).first, let rowStep = Int(cell) else { continue }
                if rowStep <= step { kept.append(String(line)) }
            }
        }
        do { try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw TrainingError.file(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Appends one row.
    public func append(step: Int, wallSeconds: Double, cpuSeconds: Double, metrics: [String: Double]) throws {
        var cells = [String(step), String(format: "%.3f", wallSeconds), String(format: "%.3f", cpuSeconds)]
        for name in columns.dropFirst(3) { cells.append(metrics[name].map { "\($0)" } ?? "") }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TrainingError.file(path: path, reason: "cannot open for appending")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((cells.joined(separator: ",") + "\n").utf8))
        } catch {
            throw TrainingError.file(path: path, reason: "cannot append: \(error.localizedDescription)")
        }
    }

    /// The series of every metric column: name → [(step, value)], in file order (empty cells skipped).
    public static func read(path: String) throws -> (columns: [String], series: [String: [(step: Double, value: Double)]]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.file(path: path, reason: "missing or unreadable")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first else { return ([], [:]) }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var series: [String: [(step: Double, value: Double)]] = [:]
        for (number, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == columns.count, let step = Double(cells[0]) else {
                throw TrainingError.file(path: path, reason: "line \(number + 2): \(cells.count) cells, header has \(columns.count)")
            }
            for (name, cell) in zip(columns.dropFirst(3), cells.dropFirst(3)) {
                if let value = Double(cell) { series[name, default: []].append((step, value)) }
            }
        }
        return (Array(columns.dropFirst(3)), series)
    }
}
