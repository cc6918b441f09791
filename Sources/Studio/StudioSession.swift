import Foundation
import Generator
import ModelIO
import StudioCore

/// The studio's UI thread: one `poll(2)` loop over the keyboard, the render worker's wake pipe and the
/// signal self-pipe, feeding `StudioCore.reduce` and performing its effects (DESIGN.md §5).
final class StudioSession {
    private let model: any PortraitModel
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

    /// What the pane shows: the newest frame (by generation) and its conversion for the current `show`.
    private var frame: (generation: Int, stage: RenderReport.Stage, output: FrameOutput)?
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
        case frame(generation: Int, stage: RenderReport.Stage, show: Controls.Show)
        case favourite(path: String)
    }

    init(model: any PortraitModel, theme: Theme, options: StudioOptions, replies: TerminalReplies,
         graphics: GraphicsMode) throws {
        self.model = model
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
        worker = RenderWorker(model: model, cacheBytes: max(1, options.cacheMegabytes) << 20, wake: wake)
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
            model: Self.modelInfo(model), size: size, outDirectory: options.outDirectory,
            glyphs: screen.unicode ? .unicode : .ascii,
            randomSeed: UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds))
        log.write(.info, "studio started: model \(model.identity.name), graphics \(graphics.rawValue), \(size.columns)x\(size.rows) cells of \(size.cellWidth)x\(size.cellHeight) px")
    }

    /// What the state machine needs to know about `model`.
    static func modelInfo(_ model: any PortraitModel) -> ModelInfo {
        let space = model.controlSpace
        let samples = (0..<space.expressionPresetCount).compactMap { model.expressionPreset($0) }
        return ModelInfo(name: model.identity.name, source: model.identity.source, version: model.identity.version,
                         dataSHA256: model.identity.dataSha256, expressionNames: space.expressionNames,
                         expressionDimension: space.expressionDim, expressionRange: space.expressionRange,
                         defaultPsi: space.defaultPsi, expressionSamples: samples,
                         comparison: .unavailable(reason: "side by side needs the synthetic model, not available yet"))
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
        case let .frame(generation, stage, controls, output, milliseconds, cache):
            if stage == .full {
                log.write(.info, "full frame \(generation) in \(Int(milliseconds)) ms: \(ControlsJSON.encode(controls))")
            }
            let newer = frame.map { generation > $0.generation || (generation == $0.generation && stage != .lowResolution) } ?? true
            if newer {
                frame = (generation, stage, output)
                paneDirty = true
            }
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
            worker.post(request)
        case let .saveFavourite(controls, directory):
            let info = state.model
            let depthRange = model.controlSpace.depthRange
            let job = SaveJob(controls: controls) { output, codes in
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
            dispatch(.message("only one model is loaded (the synthetic model is not available yet)", level: .info))
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
        } else if let frame {
            key = .frame(generation: frame.generation, stage: frame.stage, show: state.controls.show)
        } else {
            return
        }
        if display?.key != key {
            do {
                switch key {
                case let .favourite(path):
                    display = (key, try PNGCodec.read(path: path))
                case let .frame(_, _, show):
                    guard let frame else { return }
                    display = (key, try Self.image(of: frame.output, show: show, depthRange: model.controlSpace.depthRange))
                }
            } catch {
                dispatch(.message("preview: \(error)", level: .error))
                return
            }
        }
        guard let image = display?.image else { return }
        let placement = painter.placement(pane: state.layout.preview, size: state.size)
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
