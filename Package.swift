// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Jixiao",
  products: [
    .executable(name: "jixiao", targets: ["jixiao"]),
    .library(name: "JixiaoEngine", targets: ["JixiaoEngine"]),
  ],
  targets: [
    .target(name: "JixiaoEngine"),
    .executableTarget(name: "jixiao", dependencies: ["JixiaoEngine"]),
    .testTarget(name: "JixiaoEngineTests", dependencies: ["JixiaoEngine"]),
    .testTarget(name: "JixiaoCLITests", dependencies: ["jixiao", "JixiaoEngine"]),
  ]
)
