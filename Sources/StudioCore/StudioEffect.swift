import Generator

/// What the renderer should draw.
public struct RenderRequest: Equatable, Sendable {
    /// The full controls (identity, ψ, expression vector of the model's dimension, camera, joints, view, show).
    public var controls: Controls
    /// Bumped on every change; results of older generations are stale.
    public var generation: Int
    /// Side by side with `synthetic` (`c`).
    public var sideBySide: Bool
    public init(controls: Controls, generation: Int, sideBySide: Bool) {
        self.controls = controls; self.generation = generation; self.sideBySide = sideBySide
    }
}

/// Severity of a status-line message.
public enum MessageLevel: String, Sendable, Hashable { case info, warning, error }

/// Side effects the terminal half performs after `reduce`, in order.
public enum StudioEffect: Equatable, Sendable {
    /// Post to the render mailbox (latest wins).
    case requestRender(RenderRequest)
    /// Render the full frame for `controls` (reuse the last one when controls match) and write it with
    /// `Favourites.save(image:controls:codes:model:directory:date:)`; answer `.saveDone`/`.saveFailed`.
    case saveFavourite(controls: Controls, directory: String)
    /// `Favourites.list(directory:)`; answer `.favouritesListed` / `.favouritesFailed`.
    case listFavourites(directory: String)
    /// `Favourites.delete(_:)`; answer `.favouriteDeleted` / `.favouritesFailed`.
    case deleteFavourite(FavouriteEntry)
    /// Open a recording with `TrajectoryWriter(directory:header:date:)`; answer `.recordingStarted` or
    /// `.recordingFailed`. The first line follows as `.appendTrajectoryLine`.
    case startRecording(directory: String, header: TrajectoryHeader)
    /// Append one complete line (no newline included; the writer adds it) in one `write(2)`.
    case appendTrajectoryLine(String)
    /// fsync the recording (once a second while lines were written).
    case syncRecording
    /// Sync and close the recording.
    case stopRecording
    /// `Trajectories.list(directory:)`; answer `.trajectoriesListed`.
    case listTrajectories(directory: String)
    /// `TrajectoryReader.read(path:model:)`; answer `.trajectoryLoaded` / `.trajectoryFailed`.
    case loadTrajectory(path: String)
    /// Switch to the next model (`builtin` / `synthetic` / a loaded bundle); answer `.modelChanged`.
    case switchModel
    /// Clear and repaint everything (Ctrl-L, overlay closed).
    case fullRedraw
    /// Write a line to the log (every status-line message is also logged).
    case log(MessageLevel, String)
    /// Stop: the recording (if any) was stopped by the effects before this one.
    case quit
}
