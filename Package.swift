// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every Swift target (Swift 6 language mode is set package-wide below).
let swiftSettings: [SwiftSetting] = []

/// Numerics' SIMD kernels are written for AVX2 + FMA (x86-64 CPUs since Haswell, 2013): without them the
/// 8-lane code falls back to SSE2 and runs 2-4x slower. Other architectures keep the default target.
#if arch(x86_64)
let numericsSettings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let numericsSettings: [SwiftSetting] = swiftSettings
#endif

let package = Package(
    name: "portrait",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "portrait", targets: ["portrait"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, each imported by exactly one Swift module.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CSixel", pkgConfig: "libsixel", providers: [.apt(["libsixel-dev"])]),

        .target(name: "Numerics", dependencies: ["CBLAS"], swiftSettings: numericsSettings),
        .target(name: "ModelIO", dependencies: ["Numerics", "CZlib", "CPNG"], swiftSettings: swiftSettings),
        .target(name: "Generator", dependencies: ["Body", "Geometry", "Numerics", "ModelIO"],
                resources: [.copy("Resources/studio.portrait")], swiftSettings: swiftSettings),
        .target(name: "Geometry", dependencies: ["Numerics"], swiftSettings: swiftSettings),
        .target(name: "Body", dependencies: ["Geometry", "ModelIO", "Numerics"], swiftSettings: swiftSettings),
        .target(name: "Synth", dependencies: ["Generator", "Body", "Geometry", "ModelIO", "Numerics"],
                swiftSettings: swiftSettings),
        .target(name: "Autodiff", dependencies: ["Numerics"], swiftSettings: swiftSettings),
        // The paper's training method (SPEC.md §8): differentiable generator, discriminators, losses, the loop.
        .target(name: "Training", dependencies: ["Autodiff", "Synth", "Generator", "Body", "Geometry", "ModelIO", "Numerics"],
                swiftSettings: swiftSettings),
        // The studio's pure half (state machine, layout, panel text, favourites, trajectories, themes, config).
        .target(name: "ThemeFiles", path: "Themes",
                resources: [.copy("dark.theme"), .copy("light.theme"), .copy("high-contrast.theme")],
                swiftSettings: swiftSettings),
        .target(name: "StudioCore", dependencies: ["Generator", "ModelIO", "ThemeFiles"], swiftSettings: swiftSettings),
        // The studio's terminal half (ncurses, sixel, render worker, app loop): the only importer of CNCurses and CSixel.
        .target(name: "Studio", dependencies: ["StudioCore", "Synth", "Generator", "ModelIO", "Numerics", "CNCurses", "CSixel"],
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "portrait",
            dependencies: [
                "Numerics", "ModelIO", "Generator", "StudioCore", "Body", "Geometry", "Synth", "Studio", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // libFuzzer entry points for the file parsers (`make fuzz`); built normally it replays inputs.
        .executableTarget(name: "PortraitFuzz", dependencies: ["ModelIO", "Generator", "StudioCore"], swiftSettings: swiftSettings),

        // Finding and running the built executable, the reference folder, scratch folders, the finite-difference
        // gradient check: shared by the tests.
        .target(name: "PortraitTestSupport", dependencies: ["Autodiff", "Numerics"], path: "Tests/PortraitTestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"], swiftSettings: swiftSettings),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "Body", "Geometry", "ModelIO", "Numerics"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "PortraitCLITests", dependencies: ["ModelIO", "PortraitTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ModelIOTests", dependencies: ["ModelIO", "Numerics"], swiftSettings: swiftSettings),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry", "Numerics"], swiftSettings: swiftSettings),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Numerics", "PortraitTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StudioCoreTests", dependencies: ["StudioCore", "PortraitTestSupport", "Generator", "ModelIO", "Numerics", "ThemeFiles"],
                    exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Body", "Geometry", "ModelIO", "Numerics"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "StudioTests", dependencies: ["Studio", "PortraitTestSupport", "StudioCore", "Synth", "Generator", "ModelIO", "Numerics"],
                    exclude: ["Scripts"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Autodiff", "Synth", "Generator", "Body", "Geometry", "ModelIO", "Numerics", "PortraitTestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "BodyTests", dependencies: ["Body", "Geometry", "ModelIO", "Numerics"],
                    swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
