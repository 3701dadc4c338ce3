import Foundation
import Testing

@testable import JixiaoEngine

/// Mangled rule and data files must give diagnostics, never a crash: thousands of deterministic
/// mutations of the real 2019 rules and the Dapeng data, compiled and scored.
@Suite struct RobustnessTests {
  /// A small deterministic generator, so that a failure reproduces.
  struct Generator {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(max(bound, 1)))
    }
  }

  static let fragments: [String] = [
    "{", "}", "（", "）", "[", "]", "→", "≥", "<", "÷ 0", "×", "如果", "则", "否则", "指标 新 1 {", "得分 =", "设 x =",
    "\"", "“", "”", "#", "，", "；", "1,000", "95%", "..", "分档", "清单", "评审", "输入 y：百分比", "\n", "是", "非",
  ]

  static func mutate(_ text: String, _ generator: inout Generator) -> String {
    var scalars = Array(text.unicodeScalars)
    for _ in 0...generator.next(3) {
      let at = generator.next(scalars.count)
      switch generator.next(3) {
      case 0: scalars.removeSubrange(at..<min(scalars.count, at + 1 + generator.next(8)))
      case 1: scalars.insert(contentsOf: fragments[generator.next(fragments.count)].unicodeScalars, at: at)
      default:
        let from = generator.next(scalars.count)
        let piece = scalars[from..<min(scalars.count, from + generator.next(40))]
        scalars.insert(contentsOf: piece, at: at)
      }
    }
    return String(String.UnicodeScalarView(scalars))
  }

  @Test func mutatedRulesNeverCrashAndErrorsMeanNoPlan() throws {
    let rules = try readText(Repository.rules + "shenzhen-department-2019.rules")
    let data = SourceFile(path: "d.json", text: try readText(Repository.root + "Examples/dapeng-2021.json"))
    var generator = Generator(state: 2019)
    var planned = 0
    for _ in 0..<400 {
      let source = SourceFile(path: "m.rules", text: Self.mutate(rules, &generator))
      let compiled = Compiler.compile(source)
      #expect((compiled.plan == nil) == compiled.diagnostics.hasErrors)
      for diagnostic in compiled.diagnostics {
        #expect(diagnostic.span.start.offset <= source.scalars.count)
        _ = DiagnosticRenderer.text(diagnostic, file: source)
      }
      if let plan = compiled.plan {
        planned += 1
        _ = Compiler.score(data, with: plan, explain: true)
      }
    }
    #expect(planned > 0)
  }

  @Test func mutatedDataNeverCrashes() throws {
    let rules = try readText(Repository.rules + "shenzhen-department-2019.rules")
    let plan = try #require(Compiler.compile(SourceFile(path: "r.rules", text: rules)).plan)
    let data = try readText(Repository.root + "Examples/dapeng-2021.json")
    var generator = Generator(state: 2021)
    for _ in 0..<400 {
      let source = SourceFile(path: "m.json", text: Self.mutate(data, &generator))
      let (sheet, diagnostics) = Compiler.score(source, with: plan, explain: true)
      if sheet == nil { #expect(diagnostics.hasErrors) }
      if let sheet { _ = SheetRenderer.render(sheet, format: .text, explain: true) }
    }
  }
}
