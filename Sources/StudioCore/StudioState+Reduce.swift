import Generator
import Numerics

/// Seconds a status-line message stays.
let messageSeconds = 5.0

extension StudioState {
    /// Applies `event`, returning the effects (see `reduce`).
    mutating func handle(_ event: StudioEvent) -> [StudioEffect] {
        var effects: [StudioEffect] = []
        switch event {
        case let .key(key):
            handleKey(key, &effects)
        case let .mouse(mouse):
            handleMouse(mouse, &effects)
        case let .tick(time):
            tick(time, &effects)
        case let .resize(newSize):
            size = newSize
            drag = nil
            keepSelectionVisible()
        case let .renderStatus(generation, status):
            if generation == self.generation || status.stage == "idle" {
                renderStatus = status
            } else {
                renderStatus.fullMilliseconds = status.fullMilliseconds ?? renderStatus.fullMilliseconds
                renderStatus.previewMilliseconds = status.previewMilliseconds ?? renderStatus.previewMilliseconds
                renderStatus.cache = status.cache ?? renderStatus.cache
            }
        case let .renderFailed(generation, text):
            if generation == self.generation { renderStatus.stage = "failed" }
            say("render failed: \(text)", .error, &effects)
        case let .saveDone(name):
            say("saved \(name)", .info, &effects)
        case let .saveFailed(text):
            say("save failed: \(text)", .error, &effects)
        case let .favouritesListed(entries):
            if case .favourites = overlay { overlay = .favourites(entries: entries, selection: 0) }
        case let .favouriteDeleted(name):
            if case let .favourites(entries?, selection) = overlay {
                let remaining = entries.filter { $0.name != name }
                overlay = .favourites(entries: remaining, selection: min(selection, max(0, remaining.count - 1)))
            }
            say("deleted \(name)", .info, &effects)
        case let .favouritesFailed(text):
            say(text, .error, &effects)
        case let .recordingStarted(path):
            recording?.path = path
        case let .recordingFailed(text):
            if recording != nil {
                recording = nil
                effects.append(.stopRecording)
            }
            say("recording stopped: \(text)", .error, &effects)
        case let .trajectoriesListed(paths):
            if case .trajectories = overlay { overlay = .trajectories(paths: paths, selection: 0) }
        case let .trajectoryLoaded(trajectory, path, warnings):
            for warning in warnings { say(warning, .warning, &effects) }
            guard !trajectory.lines.isEmpty else {
                say("\(fileName(path)): no lines to play", .warning, &effects)
                break
            }
            if case .trajectories = overlay { overlay = nil; effects.append(.fullRedraw) }
            playback = PlaybackState(trajectory: trajectory, path: path, startTime: nil, nextLine: 0)
            say("playing \(fileName(path))", .info, &effects)
            let recordedWith = trajectory.header.model
            if let sha = recordedWith.dataSHA256, let current = model.dataSHA256, sha != current {
                say("\(fileName(path)) was recorded with another model (\(recordedWith.name), data \(sha.prefix(12))…)", .warning, &effects)
            }
        case let .trajectoryFailed(text):
            say(text, .error, &effects)
        case let .modelChanged(info):
            let oldNames = model.expressionLabels
            let hadNames = model.expressionNames != nil
            expressionMemory[model.name] = controls.studioExpression
            let remembered = expressionMemory[info.name]
            let byName = hadNames && info.expressionNames != nil
            model = info
            let selected = sliders[selection]
            sliders = SliderTable.sliders(for: info)
            selection = sliders.firstIndex { $0.group == selected.group && $0.label == selected.label }
                ?? sliders.firstIndex { $0.id == selected.id } ?? min(selection, sliders.count - 1)
            // Presets are rows of each model's own expression samples: the kept values are no preset of the new one.
            preset = 0
            var c = controls
            if byName || remembered == nil {
                c.expression = .values(remapExpression(controls.studioExpression, from: hadNames ? oldNames : nil, &effects))
            } else if let remembered {
                // Named and numbered expressions do not correspond: take the values last used with this model.
                c.expression = .values(remembered)
                preset = 0
            }
            if case .unavailable = info.comparison, sideBySide { sideBySide = false }
            adopt(c, effects: &effects, announce: true)
            keepSelectionVisible()
            say("model \(info.name) (\(info.kindDescription))", .info, &effects)
            requestRender(&effects)
        case let .message(text, level):
            say(text, level, &effects)
        }
        return effects
    }

    // MARK: - Changes

    /// Posts the current controls to the renderer under a new generation.
    mutating func requestRender(_ effects: inout [StudioEffect]) {
        generation += 1
        var c = controls
        c.quality = .full
        effects.append(.requestRender(RenderRequest(controls: c, generation: generation, sideBySide: sideBySide)))
    }

    /// Call after the controls changed: render, mark the recording, and (for user edits) stop playback.
    mutating func changed(byUser: Bool, _ effects: inout [StudioEffect]) {
        if byUser, let playback {
            self.playback = nil
            say("playback of \(fileName(playback.path)) stopped", .info, &effects)
        }
        recording?.dirty = true
        requestRender(&effects)
    }

    /// Sets a status-line message and logs it.
    mutating func say(_ text: String, _ level: MessageLevel, _ effects: inout [StudioEffect]) {
        message = StatusMessage(text: text, level: level, expires: now + messageSeconds)
        effects.append(.log(level, text))
    }

    /// Takes `newControls` as the state (restore, playback, start): the expression is fitted to the model
    /// (pad or truncate with a warning), every slider value is clamped into its range with a message.
    mutating func adopt(_ newControls: Controls, effects: inout [StudioEffect], announce: Bool) {
        var c = newControls
        if c.psi == nil { c.psi = model.defaultPsi }
        var vector: [Double]
        switch c.expression {
        case let .values(v): vector = v
        case let .named(map):
            vector = Array(repeating: 0, count: model.expressionDimension)
            let labels = model.expressionLabels
            for (name, value) in map {
                if let i = labels.firstIndex(of: name) { vector[i] = value } else if announce {
                    say("expression '\(name)' is not in this model: ignored", .warning, &effects)
                }
            }
        }
        if vector.isEmpty { vector = Array(repeating: 0, count: model.expressionDimension) }
        if vector.count != model.expressionDimension {
            if announce {
                say("expression: \(vector.count) values, model has \(model.expressionDimension) (\(vector.count < model.expressionDimension ? "padded" : "truncated"))", .warning, &effects)
            }
            vector = Array((vector + Array(repeating: 0, count: max(0, model.expressionDimension - vector.count))).prefix(model.expressionDimension))
        }
        c.expression = .values(vector)
        var clampedNames: [String] = []
        for spec in sliders {
            guard let keyPath = spec.keyPath else { continue }
            if case .blend = spec.id { continue }
            if case .seed = spec.id { continue }
            let v = c[keyPath: keyPath]
            let clamped = spec.clamped(v)
            if clamped != v {
                c[keyPath: keyPath] = clamped
                clampedNames.append("\(spec.label) \(ControlsJSONNumber.string(v)) -> \(spec.format(clamped))")
            }
        }
        if announce, !clampedNames.isEmpty {
            let shown = clampedNames.prefix(3).joined(separator: ", ")
            let more = clampedNames.count > 3 ? " and \(clampedNames.count - 3) more" : ""
            say("clamped \(shown)\(more)", .warning, &effects)
        }
        controls = c
    }

    /// Maps an expression vector of the previous model onto the current one: by name when both have
    /// names, else by index (padded or truncated with a warning).
    mutating func remapExpression(_ values: [Double], from oldNames: [String]?, _ effects: inout [StudioEffect]) -> [Double] {
        let dimension = model.expressionDimension
        if let oldNames, let newNames = model.expressionNames {
            var out = Array(repeating: 0.0, count: dimension)
            for (i, name) in newNames.enumerated() where i < dimension {
                if let j = oldNames.firstIndex(of: name), j < values.count { out[i] = values[j] }
            }
            return out
        }
        if values.count != dimension {
            say("expression: \(values.count) values, model has \(dimension) (\(values.count < dimension ? "padded" : "truncated"))", .warning, &effects)
        }
        return Array((values + Array(repeating: 0, count: max(0, dimension - values.count))).prefix(dimension))
    }

    // MARK: - Slider values

    /// Sets slider `index` to `value` (clamped; the blend rolls over into the next or previous seed).
    /// Returns whether anything changed. `report` names a clamp in the status line.
    @discardableResult
    mutating func setValue(_ index: Int, _ value: Double, report: Bool, _ effects: inout [StudioEffect]) -> Bool {
        let spec = sliders[index]
        let before = controls
        let beforePreset = preset
        switch spec.id {
        case .blend:
            var seed = controls.studioSeed
            var blend = value
            if blend >= 1 {
                if seed < Double(UInt32.max) { seed += 1; blend = 0 } else { blend = 1 - spec.step }
            } else if blend < 0 {
                if seed > 0 { seed -= 1; blend = 1 - spec.step } else { blend = 0 }
            }
            controls.identity = .seed(UInt32(seed), blend: min(max(blend, 0), 1 - spec.step / 2))
        case .preset:
            let k = Int(spec.clamped(value).rounded())
            if report, spec.clamped(value) != value { reportClamp(spec, value, &effects) }
            applyPreset(k)
        default:
            guard let keyPath = spec.keyPath else { return false }
            let clamped = spec.clamped(value)
            if report, clamped != value { reportClamp(spec, value, &effects) }
            controls[keyPath: keyPath] = clamped
        }
        return controls != before || preset != beforePreset
    }

    mutating func reportClamp(_ spec: SliderSpec, _ value: Double, _ effects: inout [StudioEffect]) {
        say("\(spec.label) \(ControlsJSONNumber.string(value)) is outside [\(spec.format(spec.range.lowerBound)), \(spec.format(spec.range.upperBound))]: set to \(spec.format(spec.clamped(value)))", .warning, &effects)
    }

    /// Preset `k`: 0 zeroes the expression, k ≥ 1 takes row k-1 of the expression sampler (clamped).
    mutating func applyPreset(_ k: Int) {
        preset = k
        var vector = Array(repeating: 0.0, count: model.expressionDimension)
        if k >= 1, k <= model.expressionSamples.count {
            let row = model.expressionSamples[k - 1]
            for i in 0..<min(row.count, vector.count) {
                vector[i] = min(model.expressionRange.upperBound, max(model.expressionRange.lowerBound, row[i]))
            }
        } else {
            let zero = min(model.expressionRange.upperBound, max(model.expressionRange.lowerBound, 0))
            vector = Array(repeating: zero, count: model.expressionDimension)
        }
        controls.expression = .values(vector)
    }

    /// Moves slider `index` by `steps` of `coarse` or fine size.
    mutating func step(_ index: Int, by steps: Double, coarse: Bool, _ effects: inout [StudioEffect]) {
        let spec = sliders[index]
        let size = coarse ? spec.coarseStep : spec.step
        var target = value(of: index) + steps * size
        if spec.id != .blend { target = spec.clamped(target) }
        if spec.step < 1 { target = spec.snapped(target) }
        if spec.id != .blend { target = spec.clamped(target) }
        if setValue(index, target, report: false, &effects) { changed(byUser: true, &effects) }
    }

    /// The next random number (SplitMix64 over `randomState`).
    mutating func nextRandom() -> UInt64 {
        var generator = SplitMix64(seed: randomState)
        let value = generator.next()
        randomState = generator.state
        return value
    }

    // MARK: - Ticks: recording, playback, messages

    mutating func tick(_ time: Double, _ effects: inout [StudioEffect]) {
        now = max(now, time)
        if let m = message, m.expires <= now { message = nil }
        if var playback {
            if playback.startTime == nil { playback.startTime = now }
            let start = playback.startTime ?? now
            var due: Int?
            while playback.nextLine < playback.trajectory.lines.count,
                  start + playback.trajectory.lines[playback.nextLine].t <= now {
                due = playback.nextLine
                playback.nextLine += 1
            }
            self.playback = playback
            if let due {
                adopt(playback.trajectory.lines[due].controls, effects: &effects, announce: due == 0)
                recording?.dirty = true
                requestRender(&effects)
            }
            if playback.nextLine >= playback.trajectory.lines.count {
                self.playback = nil
                say("playback of \(fileName(playback.path)) finished", .info, &effects)
            }
        }
        if var recording {
            if recording.startTime == nil {
                recording.startTime = now
                recording.lastSync = now
                recording.dirty = true
            }
            if recording.dirty, let start = recording.startTime {
                let t = ((now - start) * 1000).rounded() / 1000
                effects.append(.appendTrajectoryLine(TrajectoryFormat.line(t: t, controls: controls)))
                recording.dirty = false
                recording.unsynced = true
            }
            if recording.unsynced, now - recording.lastSync >= 1 {
                effects.append(.syncRecording)
                recording.unsynced = false
                recording.lastSync = now
            }
            self.recording = recording
        }
    }

    /// Starts or stops recording (`r`).
    mutating func toggleRecording(_ effects: inout [StudioEffect]) {
        if recording != nil {
            stopRecording(&effects)
            say("recording stopped", .info, &effects)
        } else {
            let header = TrajectoryHeader(model: ModelIdentity(model), expressionNames: model.expressionLabels)
            effects.append(.startRecording(directory: outDirectory, header: header))
            recording = RecordingState(startTime: nil, path: nil, dirty: true, unsynced: false, lastSync: now)
            say("recording", .info, &effects)
        }
    }

    /// Writes a pending line, then stops the recording.
    mutating func stopRecording(_ effects: inout [StudioEffect]) {
        guard let recording else { return }
        if recording.dirty, let start = recording.startTime {
            let t = ((now - start) * 1000).rounded() / 1000
            effects.append(.appendTrajectoryLine(TrajectoryFormat.line(t: t, controls: controls)))
        } else if recording.startTime == nil {
            effects.append(.appendTrajectoryLine(TrajectoryFormat.line(t: 0, controls: controls)))
        }
        effects.append(.stopRecording)
        self.recording = nil
    }
}

/// The last path component of `path`.
func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
