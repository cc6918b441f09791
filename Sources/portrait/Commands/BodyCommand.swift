import ArgumentParser
import Body
import Foundation
import Generator
import Geometry
import ModelIO
import Synth

/// `portrait body`: the built-in body and face model, exported for inspection.
struct BodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "body",
        abstract: "Export the built-in body and face: OBJ files and a contact sheet.",
        discussion: """
            Writes DIR/body.obj (the posed body, metres), DIR/face.obj (the face at the given codes on the posed \
            head), DIR/skeleton.obj (24 joints, bones as lines), DIR/landmarks.obj (68 face landmarks) and \
            DIR/contact-sheet.png: the given state from three cameras, then shapes, expressions (face camera) \
            and poses of the built-in body, flat-shaded. Joint angles are degrees relative to the mean pose \
            (joints: \(Controls.jointNames.joined(separator: ", "))); expressions: \
            \(FaceModel.expressionNames.joined(separator: " ")); shapes 0-9: \
            \(BuiltinBody.shapeDirectionNames.enumerated().map { "\($0) \($1.prefix { $0 != ":" })" }.joined(separator: ", ")).
            """)

    @Option(help: "Output folder (created if missing).") var export: String
    @Option(name: .customLong("shape"), help: "Body shape coefficient i=v, i in 0...9 (repeatable).") var shapes: [String] = []
    @Option(name: .customLong("exp"), help: "Expression name=v, v in [0, 1] (repeatable).") var expressions: [String] = []
    @Option(name: .customLong("pose"), help: "Joint angle joint.axis=degrees, axis z, y or x (repeatable).") var poses: [String] = []
    @Option(name: .customLong("identity"), help: "Face identity code i=v, i in 0...79 (repeatable).") var identities: [String] = []
    @Option(help: "Side of each contact-sheet tile in pixels.") var tile = 256

    func validate() throws {
        guard (64...1024).contains(tile) else { throw ValidationError("--tile must be in 64...1024") }
    }

    static func assignments(_ list: [String], option: String, count: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: count)
        for item in list {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let i = Int(parts[0]), (0..<count).contains(i), let v = Float(parts[1]), v.isFinite else {
                throw ValidationError("\(option) \(item): expected i=v with i in 0...\(count - 1)")
            }
            values[i] = v
        }
        return values
    }

    func run() throws {
        let betas = try Self.assignments(shapes, option: "--shape", count: 10)
        let identity = try Self.assignments(identities, option: "--identity", count: 80)
        let controls = try ControlsOverrides(expressions: expressions, poses: poses)
            .applied(to: Controls(), expressionDimension: FaceModel.expressionNames.count, expressionNames: FaceModel.expressionNames)
        let expression = try controls.expressionVector(dimension: 16, names: FaceModel.expressionNames).map { Float($0) }
        let eulers = PortraitGenerator.jointEulers(controls.joints)
        let figure = BuiltinFigure(body: try BuiltinBody(), face: FaceModel())
        let posed = try figure.pose(betas: betas, eulers: eulers, identity: identity, expression: expression)

        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        try Self.writeOBJ(to: export + "/body.obj", comment: "built-in body, posed (metres)", vertices: posed.bodyVertices,
                          triangles: figure.body.triangles)
        try Self.writeOBJ(to: export + "/face.obj", comment: "built-in face on the posed head (metres)",
                          vertices: posed.faceVertices, triangles: figure.face.triangles)
        let parents = figure.body.model.parents
        try Self.writeOBJ(to: export + "/skeleton.obj", comment: "24 SMPL joints (metres); lines are bones",
                          vertices: posed.joints, lines: (1..<parents.count).map { (parents[$0], $0) })
        try Self.writeOBJ(to: export + "/landmarks.obj", comment: "68 face landmarks, iBUG order (metres)",
                          vertices: posed.landmarks)
        let sheet = try Self.contactSheet(figure: figure, betas: betas, eulers: eulers, identity: identity,
                                          expression: expression, tile: tile)
        try PNGCodec.write(sheet, to: export + "/contact-sheet.png")
        print("wrote body.obj (\(posed.bodyVertices.count) vertices), face.obj (\(posed.faceVertices.count) vertices), skeleton.obj, landmarks.obj and contact-sheet.png (\(sheet.width)x\(sheet.height)) to \(export)")
    }

    /// The contact sheet: the given state (front, 30° and 60° yaw, face camera), then shapes, expressions and
    /// poses of the neutral figure.
    static func contactSheet(figure: BuiltinFigure, betas: [Float], eulers: [SIMD3<Float>], identity: [Float],
                             expression: [Float], tile: Int) throws -> RGBImage {
        let zeroPose = [SIMD3<Float>](repeating: .zero, count: 6)
        let zeroShape = [Float](repeating: 0, count: 10)
        func render(betas: [Float] = zeroShape, eulers: [SIMD3<Float>] = zeroPose, identity: [Float] = [],
                    expression: [Float] = [], yaw: Double = 0, pitch: Double = 0, faceView: Bool = false) throws -> RGBImage {
            let posed = try figure.pose(betas: betas, eulers: eulers, identity: identity, expression: expression)
            let angles = CameraAngles(relativeYawDegrees: yaw, relativePitchDegrees: pitch)
            let camera: RasterCamera
            if faceView {
                let f = FaceCamera.standard
                // The face camera of the canonical head (face tiles are rendered at zero pose).
                camera = RasterCamera(frame: CameraFrame.lookingAtOrigin(from: angles.orbitPosition(radius: Float(f.distance))),
                                      fovDegrees: f.fovDegrees, size: tile)
            } else {
                camera = .portrait(angles: angles, size: tile)
            }
            var raster = Rasteriser(size: tile)
            let meshes = figure.meshes(posed)
            raster.draw(meshes.body, camera: camera, label: 1)
            raster.draw(meshes.face, camera: camera, label: 2)
            return raster.image()
        }
        func unit(_ count: Int, _ i: Int, _ v: Float) -> [Float] { var x = [Float](repeating: 0, count: count); x[i] = v; return x }
        func expr(_ pairs: [(String, Float)]) -> [Float] {
            var x = [Float](repeating: 0, count: 16)
            for (name, v) in pairs { if let i = FaceModel.expressionNames.firstIndex(of: name) { x[i] = v } }
            return x
        }
        func pose(_ slot: Int, _ degrees: SIMD3<Float>) -> [SIMD3<Float>] {
            var p = zeroPose; p[slot] = degrees * (Float.pi / 180); return p
        }
        var tiles: [(image: RGBImage, caption: String)] = []
        let state = (betas, eulers, identity, expression)
        tiles.append((try render(betas: state.0, eulers: state.1, identity: state.2, expression: state.3), "given"))
        tiles.append((try render(betas: state.0, eulers: state.1, identity: state.2, expression: state.3, yaw: 30), "given yaw 30"))
        tiles.append((try render(betas: state.0, eulers: state.1, identity: state.2, expression: state.3, yaw: -60), "given yaw -60"))
        tiles.append((try render(betas: state.0, identity: state.2, expression: state.3, faceView: true), "given face"))
        tiles.append((try render(identity: unit(80, 0, 2), expression: [], faceView: true), "identity 0=+2"))
        tiles.append((try render(identity: [0.8, -1.2, 0.5, 1.5, -1, 0.7, -0.6, 1.1, 0.4, -0.9, 1.3], faceView: true), "identity mix"))
        for (i, v, caption) in [(1, 2, "shoulders+2"), (2, 2, "neck length+2"), (3, 2, "head size+2"), (5, 2, "girth+2"),
                                (7, 2, "shoulder slope+2"), (8, -2, "head forward-2")] as [(Int, Float, String)] {
            tiles.append((try render(betas: unit(10, i, v)), caption))
        }
        for (pairs, caption) in [([("jaw_open", 1)], "jaw_open"), ([("smile_left", 1), ("smile_right", 1)], "smile"),
                                 ([("blink_left", 1), ("blink_right", 1)], "blink"),
                                 ([("brow_raise_left", 1), ("brow_raise_right", 1), ("eyes_wide", 1)], "brows+eyes_wide"),
                                 ([("lip_pucker", 1), ("cheek_puff", 1)], "pucker+puff"),
                                 ([("frown", 1), ("brow_lower", 1), ("nose_wrinkle", 1)], "frown+brow_lower")] as [([(String, Float)], String)] {
            tiles.append((try render(expression: expr(pairs), faceView: true), caption))
        }
        for (slot, angles, caption) in [(3, SIMD3<Float>(0, 35, 0), "head.y=35"), (3, SIMD3<Float>(0, 0, 25), "head.x=25"),
                                        (3, SIMD3<Float>(20, 0, 0), "head.z=20"), (0, SIMD3<Float>(0, 25, 10), "neck y25 x10"),
                                        (1, SIMD3<Float>(20, 0, 0), "left_collar.z=20"), (5, SIMD3<Float>(-30, 0, 0), "right_shoulder.z=-30")]
            as [(Int, SIMD3<Float>, String)] {
            tiles.append((try render(eulers: pose(slot, angles)), caption))
        }
        return ContactSheet.compose(tiles, columns: 6)
    }

    /// Writes a Wavefront OBJ: vertices, triangles (1-based) and line segments.
    static func writeOBJ(to path: String, comment: String, vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>] = [],
                         lines: [(Int, Int)] = []) throws {
        var text = "# \(comment), written by portrait body\n"
        text.reserveCapacity(vertices.count * 40 + triangles.count * 24)
        for v in vertices { text += "v \(v.x) \(v.y) \(v.z)\n" }
        for t in triangles { text += "f \(t.x + 1) \(t.y + 1) \(t.z + 1)\n" }
        for (a, b) in lines { text += "l \(a + 1) \(b + 1)\n" }
        try AtomicFile.write(Data(text.utf8), to: path)
    }
}
