import Foundation

// The libFuzzer entry point for Jixiao, compiled with the engine's sources by Tests/Fuzz/run:
// FUZZ_TARGET=rules feeds each input as a rules file, FUZZ_TARGET=data as a data file scored
// against every shipped rule file in Rules/, FUZZ_TARGET=table as a CSV table scored both ways. A broken property (FuzzProperties) stops the run
// with the input saved by libFuzzer; keep it under Tests/Fuzz/regressions/ so `swift test` replays it.

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "rules"

/// The shipped rule files' plans, compiled once.
private let plans: [EvaluationPlan] = {
  let folder = "Rules/"
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  return names.filter { $0.hasSuffix(".rules") && !$0.hasSuffix(".test.rules") }.sorted().compactMap { name in
    guard let text = try? String(contentsOfFile: folder + name, encoding: .utf8) else { return nil }
    return Compiler.compile(SourceFile(path: name, text: text)).plan
  }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  let broken =
    switch target {
    case "data": plans.flatMap { FuzzProperties.data(text, plan: $0) }
    case "table": plans.flatMap { FuzzProperties.table(text, plan: $0) }
    default: FuzzProperties.rules(text)
    }
  if !broken.isEmpty {
    FileHandle.standardError.write(Data(broken.joined(separator: "\n").utf8))
    abort()
  }
  return 0
}
