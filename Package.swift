// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "swift-lab",
    products: [
        .executable(name: "swift-lab", targets: ["swift-lab"]),
        .executable(name: "swift-lab-bench", targets: ["swift-lab-bench"]),
        .executable(name: "swift-lab-fuzz", targets: ["swift-lab-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // System libraries, installed from Debian by `scripts/setup`.
        // cmark-gfm, not cmark: the two export the same cmark_* symbols, so one binary links one.
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Libraries that know nothing about labs.
        .target(name: "Randomness"),
        // cpuid, for the OpenBLAS kernels the engine picks (`BLASKernels`).
        .target(name: "CPUFeatures"),
        // AVX2 kernels for the products OpenBLAS is slow at (`SmallProductKernels`). Optimised in
        // debug builds too: their tiles need the optimiser, and without it tests that train take
        // twice as long.
        .target(name: "SmallProducts", cSettings: [.unsafeFlags(["-O2"])]),
        // AVX2 (and for the sigmoid and cross-entropy AVX-512) versions of the engine's element-wise
        // loops and im2col (`VectorMathKernels`), with the Swift code's bits.
        .target(name: "VectorMath", cSettings: [.unsafeFlags(["-O2"])]),
        // On Linux, Float.squareRoot() goes through C's sqrtf, which may set errno: that keeps
        // every loop with a square root (the optimisers' updates) scalar. Without errno the same
        // loops are vectorised, with bit-identical results (IEEE square roots are exact).
        .target(name: "Engine", dependencies: ["Randomness", "COpenBLAS", "CPUFeatures", "SmallProducts", "VectorMath", "CZlib"],
                swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
        .target(name: "Datasets", dependencies: ["Randomness", "CZlib"]),
        .target(name: "Detection", dependencies: ["Engine", "Randomness", "COpenBLAS", "CZlib"]),
        .target(name: "Charts", dependencies: ["CZlib"]),
        // Shares of work for many processes or machines (`--shard I/N`, `--shard auto`) and
        // the partial results they write.
        .target(name: "Sharding"),

        // Lab documents: Markdown + YAML, schema and diagnostics.
        .target(name: "LabDocument", dependencies: ["CCmarkGFM", "Yams", "Datasets"]),
        .target(name: "Report", dependencies: ["Charts", "CCmarkGFM", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "Runner", dependencies: ["LabDocument", "Engine", "Datasets", "Detection", "Charts", "Report", "Randomness", "Sharding"]),
        // Reading reports back, comparing and grading them. LabDocument for its guarded YAML reader
        // (rubrics) and the expectation syntax, so that both read as they do in labs.
        .target(name: "Grading", dependencies: ["Datasets", "LabDocument", "Sharding"]),

        .executableTarget(name: "swift-lab", dependencies: [
            "Runner", "LabDocument", "Engine", "Datasets", "Report", "Grading", "Sharding",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Fuzzing (`make fuzz`): each reader of outside input as a function of bytes, and the
        // driver that mutates inputs for them (or runs libFuzzer, when built with it).
        .target(name: "FuzzTargets", dependencies: ["LabDocument", "Runner", "Datasets", "Grading"]),
        .executableTarget(name: "swift-lab-fuzz", dependencies: ["FuzzTargets", "Datasets"]),

        .executableTarget(name: "swift-lab-bench", dependencies: ["COpenBLAS", "Engine", "Datasets", "Detection", "Randomness"]),

        .testTarget(name: "LabDocumentTests", dependencies: ["LabDocument", "Datasets"], exclude: ["Fixtures"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Randomness"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Engine", "Randomness"], exclude: ["Fixtures/make_sklearn_fixtures.py"], resources: [.copy("Fixtures/sklearn-metrics.json")]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Charts"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"], exclude: ["Snapshots"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Randomness", "CZlib"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "Datasets", "LabDocument"]),
        .testTarget(name: "ShardingTests", dependencies: ["Sharding"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets", "LabDocument"]),
        .testTarget(name: "SwiftLabCLITests", dependencies: ["swift-lab", "Datasets"]),
    ]
)
