extension StudioState {
    /// Degrees of yaw per preview width and of pitch per preview height when orbiting.
    static let orbitYawPerPane = 120.0
    static let orbitPitchPerPane = 60.0

    mutating func handleMouse(_ event: MouseEvent, _ effects: inout [StudioEffect]) {
        let layout = self.layout
        guard !layout.isTooSmall, overlay == nil else { return }
        switch event.kind {
        case .press:
            if layout.preview.contains(column: event.column, row: event.row) {
                drag = .orbit(column: event.column, row: event.row, yaw: controls.camera.yaw, pitch: controls.camera.pitch)
                return
            }
            guard let hit = hitTest(event) else { return }
            select(hit.slider)
            if let track = hit.track, track.contains(event.column) {
                drag = .slider(hit.slider)
                setFromTrack(hit.slider, track: track, column: event.column, &effects)
            }
        case .drag:
            switch drag {
            case let .slider(index)?:
                if let hit = StudioScreen.render(self).hits.first(where: { $0.slider == index }), let track = hit.track {
                    setFromTrack(index, track: track, column: min(max(event.column, track.lowerBound), track.upperBound - 1), &effects)
                }
            case let .orbit(column, row, yaw, pitch)?:
                let yawPerColumn = Self.orbitYawPerPane / Double(max(1, layout.preview.width))
                let pitchPerRow = Self.orbitPitchPerPane / Double(max(1, layout.preview.height))
                var changedAny = false
                if let i = sliders.firstIndex(where: { $0.id == .yaw }) {
                    changedAny = setValue(i, (yaw - Double(event.column - column) * yawPerColumn).rounded(), report: false, &effects) || changedAny
                }
                if let i = sliders.firstIndex(where: { $0.id == .pitch }) {
                    changedAny = setValue(i, (pitch + Double(event.row - row) * pitchPerRow).rounded(), report: false, &effects) || changedAny
                }
                if changedAny { changed(byUser: true, &effects) }
            case nil:
                break
            }
        case .release:
            drag = nil
        case .wheelUp, .wheelDown:
            guard let hit = hitTest(event) else { return }
            select(hit.slider)
            step(hit.slider, by: event.kind == .wheelUp ? 1 : -1, coarse: false, &effects)
        }
    }

    func hitTest(_ event: MouseEvent) -> SliderHit? {
        StudioScreen.render(self).hits.first { $0.row == event.row && $0.columns.contains(event.column) }
    }

    /// Sets slider `index` from a click at `column` on its track (snapped to the slider's step).
    mutating func setFromTrack(_ index: Int, track: Range<Int>, column: Int, _ effects: inout [StudioEffect]) {
        let spec = sliders[index]
        let fraction = track.count > 1 ? Double(column - track.lowerBound) / Double(track.count - 1) : 0
        var value = spec.range.lowerBound + fraction * (spec.range.upperBound - spec.range.lowerBound)
        value = spec.snapped(value)
        if spec.id == .blend { value = min(value, 1 - spec.step) }
        if setValue(index, spec.clamped(value), report: false, &effects) { changed(byUser: true, &effects) }
    }
}
