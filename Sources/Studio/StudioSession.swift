import Foundation
import Generator
import ModelIO
import StudioCore
import Synth

/// The studio's UI thread: one `poll(2)` loop over the keyboard, the render worker's wake pipe and the
/// signal self-pipe, feeding `StudioCore.reduce` and performing its effects (DESIGN.md §5).
final class StudioSession {
    private let models: StudioModels
    /// What the state machine knows of each model (same indices as `models.models`).
    private let infos: [ModelInfo]
    /// The model the sliders drive (index into `models.models`).
    private var active = 0
    private var model: any PortraitModel { models.models[active] }
    private let options: StudioOptions
    private let replies: TerminalReplies
    private let painter: PreviewPainter
    private let wake: WakePipe
    private let signals: SignalPipe
    private let worker: RenderWorker
    private let screen: Screen
    private let log: StudioLog
    private var state: StudioState
    private var recorder: TrajectoryWriter?
    private var initialEffects: [StudioEffect]

    /// The newest frame (by generation) of each model.
    private var frames: [Int: (generation: Int, stage: RenderReport.Stage, output: FrameOutput)] = [:]
    /// What the pane shows (the newest frame of the active model, or both sides) in its `show` form.
    private var display: (key: DisplayKey, image: RGBImage)?
    private var lastContent: ScreenContent?
    private var fullRepaint = true
    private var paneDirty = true
    private var resizeDue: Double?
    private var timings: (full: Double?, preview: Double?, cache: String?) = (nil, nil, nil)
    private var loggedPlacement = ""

    /// What the pane shows: a frame in one of its `show` forms, or the selected favourite's PNG while the
    /// favourites list is open.
    private enum DisplayKey: Equatable {
        /// Frames of these models (one, or the neural and the synthetic side), each by generation and stage.
        case frames([FrameKey?], show: Controls.Show)
        case favourite(path: String)
    }

    private struct FrameKey: Equatable {
        let model: Int
        let generation: Int
        let stage: RenderReport.Stage
    }

    init(models: StudioModels, theme: Theme, options: StudioOptions, replies: TerminalReplies,
         graphics: GraphicsMode) throws {
        self.models = models
        infos = models.models.enumerated().map { i, model in
            Self.modelInfo(model, comparison: models.comparisonUnavailable.map { .unavailable(reason: $0) } ?? .available,
                           note: i == 0 ? models.note : nil)
        }
        self.options = options
        self.replies = replies
        let colours: HalfBlockEncoder.Colours
        switch options.colour {
        case .auto: colours = .detect(environment: ProcessInfo.processInfo.environment)
        case .truecolour: colours = .truecolour
        case .c256, .c16: colours = .xterm256
        }
        painter = PreviewPainter(mode: graphics, colours: colours)
        log = StudioLog(path: options.logPath)
        wake = try WakePipe()
        signals = try SignalPipe()
        worker = RenderWorker(models: models.models, comparison: models.comparison,
                              cacheBytes: max(1, options.cacheMegabytes) << 20, wake: wake)
        do {
            screen = try Screen(mouse: options.mouse)
        } catch {
            worker.stop()
            throw error
        }
        screen.apply(theme: theme)
        let cells = screen.cells
        let size = TerminalGeometry.current(fd: 1, replies: replies)
            ?? TerminalGeometry.resolve(rows: cells.rows, columns: cells.columns, windowPixels: (0, 0), replies: replies)
        (state, initialEffects) = StudioState.initial(
            model: infos[0], size: size, outDirectory: options.outDirectory,
            glyphs: screen.unicode ? .unicode : .ascii,
            randomSeed: UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds))
        if let note = models.note { initialEffects.append(.log(.info, "model \(models.models[0].identity.name): \(note)")) }
        log.write(.info, "studio started: model \(models.models[0].identity.name), graphics \(graphics.rawValue), \(size.columns)x\(size.rows) cells of \(size.cellWidth)x\(size.cellHeight) px")
    }

    /// What the state machine needs to know about `model`.
    static func modelInfo(_ model: any PortraitModel,
                          comparison: ModelInfo.Comparison = .unavailable(reason: "only one model was loaded"),
                          note: String? = nil) -> ModelInfo {
        let space = model.controlSpace
        let samples = (0..<space.expressionPresetCount).compactMap { model.expressionPreset($0) }
        return ModelInfo(name: model.identity.name, source: model.identity.source, version: model.identity.version,
                         dataSHA256: model.identity.dataSha256, expressionNames: space.expressionNames,
                         expressionDimension: space.expressionDim, expressionRange: space.expressionRange,
                         defaultPsi: space.defaultPsi, expressionSamples: samples,
                         comparison: comparison, note: note)
    }

    private var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until `q` or a terminating signal; returns the exit status (0, or 128 + signal).
    func run() -> Int32 {
        for effect in initialEffects { perform(effect) }
        dispatch(.tick(now: now))
        if let play = options.play { perform(.loadTrajectory(path: play)) }
        while true {
            paint()
            if state.quitting { return finish(status: 0) }
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signals.pipe.readEnd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
            if ready < 0, errno != EINTR { return finish(status: 1) }
            for signalNumber in signals.take() {
                if let status = handle(signal: signalNumber) { return status }
            }
            if fds[1].revents != 0 {
                _ = wake.drain()
            }
            for report in worker.takeReports() { handle(report) }
            while let input = screen.readInput() { handle(input) }
            dispatch(.tick(now: now))
            if let due = resizeDue, due <= now { applyResize() }
        }
    }

    private func timeoutMilliseconds() -> Int32 {
        let t = now
        var deadline = t + 1
        if let wakeup = state.nextWakeup { deadline = min(deadline, wakeup) }
        if let resizeDue { deadline = min(deadline, resizeDue) }
        return Int32(max(0, min(1000, (deadline - t) * 1000).rounded(.up)))
    }

    // MARK: Events

    private func dispatch(_ event: StudioEvent) {
        let (next, effects) = reduce(state, event)
        if next.controls.show != state.controls.show || next.layout != state.layout || next.overlay != state.overlay {
            paneDirty = true
        }
        state = next
        for effect in effects { perform(effect) }
    }

    private func handle(_ input: InputEvent) {
        switch input {
        case let .key(key): dispatch(.key(key))
        case let .mouse(mouse): dispatch(.mouse(mouse))
        case .resize: resizeDue = now + 0.05
        case .ignored: break
        }
    }

    private func applyResize() {
        resizeDue = nil
        let cells = screen.cells
        let size = TerminalGeometry.current(fd: 1, replies: replies)
            ?? TerminalGeometry.resolve(rows: cells.rows, columns: cells.columns, windowPixels: (0, 0), replies: replies)
        dispatch(.resize(size))
        fullRepaint = true
    }

    private func handle(_ report: RenderReport) {
        switch report {
        case let .frame(generation, stage, controls, output, milliseconds, cache, index, lead):
            let name = models.models[index].identity.name
            if stage == .full {
                log.write(.info, "full frame \(generation) of \(name) in \(Int(milliseconds)) ms: \(ControlsJSON.encode(controls))")
            }
            let newer = frames[index].map { generation > $0.generation || (generation == $0.generation && stage != .lowResolution) } ?? true
            if newer {
                frames[index] = (generation, stage, output)
                paneDirty = true
            }
            guard lead else { return }
            switch stage {
            case .full: timings.full = milliseconds
            case .preview, .lowResolution: timings.preview = milliseconds
            }
            timings.cache = cache
            let stageName = stage == .full ? "idle" : (stage == .preview ? "preview" : "lr preview")
            dispatch(.renderStatus(generation: generation, RenderStatus(
                stage: stageName, fullMilliseconds: timings.full, previewMilliseconds: timings.preview, cache: timings.cache)))
        case let .working(generation, what):
            dispatch(.renderStatus(generation: generation, RenderStatus(
                stage: what, fullMilliseconds: timings.full, previewMilliseconds: timings.preview, cache: timings.cache)))
        case let .failed(generation, message):
            log.write(.error, "render failed: \(message)")
            dispatch(.renderFailed(generation: generation, message: message))
        case let .saved(name):
            log.write(.info, "saved \(name)")
            dispatch(.saveDone(name: name))
        case let .saveFailed(message):
            log.write(.error, "save failed: \(message)")
            dispatch(.saveFailed(message: message))
        }
    }

    /// Handles a signal; returns the exit status when it ends the studio.
    private func handle(signal signalNumber: Int32) -> Int32? {
        switch signalNumber {
        case SIGINT, SIGTERM, SIGHUP:
            log.write(.info, "signal \(signalNumber): stopping")
            return finish(status: SignalPipe.exitStatus(signalNumber))
        case SIGTSTP:
            screen.suspend()
            SignalPipe.suspendSelf()
            screen.resume()
            fullRepaint = true
            return nil
        case SIGCONT:
            fullRepaint = true
            return nil
        default:
            return nil
        }
    }

    /// Stops the recording (complete up to its last line), the worker and curses; returns `status`.
    private func finish(status: Int32) -> Int32 {
        if let recorder {
            do { try recorder.close() } catch { log.write(.error, "closing the recording: \(error)") }
            self.recorder = nil
        }
        worker.stop(timeout: 2)
        let statistics = worker.statistics
        screen.close()
        log.write(.info, "renders: \(statistics.started) started, \(statistics.cancelled) cancelled, at most \(statistics.maxInFlight) in flight")
        log.write(.info, "studio stopped (status \(status))")
        return status
    }

    // MARK: Effects

    private func perform(_ effect: StudioEffect) {
        switch effect {
        case let .requestRender(request):
            worker.post(request, model: active)
        case let .saveFavourite(controls, directory):
            let info = state.model
            let depthRange = model.controlSpace.depthRange
            let job = SaveJob(controls: controls, model: active) { output, codes in
                let image = try Self.image(of: output, show: controls.show, depthRange: depthRange)
                return try Favourites.save(image: image, controls: controls, codes: codes, model: info,
                                           directory: directory, date: Date()).name
            }
            if !worker.queue(job) { dispatch(.saveFailed(message: "8 saves are already waiting")) }
        case let .listFavourites(directory):
            do {
                let (entries, skipped) = try Favourites.list(directory: directory)
                for name in skipped { log.write(.warning, "favourites: skipped \(name)") }
                dispatch(.favouritesListed(entries))
            }
            catch { dispatch(.favouritesFailed(message: String(describing: error))) }
        case let .deleteFavourite(entry):
            do { try Favourites.delete(entry); dispatch(.favouriteDeleted(name: entry.name)) }
            catch { dispatch(.favouritesFailed(message: String(describing: error))) }
        case let .startRecording(directory, header):
            do {
                let writer = try TrajectoryWriter(directory: directory, header: header, date: Date())
                recorder = writer
                log.write(.info, "recording to \(writer.path)")
                dispatch(.recordingStarted(path: writer.path))
            } catch {
                dispatch(.recordingFailed(message: String(describing: error)))
            }
        case let .appendTrajectoryLine(line):
            guard let recorder else { return }
            do { try recorder.append(line) } catch {
                self.recorder = nil
                dispatch(.recordingFailed(message: String(describing: error)))
            }
        case .syncRecording:
            do { try recorder?.sync() } catch { dispatch(.recordingFailed(message: String(describing: error))) }
        case .stopRecording:
            do { try recorder?.close() } catch { dispatch(.message("closing the recording: \(error)", level: .error)) }
            recorder = nil
        case let .listTrajectories(directory):
            dispatch(.trajectoriesListed((try? Trajectories.list(directory: directory)) ?? []))
        case let .loadTrajectory(path):
            do {
                let (trajectory, warnings) = try TrajectoryReader.read(path: path, model: state.model)
                dispatch(.trajectoryLoaded(trajectory, path: path, warnings: warnings))
            } catch {
                dispatch(.trajectoryFailed(message: String(describing: error)))
            }
        case .switchModel:
            guard models.models.count > 1 else {
                dispatch(.message("m: no other model (\(models.switchUnavailable ?? "only one is loaded"))", level: .warning))
                return
            }
            active = (active + 1) % models.models.count
            log.write(.info, "switched to model \(model.identity.name)")
            paneDirty = true
            dispatch(.modelChanged(infos[active]))
        case .fullRedraw:
            fullRepaint = true
        case let .log(level, text):
            log.write(level, text)
        case .quit:
            break
        }
    }

    /// The 8-bit picture of `output` for `show`.
    static func image(of output: FrameOutput, show: Controls.Show, depthRange: ClosedRange<Double>) throws -> RGBImage {
        switch show {
        case .image: return try ImageConversion.rgb8(output.image)
        case .lr: return try ImageConversion.rgb8(output.lowResolutionImage)
        case .depth: return try ImageConversion.depth8(output.depth, near: depthRange.lowerBound, far: depthRange.upperBound)
        }
    }

    // MARK: Painting

    /// The pane's picture: one image, or the neural and the synthetic side labelled next to each other (a side
    /// without a frame yet is grey).
    private func composed(_ images: [RGBImage?]) -> RGBImage? {
        guard images.count == 2, let pair = models.comparison else { return images.first ?? nil }
        guard let reference = images.compactMap({ $0 }).first else { return nil }
        func side(_ i: Int) -> RGBImage { images[i] ?? RGBImage(width: reference.width, height: reference.height, fill: (128, 128, 128)) }
        return SideBySide.labelled(side(0), "neural " + models.models[pair.neural].identity.name, side(1), "synthetic")
    }

    private func paint() {
        guard resizeDue == nil else { return }
        let content = StudioScreen.render(state)
        if fullRepaint || content != lastContent {
            screen.draw(content, clearFirst: fullRepaint)
            screen.refresh()
            lastContent = content
        }
        if fullRepaint { paneDirty = true }
        fullRepaint = false
        guard paneDirty, !state.layout.isTooSmall else { return }
        paneDirty = false
        let key: DisplayKey
        if case let .favourites(entries?, selection) = state.overlay, entries.indices.contains(selection) {
            key = .favourite(path: entries[selection].imagePath)
        } else {
            let shown = state.sideBySide ? models.comparison.map { [$0.neural, $0.synthetic] } ?? [active] : [active]
            let keys = shown.map { m in frames[m].map { FrameKey(model: m, generation: $0.generation, stage: $0.stage) } }
            guard keys.contains(where: { $0 != nil }) else { return }
            key = .frames(keys, show: state.controls.show)
        }
        if display?.key != key {
            do {
                switch key {
                case let .favourite(path):
                    display = (key, try PNGCodec.read(path: path))
                case let .frames(keys, show):
                    let images = try keys.map { key -> RGBImage? in
                        guard let key, let frame = frames[key.model] else { return nil }
                        return try Self.image(of: frame.output, show: show, depthRange: models.models[key.model].controlSpace.depthRange)
                    }
                    guard let image = composed(images) else { return }
                    display = (key, image)
                }
            } catch {
                dispatch(.message("preview: \(error)", level: .error))
                return
            }
        }
        guard let image = display?.image else { return }
        let placement = painter.placement(pane: state.layout.preview, size: state.size,
                                          aspect: Double(image.width) / Double(max(1, image.height)))
        let description = "pane: \(painter.mode.rawValue) \(placement.pixels.width)x\(placement.pixels.height) at row \(placement.cells.row) column \(placement.cells.column), cells \(state.size.cellWidth)x\(state.size.cellHeight) px"
        if description != loggedPlacement {
            log.write(.info, description)
            loggedPlacement = description
        }
        do {
            let bytes = try painter.paint(image, pane: state.layout.preview, size: state.size)
            TerminalOutput.writeAll(1, bytes)
        } catch {
            dispatch(.message("preview: \(error)", level: .error))
        }
    }
}
