// swift-tools-version:6.0
import PackageDescription

// libtorch location: $LIBTORCH when set (bring your own CPU or CUDA build), otherwise the copy that
// scripts/setup unpacks into .deps/libtorch. The CUDA runtime libraries that libtorch_cpu.so links
// against come from .deps/cuda/lib unless $LIBTORCH_CUDA_LIB names another folder.
let packageRoot = Context.packageDirectory
let libtorch = Context.environment["LIBTORCH"] ?? "\(packageRoot)/.deps/libtorch"
let cudaLib = Context.environment["LIBTORCH_CUDA_LIB"] ?? "\(packageRoot)/.deps/cuda/lib"

let torchLinkFlags: [String] = [
  "-L\(libtorch)/lib",
  // DT_RPATH (not RUNPATH) so that libtorch_cpu.so also finds libcudart and libcupti through it.
  "-Xlinker", "--disable-new-dtags",
  "-Xlinker", "-rpath", "-Xlinker", "\(libtorch)/lib",
  "-Xlinker", "-rpath", "-Xlinker", cudaLib,
  "-Xlinker", "-rpath-link", "-Xlinker", cudaLib,
  "-Xlinker", "-rpath-link", "-Xlinker", "\(libtorch)/lib",
]

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
  name: "shenzhou",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "shenzhou", targets: ["ShenzhouCLI"]),
    .library(name: "Shenzhou", targets: ["ShenzhouModels", "ShenzhouText", "ShenzhouData", "ShenzhouFinetune"]),
  ],
  targets: [
    // C++20 shim over libtorch with a C API: every function returns a status code.
    .target(
      name: "CTorch",
      path: "Sources/CTorch",
      cxxSettings: [
        .unsafeFlags([
          "-std=c++20", "-O2", "-fPIC", "-Wno-deprecated-declarations",
          "-isystem", "\(libtorch)/include",
          "-isystem", "\(libtorch)/include/torch/csrc/api/include",
          "-D_GLIBCXX_USE_CXX11_ABI=1",
        ])
      ],
      linkerSettings: [
        .unsafeFlags(torchLinkFlags),
        .linkedLibrary("torch_cpu"),
        .linkedLibrary("c10"),
        .linkedLibrary("dl"),
      ]
    ),
    .target(name: "ShenzhouTensors", dependencies: ["CTorch"], swiftSettings: strict),
    .target(name: "ShenzhouNN", dependencies: ["ShenzhouTensors"], swiftSettings: strict),
    .target(name: "ShenzhouText", swiftSettings: strict),
    .target(name: "ShenzhouData", dependencies: ["ShenzhouText"], swiftSettings: strict),
    // CLUE task readers, task registry, metrics and submission files (pure Swift).
    .target(name: "ShenzhouTasks", dependencies: ["ShenzhouText"], swiftSettings: strict),
    .target(
      name: "ShenzhouModels", dependencies: ["ShenzhouNN", "ShenzhouText"], swiftSettings: strict),
    .target(
      name: "ShenzhouTraining", dependencies: ["ShenzhouModels", "ShenzhouData", "ShenzhouNN", "ShenzhouReporting"],
      swiftSettings: strict),
    .target(
      name: "ShenzhouFinetune", dependencies: ["ShenzhouModels", "ShenzhouText"], swiftSettings: strict),
    .target(name: "ShenzhouCLIKit", dependencies: [], swiftSettings: strict),
    .target(name: "ShenzhouReporting", swiftSettings: strict),
    // Shared by test targets: repository paths, the project's Python and subprocess helpers.
    .target(name: "ShenzhouTestSupport", path: "Sources/ShenzhouTestSupport"),
    .executableTarget(
      name: "ShenzhouCLI",
      dependencies: [
        "ShenzhouTraining", "ShenzhouFinetune", "ShenzhouModels", "ShenzhouText", "ShenzhouData", "ShenzhouReporting",
        "ShenzhouTasks",
        "ShenzhouCLIKit",
      ],
      swiftSettings: strict
    ),
    // Word segmentation benchmark that scripts/bench-segmenter runs.
    .executableTarget(name: "ShenzhouSegBench", dependencies: ["ShenzhouText"], swiftSettings: strict),
    // Pretraining throughput for scripts/bench-pretrain.
    .executableTarget(name: "ShenzhouTrainBench", dependencies: ["ShenzhouTraining"], swiftSettings: strict),
    // Fine-tuning parity and throughput runs that scripts/finetune-parity and scripts/bench-finetune drive.
    .executableTarget(name: "ShenzhouFinetuneBench", dependencies: ["ShenzhouFinetune"], swiftSettings: strict),
    .testTarget(name: "TensorsTests", dependencies: ["ShenzhouTensors", "ShenzhouNN"]),
    .testTarget(name: "ModelsTests", dependencies: ["ShenzhouModels", "ShenzhouTestSupport"]),
    .testTarget(name: "TrainingTests", dependencies: ["ShenzhouTraining", "ShenzhouTestSupport"]),
    .testTarget(name: "FinetuneTests", dependencies: ["ShenzhouFinetune", "ShenzhouTestSupport"]),
    .testTarget(name: "TextTests", dependencies: ["ShenzhouText"]),
    .testTarget(name: "DataTests", dependencies: ["ShenzhouData"]),
    .testTarget(name: "CLITests", dependencies: ["ShenzhouCLIKit"]),
    .testTarget(name: "TasksTests", dependencies: ["ShenzhouTasks", "ShenzhouTestSupport"]),
    .testTarget(name: "ReportingTests", dependencies: ["ShenzhouReporting", "ShenzhouTestSupport"]),
  ],
  cxxLanguageStandard: .cxx20
)
