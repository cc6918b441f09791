import Foundation
import ModelIO
import Synth

/// A small line plotter for `metrics.csv`: one coloured line per metric (the raw values faint, a moving
/// average strong, markers when there are few points), axes with tick labels, a legend on the right; the y axis is logarithmic when every value is positive
/// and they span more than a factor of 20, else linear.
public enum LossCurvePlot {
    /// Line colours, in metric order (cycled).
    static let palette: [(UInt8, UInt8, UInt8)] = [
        (31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
        (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207), (0, 0, 128), (128, 0, 0),
        (0, 100, 0), (255, 0, 255), (0, 0, 0), (255, 200, 0),
    ]

    /// Reads `metricsPath` and writes the plot as a PNG to `path` (atomically).
    public static func write(metricsPath: String, to path: String, title: String, width: Int = 960, height: Int = 540) throws {
        let (columns, series) = try MetricsLog.read(path: metricsPath)
        let image = render(columns: columns, series: series, title: title, width: width, height: height)
        do { try PNGCodec.write(image, to: path) } catch {
            throw TrainingError.file(path: path, reason: "cannot write the loss curves: \(error)")
        }
    }

    /// The plot of `series` (name → (step, value) points) for the metrics `columns`, in that order.
    public static func render(columns: [String], series: [String: [(step: Double, value: Double)]], title: String,
                              width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let left = 84, right = 200, top = 40, bottom = 40
        let plotW = width - left - right, plotH = height - top - bottom
        let names = columns.filter { !(series[$0]?.isEmpty ?? true) }
        let finite = names.flatMap { series[$0] ?? [] }.filter { $0.value.isFinite }
        ContactSheet.draw(title, into: &image, x: left, y: 12, scale: 2)
        guard plotW > 10, plotH > 10 else { return image }
        drawRect(&image, x0: left, y0: top, x1: left + plotW, y1: top + plotH, colour: (0, 0, 0))
        guard let firstStep = finite.map(\.step).min(), let lastStep = finite.map(\.step).max(),
              let low = finite.map(\.value).min(), let high = finite.map(\.value).max() else {
            ContactSheet.draw("no data yet", into: &image, x: left + 10, y: top + 10, scale: 2)
            return image
        }
        let logarithmic = low > 0 && high / low > 20
        func transform(_ v: Double) -> Double { logarithmic ? Foundation.log10(v) : v }
        var yLow = transform(low), yHigh = transform(high)
        if yHigh - yLow < 1e-12 { yLow -= 0.5; yHigh += 0.5 }
        let pad = 0.04 * (yHigh - yLow)
        yLow -= pad; yHigh += pad
        let xLow = firstStep, xHigh = max(lastStep, firstStep + 10)
        func px(_ step: Double) -> Int { left + Int(((step - xLow) / (xHigh - xLow) * Double(plotW - 1)).rounded()) }
        func py(_ value: Double) -> Int {
            top + plotH - 1 - Int(((transform(value) - yLow) / (yHigh - yLow) * Double(plotH - 1)).rounded())
        }
        // Ticks and grid.
        for tick in ticks(low: yLow, high: yHigh, logarithmic: logarithmic) {
            let y = top + plotH - 1 - Int(((tick.position - yLow) / (yHigh - yLow) * Double(plotH - 1)).rounded())
            guard y > top, y < top + plotH else { continue }
            for x in left..<(left + plotW) where x % 4 == 0 { blend(&image, x, y, (200, 200, 200), 1) }
            for x in (left - 5)..<left { blend(&image, x, y, (0, 0, 0), 1) }
            ContactSheet.draw(tick.label, into: &image, x: 4, y: y - 5, scale: 2)
        }
        for tick in ticks(low: xLow, high: xHigh, logarithmic: false) {
            let x = left + Int(((tick.position - xLow) / (xHigh - xLow) * Double(plotW - 1)).rounded())
            guard x >= left, x < left + plotW else { continue }
            for y in (top + plotH)..<(top + plotH + 5) { blend(&image, x, y, (0, 0, 0), 1) }
            ContactSheet.draw(tick.label, into: &image, x: x - 6 * tick.label.count / 2 * 2 / 2, y: top + plotH + 10, scale: 2)
        }
        ContactSheet.draw("step", into: &image, x: left + plotW - 40, y: top + plotH + 24, scale: 2)
        // Lines: raw faint, moving average strong.
        for (k, name) in names.enumerated() {
            let colour = palette[k % palette.count]
            let points = (series[name] ?? []).filter { $0.value.isFinite && (!logarithmic || $0.value > 0) }
            guard !points.isEmpty else { continue }
            polyline(&image, points.map { (px($0.step), py($0.value)) }, colour: colour, opacity: 0.25)
            let window = max(1, points.count / 50)
            var smoothed: [(Int, Int)] = []
            var sum = 0.0
            for (i, p) in points.enumerated() {
                sum += transform(p.value)
                if i >= window { sum -= transform(points[i - window].value) }
                let mean = sum / Double(min(i + 1, window))
                let value = logarithmic ? Foundation.pow(10, mean) : mean
                smoothed.append((px(p.step), py(value)))
            }
            polyline(&image, smoothed, colour: colour, opacity: 1)
            if points.count <= 40 {                      // few points: a marker on each
                for p in points {
                    let (x0, y0) = (px(p.step), py(p.value))
                    for dy in -2...2 { for dx in -2...2 { blend(&image, x0 + dx, y0 + dy, colour, 1) } }
                }
            }
            // Legend entry, right of the plot.
            let lx = left + plotW + 12, ly = top + 4 + k * 18
            for y in ly..<(ly + 10) { for x in lx..<(lx + 16) { blend(&image, x, y, colour, 1) } }
            ContactSheet.draw(name, into: &image, x: lx + 22, y: ly, scale: 2)
        }
        if logarithmic { ContactSheet.draw("log scale", into: &image, x: left + plotW - 110, y: 12, scale: 2) }
        return image
    }

    /// Tick positions (in transformed units) and labels: decades on a log axis, 1-2-5 steps on a linear one.
    static func ticks(low: Double, high: Double, logarithmic: Bool) -> [(position: Double, label: String)] {
        if logarithmic {
            let first = Int(Foundation.ceil(low)), last = Int(Foundation.floor(high))
            guard first <= last else { return [] }
            let stride = max(1, (last - first + 1) / 8)
            return Swift.stride(from: first, through: last, by: stride).map { (Double($0), "1E\($0)") }
        }
        let span = high - low
        guard span > 0, span.isFinite else { return [] }
        let raw = span / 6, magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = Int(Foundation.ceil(low / step - 1e-9)), last = Int(Foundation.floor(high / step + 1e-9))
        guard first <= last else { return [] }
        return (first...last).map { k in (Double(k) * step, label(Double(k) * step, step: step)) }
    }

    private static func label(_ v: Double, step: Double) -> String {
        if Swift.abs(v) < step * 1e-6 { return "0" }
        if step >= 1, Swift.abs(v) < 1e7 { return String(Int(v.rounded())) }
        let decimals = max(0, Int(-Foundation.floor(Foundation.log10(step))))
        if decimals <= 4 { return String(format: "%.\(decimals)f", v) }
        return String(format: "%.1E", v)
    }

    private static func blend(_ image: inout RGBImage, _ x: Int, _ y: Int, _ colour: (UInt8, UInt8, UInt8), _ opacity: Double) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = 3 * (y * image.width + x)
        for (c, value) in [colour.0, colour.1, colour.2].enumerated() {
            let old = Double(image.pixels[i + c])
            image.pixels[i + c] = UInt8((old + (Double(value) - old) * opacity).rounded())
        }
    }

    private static func drawRect(_ image: inout RGBImage, x0: Int, y0: Int, x1: Int, y1: Int, colour: (UInt8, UInt8, UInt8)) {
        for x in x0...x1 { blend(&image, x, y0, colour, 1); blend(&image, x, y1, colour, 1) }
        for y in y0...y1 { blend(&image, x0, y, colour, 1); blend(&image, x1, y, colour, 1) }
    }

    /// Bresenham segments between consecutive points, two pixels thick when strong.
    private static func polyline(_ image: inout RGBImage, _ points: [(Int, Int)], colour: (UInt8, UInt8, UInt8), opacity: Double) {
        guard var previous = points.first else { return }
        if points.count == 1 { blend(&image, previous.0, previous.1, colour, opacity) }
        for point in points.dropFirst() {
            var x = previous.0, y = previous.1
            let dx = Swift.abs(point.0 - x), dy = -Swift.abs(point.1 - y)
            let sx = x < point.0 ? 1 : -1, sy = y < point.1 ? 1 : -1
            var error = dx + dy
            while true {
                blend(&image, x, y, colour, opacity)
                if opacity >= 1 { blend(&image, x, y + 1, colour, opacity) }
                if x == point.0 && y == point.1 { break }
                let e2 = 2 * error
                if e2 >= dy { error += dy; x += sx }
                if e2 <= dx { error += dx; y += sy }
            }
            previous = point
        }
    }
}
