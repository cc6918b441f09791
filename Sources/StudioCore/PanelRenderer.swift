import Foundation
import Generator

/// Where a slider is drawn, for mouse hit-testing (screen cells).
public struct SliderHit: Hashable, Sendable {
    /// Index into `StudioState.sliders`.
    public var slider: Int
    public var row: Int
    /// The whole cell (label to value).
    public var columns: Range<Int>
    /// The track, nil for sliders drawn without one (seed, choices).
    public var track: Range<Int>?
}

/// Everything the terminal half paints besides the preview: styled lines for the title, the panel (exactly
/// `layout.panel.height` lines of `layout.panel.width` cells), the status line; or the too-small message.
public struct ScreenContent: Hashable, Sendable {
    public var layout: Layout
    public var title: StyledLine
    public var panel: [StyledLine]
    public var status: StyledLine
    /// When set, paint only this (centred) and nothing else.
    public var tooSmall: StyledLine?
    public var hits: [SliderHit]
}

/// The pure screen renderer: state in, styled text out (golden snapshot tests use it).
public enum StudioScreen {
    public static func render(_ state: StudioState) -> ScreenContent {
        let layout = state.layout
        if let message = layout.tooSmallMessage {
            return ScreenContent(layout: layout, title: StyledLine(), panel: [], status: StyledLine(),
                                 tooSmall: StyledLine([StyledSpan(message, .warning)]), hits: [])
        }
        var hits: [SliderHit] = []
        let panel: [StyledLine]
        if let overlay = state.overlay {
            panel = OverlayRenderer.lines(overlay, state: state)
        } else {
            panel = PanelRenderer(state: state, layout: layout).lines(hits: &hits)
        }
        return ScreenContent(layout: layout, title: titleLine(state, width: layout.title.width), panel: panel,
                             status: statusLine(state, width: layout.status.width), tooSmall: nil, hits: hits)
    }

    static func titleLine(_ state: StudioState, width: Int) -> StyledLine {
        var rest: [String] = []
        switch state.controls.identity {
        case let .seed(seed, blend):
            rest.append(blend > 0 ? "seed \(seed)+\(fixed(blend, decimals: 2))" : "seed \(seed)")
        case .codes: rest.append("explicit codes")
        }
        rest.append("psi " + fixed(state.controls.studioPsi, decimals: 2))
        rest.append("\(state.controls.view.rawValue)/\(state.controls.show.rawValue)")
        if state.sideBySide { rest.append("side by side") }
        // What does not fit goes first: the "portrait" prefix, then the model's note, then "? help".
        var right = "? help"
        let candidates = [["portrait", state.model.titleName(withNote: true)], [state.model.titleName(withNote: true)],
                          [state.model.titleName(withNote: false)]].map { ($0 + rest).joined(separator: " - ") }
        var left = candidates.first { $0.count + 1 + right.count <= width } ?? candidates[candidates.count - 1]
        if left.count + 1 + right.count > width {
            right = ""
            left = candidates.first { $0.count <= width } ?? left
        }
        var line = StyledLine()
        line.append(left, .title)
        line.append(String(repeating: " ", count: max(1, width - left.count - right.count)), .title)
        line.append(right, .title)
        return line.fitted(to: width, fill: .title)
    }

    static func statusLine(_ state: StudioState, width: Int) -> StyledLine {
        var line = StyledLine()
        let separator = " | "
        line.append(state.renderStatus.stage, .statusText)
        if let full = state.renderStatus.fullMilliseconds { line.append(separator + "full \(Int(full.rounded())) ms", .statusText) }
        if let preview = state.renderStatus.previewMilliseconds { line.append(separator + "preview \(Int(preview.rounded())) ms", .statusText) }
        if let cache = state.renderStatus.cache { line.append(separator + "cache \(cache)", .statusText) }
        if let recording = state.recording {
            let seconds = recording.startTime.map { max(0, state.now - $0) } ?? 0
            line.append(separator, .statusText)
            line.append("* REC " + clock(seconds), .recording)
        }
        if let playback = state.playback {
            let seconds = playback.startTime.map { max(0, state.now - $0) } ?? 0
            line.append(separator, .statusText)
            line.append("> PLAY \(clock(seconds))/\(clock(playback.trajectory.duration))", .playing)
        }
        if let message = state.message {
            line.append(separator, .statusText)
            let style: ThemeKey = message.level == .error ? .error : message.level == .warning ? .warning : .info
            line.append(message.text, style)
        }
        return line.fitted(to: width, fill: .statusBackground)
    }

    /// `mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%02d:%02d", s / 60, s % 60)
    }
}

/// Draws the slider groups into the panel rectangle.
struct PanelRenderer {
    let state: StudioState
    let layout: Layout
    let model: PanelModel

    init(state: StudioState, layout: Layout) {
        self.state = state
        self.layout = layout
        self.model = PanelModel(sliders: state.sliders, layout: layout)
    }

    var width: Int { layout.panel.width }
    /// Label column width: the longest label, within [6, 16] and a third of the panel.
    var labelWidth: Int {
        let longest = state.sliders.map(\.label.count).max() ?? 6
        return max(6, min(longest, 16, (width - 12) / 3 + 2))
    }
    static let valueWidth = 6

    func lines(hits: inout [SliderHit]) -> [StyledLine] {
        var out: [StyledLine] = []
        let selectedGroup = state.sliders[state.selection].group
        for section in model.sections {
            guard out.count < layout.panel.height else { break }
            out.append(header(section, active: section.group == selectedGroup))
            let content = section.contentRows
            let offset = max(0, min(state.scroll[section.group] ?? 0, section.rows.count - content))
            for rowIndex in offset..<(offset + content) {
                let row = layout.panel.row + out.count
                out.append(sliderRow(section.rows[rowIndex], section: section, screenRow: row, hits: &hits))
            }
            if section.rows.count > section.window, section.window >= 3 {
                var parts: [String] = []
                if offset > 0 { parts.append("^ \(offset) above") }
                let below = section.rows.count - offset - content
                if below > 0 { parts.append("v \(below) more") }
                var line = StyledLine()
                line.append("   " + parts.joined(separator: "  "), .dim)
                out.append(line)
            }
        }
        while out.count < layout.panel.height { out.append(StyledLine()) }
        return out.prefix(layout.panel.height).map { $0.fitted(to: width, fill: .background) }
    }

    func header(_ section: PanelModel.Section, active: Bool) -> StyledLine {
        var line = StyledLine()
        line.append(" ", .background)
        line.append(section.group.title, active ? .groupActive : .group)
        if model.wide && section.group == .headAndShoulders {
            // The joint grid's axis names sit on the heading line, above their columns.
            line.append(String(repeating: " ", count: max(1, 3 + labelWidth - line.width)), .background)
            for axis in 0..<3 {
                line.append(pad(" \(SliderTable.axisNames[axis]) (\(SliderTable.axisMeanings[axis]))", jointCellWidth), .dim)
            }
            return line
        }
        let hint: String
        switch section.group {
        case .expression: hint = "e random"
        case .headAndShoulders: hint = "zyx=tilt,turn,nod"
        default: hint = ""
        }
        if !hint.isEmpty {
            let used = 1 + section.group.title.count
            line.append(String(repeating: " ", count: max(1, width - used - hint.count - 1)), .background)
            line.append(hint, .dim)
        }
        return line
    }

    var jointCellWidth: Int { max(6, (width - 3 - labelWidth) / 3) }

    func sliderRow(_ indices: [Int], section: PanelModel.Section, screenRow: Int, hits: inout [SliderHit]) -> StyledLine {
        var line = StyledLine()
        let left = layout.panel.column
        line.append(" ", .background)
        if model.wide && section.group == .headAndShoulders {
            // Row label = joint name; three cells of track and value.
            let selected = indices.contains(state.selection)
            line.append(selected ? "> " : "  ", selected ? .labelSelected : .label)
            var joint = ""
            if case let .joint(j, _) = state.sliders[indices[0]].id { joint = Controls.jointNames[j] }
            line.append(pad(joint, labelWidth), selected ? .labelSelected : .label)
            let cell = jointCellWidth
            for index in indices {
                let start = left + line.width
                let isSelected = index == state.selection
                let trackWidth = max(3, cell - 2 - 5)
                line.append(isSelected ? " >" : "  ", isSelected ? .labelSelected : .background)
                let trackStart = left + line.width
                appendTrack(&line, index: index, width: trackWidth)
                line.append(pad(state.sliders[index].format(state.value(of: index)), 5, right: true), .value)
                hits.append(SliderHit(slider: index, row: screenRow, columns: start..<(left + line.width),
                                      track: trackStart..<(trackStart + trackWidth)))
            }
            return line
        }
        let threeColumns = model.wide && section.group == .expression && state.sliders[indices[0]].id != .preset
        let cellWidth = threeColumns ? (width - 1) / 3 : width - 1
        let cellLabelWidth = threeColumns ? max(4, min(labelWidth, cellWidth / 2 - 2)) : labelWidth
        for index in indices {
            let start = left + line.width
            let track = appendCell(&line, index: index, width: cellWidth, labelWidth: cellLabelWidth)
            hits.append(SliderHit(slider: index, row: screenRow, columns: start..<(left + line.width),
                                  track: track.map { (left + $0.lowerBound)..<(left + $0.upperBound) }))
        }
        return line
    }

    /// Appends one slider cell of `width`; returns the track's columns relative to the panel.
    func appendCell(_ line: inout StyledLine, index: Int, width: Int, labelWidth: Int) -> Range<Int>? {
        let spec = state.sliders[index]
        let selected = index == state.selection
        let begin = line.width
        line.append(selected ? "> " : "  ", selected ? .labelSelected : .label)
        line.append(pad(shortLabel(spec.label, labelWidth), labelWidth), selected ? .labelSelected : .label)
        line.append(" ", .background)
        let value = state.value(of: index)
        let valueWidth = width >= 30 ? Self.valueWidth : 5
        let rest = width - (line.width - begin)
        switch spec.id {
        case .seed:
            let text: String
            if case .codes = state.controls.identity { text = "codes" } else { text = spec.format(value) }
            line.append(text, .value)
            let hint = "n/N, space"
            if rest - text.count > hint.count + 2 {
                line.append(String(repeating: " ", count: rest - text.count - hint.count - 1), .background)
                line.append(hint, .dim)
            }
            return nil
        case .camera, .show:
            line.append(spec.format(value), .value)
            return nil
        default:
            let trackWidth = max(3, rest - valueWidth - 1)
            let trackStart = line.width
            appendTrack(&line, index: index, width: trackWidth)
            line.append(" ", .background)
            line.append(pad(spec.format(value), valueWidth, right: true), .value)
            let end = begin + width
            if line.width < end { line.append(String(repeating: " ", count: end - line.width), .background) }
            return trackStart..<(trackStart + trackWidth)
        }
    }

    /// `label` shortened to `width`: a joint label keeps its `.axis` ending (`right_co.y`); other labels
    /// abbreviate `_left`/`_right` to `_l`/`_r`, then keep their last `_` part (`brow_rai_l`).
    func shortLabel(_ label: String, _ width: Int) -> String {
        guard label.count > width else { return label }
        if let dot = label.lastIndex(of: "."), label.distance(from: dot, to: label.endIndex) == 2, width > 3 {
            return String(label[..<dot].prefix(width - 2)) + String(label[dot...])
        }
        var short = label
        if short.hasSuffix("_left") { short = String(short.dropLast(3)) }
        if short.hasSuffix("_right") { short = String(short.dropLast(4)) }
        if short.count > width, let underscore = short.lastIndex(of: "_") {
            let tail = String(short[underscore...])
            if tail.count < width - 1 { short = String(short[..<underscore].prefix(width - tail.count)) + tail }
        }
        return String(short.prefix(width))
    }

    /// A track of `width` cells: fill between the range's origin (0, clamped) and the knob.
    func appendTrack(_ line: inout StyledLine, index: Int, width: Int) {
        let spec = state.sliders[index]
        let lo = spec.range.lowerBound, hi = spec.range.upperBound
        let span = hi - lo
        func position(_ v: Double) -> Int {
            guard span > 0, width > 1 else { return 0 }
            return max(0, min(width - 1, Int(((v - lo) / span * Double(width - 1)).rounded())))
        }
        let knob = position(state.value(of: index))
        let origin = position(min(hi, max(lo, 0)))
        let glyphs: (fill: String, track: String, knob: String) = state.glyphs == .unicode ? ("━", "─", "┃") : ("=", "-", "|")
        for i in 0..<width {
            if i == knob {
                line.append(glyphs.knob, .knob)
            } else if (i >= origin && i < knob) || (i > knob && i <= origin && origin != knob) {
                line.append(glyphs.fill, .fill)
            } else {
                line.append(glyphs.track, .track)
            }
        }
    }
}
