/// How the panel arranges the sliders: rows per group (one slider per row, or up to three in the wide
/// form) and how many rows each group may show. Shared by the renderer and mouse hit-testing.
struct PanelModel {
    /// One group's block: its slider rows and the rows it may show (window).
    struct Section {
        var group: SliderGroup
        /// Slider indices per row.
        var rows: [[Int]]
        /// Lines available for rows (indicator line included when rows are hidden).
        var window: Int
        /// Rows of content shown (window minus the indicator line when rows are hidden).
        var contentRows: Int { rows.count > window && window >= 3 ? window - 1 : window }
    }

    var sections: [Section]
    var wide: Bool

    init(sliders: [SliderSpec], layout: Layout) {
        wide = layout.isWide
        var sections: [Section] = []
        for group in SliderGroup.allCases {
            let indices = sliders.indices.filter { sliders[$0].group == group }
            var rows: [[Int]] = []
            if wide && group == .expression {
                let presets = indices.filter { sliders[$0].id == .preset }
                let rest = indices.filter { sliders[$0].id != .preset }
                rows = presets.map { [$0] }
                var i = 0
                while i < rest.count { rows.append(Array(rest[i..<min(i + 3, rest.count)])); i += 3 }
            } else if wide && group == .headAndShoulders {
                var i = 0
                while i < indices.count { rows.append(Array(indices[i..<min(i + 3, indices.count)])); i += 3 }
            } else {
                rows = indices.map { [$0] }
            }
            sections.append(Section(group: group, rows: rows, window: rows.count))
        }
        // Fit the height: Camera, Identity and View keep all their rows; Expression and Head & shoulders
        // share what is left; if even that is too little, every section shrinks in turn.
        let height = layout.panel.height
        var total = sections.reduce(0) { $0 + 1 + $1.window }
        let flexible = [SliderGroup.expression.rawValue, SliderGroup.headAndShoulders.rawValue]
        if total > height {
            let fixed = sections.filter { !flexible.contains($0.group.rawValue) }.reduce(0) { $0 + 1 + $1.window }
            let headers = flexible.count
            let available = max(0, height - fixed - headers)
            let e = sections[flexible[0]].rows.count, j = sections[flexible[1]].rows.count
            let windowE = min(e, max(available - j, (available + 1) / 2))
            sections[flexible[0]].window = windowE
            sections[flexible[1]].window = min(j, available - windowE)
            total = sections.reduce(0) { $0 + 1 + $1.window }
        }
        // Still too tall (very small panels): shrink the largest windows one line at a time.
        while total > height, let i = sections.indices.filter({ sections[$0].window > 0 })
            .max(by: { sections[$0].window < sections[$1].window }) {
            sections[i].window -= 1
            total -= 1
        }
        self.sections = sections
    }

    /// The section and row holding slider `index`.
    func position(of index: Int) -> (section: Int, row: Int)? {
        for (s, section) in sections.enumerated() {
            if let r = section.rows.firstIndex(where: { $0.contains(index) }) { return (s, r) }
        }
        return nil
    }
}

extension StudioState {
    /// Adjusts the scroll offsets so that the selected slider's row is shown.
    mutating func keepSelectionVisible() {
        let layout = self.layout
        guard !layout.isTooSmall else { return }
        let model = PanelModel(sliders: sliders, layout: layout)
        for section in model.sections {
            let content = section.contentRows
            var offset = scroll[section.group] ?? 0
            if let (s, row) = model.position(of: selection), model.sections[s].group == section.group, content > 0 {
                if row < offset { offset = row }
                if row >= offset + content { offset = row - content + 1 }
            }
            offset = max(0, min(offset, section.rows.count - content))
            scroll[section.group] = offset
        }
    }
}
