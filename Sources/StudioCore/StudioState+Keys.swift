import Foundation
import Generator

extension StudioState {
    mutating func handleKey(_ key: StudioKey, _ effects: inout [StudioEffect]) {
        if layout.isTooSmall {
            switch key {
            case .character("q"), .control("c"): quit(&effects)
            case .control("l"): effects.append(.fullRedraw)
            default: break
            }
            return
        }
        if let overlay {
            handleOverlayKey(key, overlay, &effects)
            return
        }
        let count = sliders.count
        switch key {
        case .up, .character("k"): select(max(0, selection - 1))
        case .down, .character("j"): select(min(count - 1, selection + 1))
        case .home: select(0)
        case .end: select(count - 1)
        case .left, .character("h"): stepSelected(-1, coarse: false, &effects)
        case .right, .character("l"): stepSelected(1, coarse: false, &effects)
        case .pageDown: stepSelected(-1, coarse: true, &effects)
        case .pageUp: stepSelected(1, coarse: true, &effects)
        case .tab: selectGroup((sliders[selection].group.rawValue + 1) % SliderGroup.allCases.count)
        case .backTab:
            let n = SliderGroup.allCases.count
            selectGroup((sliders[selection].group.rawValue + n - 1) % n)
        case let .character(c) where ("1"..."5").contains(c):
            selectGroup(Int(String(c)).map { $0 - 1 } ?? 0)
        case .enter:
            overlay = .valueEntry(slider: selection, text: "")
        case .character("0"):
            if setValue(selection, sliders[selection].defaultValue, report: false, &effects) { changed(byUser: true, &effects) }
        case .character("R"):
            resetGroup(sliders[selection].group, &effects)
        case .character("n"): moveSeed(by: 1, &effects)
        case .character("N"): moveSeed(by: -1, &effects)
        case .character(" "):
            let seed = UInt32(truncatingIfNeeded: nextRandom() >> 32)
            controls.identity = .seed(seed, blend: 0)
            changed(byUser: true, &effects)
        case .character("e"): randomExpression(&effects)
        case .character("s"):
            effects.append(.saveFavourite(controls: controls, directory: outDirectory))
            say("saving…", .info, &effects)
        case .character("f"):
            overlay = .favourites(entries: nil, selection: 0)
            effects.append(.listFavourites(directory: outDirectory))
        case .character("r"): toggleRecording(&effects)
        case .character("p"):
            if let playback {
                self.playback = nil
                say("playback of \(fileName(playback.path)) stopped", .info, &effects)
            } else {
                overlay = .trajectories(paths: nil, selection: 0)
                effects.append(.listTrajectories(directory: outDirectory))
            }
        case .character("v"): cycle(.camera, &effects)
        case .character("V"): cycle(.show, &effects)
        case .character("m"): effects.append(.switchModel)
        case .character("c"):
            if case let .unavailable(reason) = model.comparison, !sideBySide {
                say("side by side unavailable: \(reason)", .warning, &effects)
            } else {
                sideBySide.toggle()
                drag = nil
                keepSelectionVisible()
                effects.append(.fullRedraw)
                say(sideBySide ? "side by side: neural | synthetic" : "side by side off", .info, &effects)
                requestRender(&effects)
            }
        case .character("?"): overlay = .help(offset: 0)
        case .control("l"): effects.append(.fullRedraw)
        case .character("q"), .control("c"): quit(&effects)
        default: break
        }
    }

    mutating func quit(_ effects: inout [StudioEffect]) {
        stopRecording(&effects)
        quitting = true
        effects.append(.quit)
    }

    mutating func select(_ index: Int) {
        selection = index
        keepSelectionVisible()
    }

    mutating func selectGroup(_ group: Int) {
        guard let g = SliderGroup(rawValue: group), let i = sliders.firstIndex(where: { $0.group == g }) else { return }
        select(i)
    }

    mutating func stepSelected(_ steps: Double, coarse: Bool, _ effects: inout [StudioEffect]) {
        step(selection, by: steps, coarse: coarse, &effects)
    }

    mutating func moveSeed(by delta: Int64, _ effects: inout [StudioEffect]) {
        let seed = Int64(controls.studioSeed) + delta
        guard seed >= 0, seed <= Int64(UInt32.max) else { return }
        controls.identity = .seed(UInt32(seed), blend: 0)
        changed(byUser: true, &effects)
    }

    mutating func cycle(_ id: SliderID, _ effects: inout [StudioEffect]) {
        guard let index = sliders.firstIndex(where: { $0.id == id }), let choices = sliders[index].choices else { return }
        let next = (Int(value(of: index)) + 1) % choices.count
        if setValue(index, Double(next), report: false, &effects) { changed(byUser: true, &effects) }
    }

    mutating func resetGroup(_ group: SliderGroup, _ effects: inout [StudioEffect]) {
        var any = false
        for (i, spec) in sliders.enumerated() where spec.group == group && spec.id != .seed {
            if spec.id == .preset { continue }
            any = setValue(i, spec.defaultValue, report: false, &effects) || any
        }
        if group == .expression, preset != 0 { preset = 0; any = true }
        if any { changed(byUser: true, &effects) }
    }

    mutating func randomExpression(_ effects: inout [StudioEffect]) {
        let rows = model.expressionSamples.count
        guard rows > 0 else {
            say("this model has no expression samples", .warning, &effects)
            return
        }
        let row = Int((nextRandom() >> 11) % UInt64(rows))
        applyPreset(0)
        var vector = controls.studioExpression
        let sample = model.expressionSamples[row]
        for i in 0..<min(sample.count, vector.count) {
            vector[i] = min(model.expressionRange.upperBound, max(model.expressionRange.lowerBound, sample[i]))
        }
        controls.expression = .values(vector)
        preset = row + 1 <= model.presetCount ? row + 1 : 0
        say("expression from sample \(row + 1) of \(rows)", .info, &effects)
        changed(byUser: true, &effects)
    }

    /// Restores a favourite: every slider from its controls, a warning for another model.
    mutating func restore(_ entry: FavouriteEntry, _ effects: inout [StudioEffect]) {
        adopt(entry.controls, effects: &effects, announce: true)
        preset = 0
        if let saved = entry.model.dataSHA256, let current = model.dataSHA256, saved != current {
            say("\(entry.name) was saved with another model (\(entry.model.name), data \(saved.prefix(12))…)", .warning, &effects)
        } else if entry.model.name != model.name {
            say("\(entry.name) was saved with model \(entry.model.name)", .warning, &effects)
        } else if let saved = entry.model.version, saved != model.version {
            say("\(entry.name) was saved with \(entry.model.name) renderer \(saved), this is \(model.version ?? "another")", .warning, &effects)
        } else {
            say("restored \(entry.name)", .info, &effects)
        }
        changed(byUser: true, &effects)
    }

    // MARK: - Overlays

    mutating func handleOverlayKey(_ key: StudioKey, _ current: Overlay, _ effects: inout [StudioEffect]) {
        switch current {
        case let .help(offset):
            switch key {
            case .down, .character("j"): overlay = .help(offset: min(offset + 1, max(0, HelpText.lines.count - 1)))
            case .up, .character("k"): overlay = .help(offset: max(0, offset - 1))
            case .control("c"): quit(&effects)
            default: closeOverlay(&effects)
            }
        case let .favourites(entries, selection):
            let count = entries?.count ?? 0
            switch key {
            case .down, .character("j"): overlay = .favourites(entries: entries, selection: min(max(0, count - 1), selection + 1))
            case .up, .character("k"): overlay = .favourites(entries: entries, selection: max(0, selection - 1))
            case .home: overlay = .favourites(entries: entries, selection: 0)
            case .end: overlay = .favourites(entries: entries, selection: max(0, count - 1))
            case .enter:
                if let entries, selection < entries.count {
                    closeOverlay(&effects)
                    restore(entries[selection], &effects)
                }
            case .character("d"), .delete:
                if let entries, selection < entries.count { effects.append(.deleteFavourite(entries[selection])) }
            case .escape, .character("f"), .character("q"): closeOverlay(&effects)
            case .control("c"): quit(&effects)
            default: break
            }
        case let .trajectories(paths, selection):
            let count = paths?.count ?? 0
            switch key {
            case .down, .character("j"): overlay = .trajectories(paths: paths, selection: min(max(0, count - 1), selection + 1))
            case .up, .character("k"): overlay = .trajectories(paths: paths, selection: max(0, selection - 1))
            case .enter:
                if let paths, selection < paths.count { effects.append(.loadTrajectory(path: paths[selection])) }
            case .escape, .character("p"), .character("q"): closeOverlay(&effects)
            case .control("c"): quit(&effects)
            default: break
            }
        case let .valueEntry(slider, text):
            switch key {
            case let .character(c) where c.isNumber || c == "." || c == "-" || c == "+" || c == "e" || c.isLetter || c == "_":
                if text.count < 24 { overlay = .valueEntry(slider: slider, text: text + String(c)) }
            case .backspace, .delete: overlay = .valueEntry(slider: slider, text: String(text.dropLast()))
            case .enter:
                closeOverlay(&effects)
                enterValue(slider, text, &effects)
            case .escape: closeOverlay(&effects)
            case .control("c"): quit(&effects)
            default: break
            }
        }
    }

    mutating func closeOverlay(_ effects: inout [StudioEffect]) {
        overlay = nil
        effects.append(.fullRedraw)
    }

    /// Applies a typed value: a number (or a choice's name or index), clamped with a message.
    mutating func enterValue(_ index: Int, _ text: String, _ effects: inout [StudioEffect]) {
        let spec = sliders[index]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        var value: Double?
        if let choices = spec.choices, let i = choices.firstIndex(of: trimmed) { value = Double(i) }
        if value == nil, let d = Double(trimmed), d.isFinite { value = d }
        guard let value else {
            say("\(spec.label): '\(trimmed)' is not a \(spec.choices == nil ? "number" : "choice (\(spec.choices?.joined(separator: ", ") ?? ""))")", .error, &effects)
            return
        }
        if spec.id == .seed, value != value.rounded() {
            say("seed: '\(trimmed)' is not an integer", .error, &effects)
            return
        }
        if spec.id == .blend, !(0..<1).contains(value) {
            say("blend \(trimmed) is outside [0, 1)", .error, &effects)
            return
        }
        if setValue(index, value, report: true, &effects) { changed(byUser: true, &effects) }
    }
}
