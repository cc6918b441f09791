import Testing
@testable import Generator

@Suite struct ControlsOverridesTests {
    @Test func overridesApplyInOrder() throws {
        let o = ControlsOverrides(seed: 5, psi: 0.5, yaw: -20, pitch: 10, expressions: ["1=0.5", "e02=-1", "1=0.25"],
                                  poses: ["head.y=15", "neck.x=-5"], view: .face)
        let c = try o.applied(to: Controls(), expressionDimension: 4, expressionNames: nil)
        #expect(c.identity == .seed(5, blend: 0) && c.psi == 0.5 && c.camera == .init(yaw: -20, pitch: 10))
        #expect(c.expression == .values([0, 0.25, -1, 0]))
        #expect(c.joints[3] == [0, 15, 0] && c.joints[0] == [0, 0, -5] && c.view == .face)
    }

    @Test func namedExpressions() throws {
        let o = ControlsOverrides(expressions: ["smile_left=0.75"])
        let c = try o.applied(to: Controls(), expressionDimension: 2, expressionNames: ["jaw_open", "smile_left"])
        #expect(c.expression == .values([0, 0.75]))
    }

    @Test(arguments: [
        ControlsOverrides(psi: 2), ControlsOverrides(yaw: .nan), ControlsOverrides(pitch: 90),
        ControlsOverrides(expressions: ["9=1"]), ControlsOverrides(expressions: ["smile=1"]),
        ControlsOverrides(expressions: ["1=abc"]), ControlsOverrides(poses: ["head.w=1"]),
        ControlsOverrides(poses: ["elbow.x=1"]), ControlsOverrides(poses: ["head.x=200"]),
        ControlsOverrides(poses: ["head.x"]),
    ])
    func badOverridesAreRejected(_ o: ControlsOverrides) {
        #expect(throws: ControlsError.self) { try o.applied(to: Controls(), expressionDimension: 4, expressionNames: nil) }
    }
}
