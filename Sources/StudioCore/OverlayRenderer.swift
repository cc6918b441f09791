/// Draws an overlay over the panel (never over the preview).
enum OverlayRenderer {
    static func lines(_ overlay: Overlay, state: StudioState) -> [StyledLine] {
        let layout = state.layout
        let width = layout.panel.width, height = layout.panel.height
        var out: [StyledLine] = []
        func add(_ text: String, _ style: ThemeKey = .overlayText) {
            var line = StyledLine()
            line.append(" " + text, style)
            out.append(line)
        }
        switch overlay {
        case let .help(offset):
            add(HelpText.lines[0], .title)
            for text in HelpText.lines.dropFirst(min(offset + 1, HelpText.lines.count)) { add(text) }
        case let .favourites(entries, selection):
            add("Favourites", .title)
            add("Enter restore, d delete, Esc close", .dim)
            guard let entries else { add("reading…", .dim); break }
            if entries.isEmpty { add("no favourites in \(state.outDirectory)", .dim) }
            appendList(entries.map { "\($0.name)  \($0.model.name)" }, selection: selection, height: height - 2, into: &out)
        case let .trajectories(paths, selection):
            add("Trajectories", .title)
            add("Enter play, Esc close", .dim)
            guard let paths else { add("reading…", .dim); break }
            if paths.isEmpty { add("no trajectories in \(state.outDirectory)", .dim) }
            appendList(paths.map(fileName), selection: selection, height: height - 2, into: &out)
        case let .valueEntry(slider, text):
            let spec = state.sliders[slider]
            add("Value for \(spec.label)", .title)
            let range: String
            if let choices = spec.choices {
                range = choices.joined(separator: " | ")
            } else if spec.id == .blend {
                range = "[0, 1)"
            } else {
                range = "[\(spec.format(spec.range.lowerBound)), \(spec.format(spec.range.upperBound))]"
            }
            add("range \(range), now \(spec.format(state.value(of: slider)))", .dim)
            add("> " + text + (state.glyphs == .unicode ? "▏" : "_"))
            add("Enter apply, Esc cancel", .dim)
        }
        while out.count < height { out.append(StyledLine()) }
        return out.prefix(height).map { $0.fitted(to: width, fill: .overlayBackground) }
    }

    /// A list with the selection marked, scrolled to keep it visible.
    static func appendList(_ items: [String], selection: Int, height: Int, into out: inout [StyledLine]) {
        guard height > 0 else { return }
        let first = max(0, min(selection - height / 2, items.count - height))
        for (i, item) in items.enumerated().dropFirst(first).prefix(height) {
            var line = StyledLine()
            let selected = i == selection
            line.append(selected ? " > " : "   ", selected ? .labelSelected : .overlayText)
            line.append(item, selected ? .labelSelected : .overlayText)
            out.append(line)
        }
    }
}
