import Foundation
import Testing

@testable import JixiaoEngine

/// The static guarantees: every check has a failing example with its expected diagnostic and a
/// fixed version with none, under Tests/Fixtures/static-checks.
@Suite struct AnalyzerTests {
  static let folder = Repository.staticCheckFixtures

  static var failing: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".rules") && !$0.hasSuffix(".fixed.rules") }.sorted()
  }

  static func compile(_ name: String) throws -> CompiledRules {
    Compiler.compile(SourceFile(path: name, text: try readText(folder + name)))
  }

  @Test func everyCheckHasAnExample() {
    let codes = Set(Self.failing.map { String($0.prefix(4)) })
    #expect(codes == ["E045", "E046", "E047", "E048", "E049", "W003", "W004", "W005", "W006", "W007", "W009"])
  }

  @Test(arguments: failing) func failingExampleGivesItsDiagnostic(name: String) throws {
    let text = try readText(Self.folder + name)
    // First line: # 期望 E045 第 7 行：message
    let header = try #require(text.split(separator: "\n").first).dropFirst("# 期望 ".count)
    let code = String(header.prefix(4))
    let line = try #require(Int(header.dropFirst(7).prefix { $0 != " " }))
    let message = String(try #require(header.split(separator: "：", maxSplits: 1).last))
    let diagnostics = try Self.compile(name).diagnostics
    #expect(diagnostics.map(\.code.rawValue) == [code], "\(diagnostics.map(\.message))")
    #expect(diagnostics.first?.span.start.line == line)
    #expect(diagnostics.first?.message == message)
  }

  @Test(arguments: failing) func fixedVersionIsClean(name: String) throws {
    let fixed = name.replacingOccurrences(of: ".rules", with: ".fixed.rules")
    let compiled = try Self.compile(fixed)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    #expect(compiled.plan != nil)
  }

  @Test func scoreBoundComesWithACounterexample() throws {
    let diagnostic = try #require(try Self.compile("E046-score-bound.rules").diagnostics.first)
    let example = try #require(diagnostic.notes.first)
    #expect(example.hasPrefix("反例：当 季度支出进度 = ["))
    #expect(example.hasSuffix("超过 6 分"))
    // The counterexample is real: scoring it gives more than 6.
    #expect(!example.contains("未找到"))
  }

  static func analyze(_ body: String) -> [String] {
    let text = "规则集 \"x\" {\n  满分 10\n\(body)\n}"
    return Compiler.compile(SourceFile(path: "t.rules", text: text)).diagnostics.map {
      "\($0.code.rawValue) \($0.message)"
    }
  }

  @Test func guardsNarrowValuesInsideBranches() {
    // A count that is not 0 is at least 1, so the sum below cannot be 0.
    #expect(
      Self.analyze(
        """
          指标 甲 10 {
            输入 编外：数量
            输入 在编：数量
            设 比率 = 如果 编外 = 0 则 0% 否则 编外 ÷ （在编 ＋ 编外）
            得分 = 分档 比率 { < 5% → 10；≥ 5% → 0 }
          }
        """) == [])
    // Relations between two inputs: in the else branch 已完成 < 计划 and 已完成 ≥ 0, so 计划 > 0.
    #expect(
      Self.analyze(
        """
          指标 甲 10 {
            输入 计划：数量
            输入 已完成：数量
            得分 = 如果 已完成 ≥ 计划 则 10 否则 封顶（已完成 ÷ 计划，1）× 10
          }
        """) == [])
    // A guard on a compound divisor, written with other brackets and spacing, counts too.
    #expect(
      Self.analyze(
        """
          指标 甲 10 {
            输入 编外：数量
            输入 在编：数量
            设 比率 = 如果 （在编 ＋ 编外） = 0 则 0% 否则 编外 ÷ （在编＋编外）
            得分 = 分档 比率 { < 5% → 10；≥ 5% → 0 }
          }
        """) == [])
    #expect(
      Self.analyze(
        """
          指标 甲 10 {
            输入 编外：数量
            输入 在编：数量
            设 比率 = 如果 （在编 ＋ 编外） > 0 则 编外 ÷ （在编 ＋ 编外） 否则 0%
            得分 = 分档 比率 { < 5% → 10；≥ 5% → 0 }
          }
        """) == [])
    // A 数值 may be negative, so “≠ 0” is not an interval; the guard still counts.
    for guarded in ["如果 x = 0 则 0 否则 封顶（保底（1 ÷ x，0），10）", "如果 x ≠ 0 则 封顶（保底（1 ÷ x，0），10） 否则 0"] {
      #expect(Self.analyze("  指标 甲 10 { 输入 x：数值  得分 = \(guarded) }") == [], "\(guarded)")
    }
    // A guard on a function of a list, such as a sum of weights.
    #expect(
      Self.analyze(
        "  指标 甲 10 { 输入 权重：数值 × 3  输入 分：数值 × 3  得分 = 如果 求和（权重） = 0 则 0 否则 封顶（保底（求和（权重 × 分）÷ 求和（权重），0），10） }"
      ) == [])
    // Without the guard the same division is reported.
    #expect(
      Self.analyze(
        """
          指标 甲 10 {
            输入 计划：数量
            输入 已完成：数量
            得分 = 封顶（已完成 ÷ 计划，1）× 10
          }
        """) == ["E045 除数“计划”在声明的取值范围内可能为零"])
  }

  @Test func comparingTwoInputsBoundsTheirRatioAndDifferenceInEachBranch() {
    // In the else branch 在职 > 编制, so 在职 ÷ 编制 ≥ 1 and the deduction never adds points.
    let staffing = "如果 在职 ≤ 编制 则 10 否则 保底（10 － （在职 ÷ 编制 － 100%）÷ 1% × 0.5，0）"
    let indicator = { (score: String) in "  指标 甲 10 { 输入 在职：数量  输入 编制：数量  得分 = \(score) }" }
    // 编制 may still be 0 with 在职 > 编制: that division is real, and the only finding.
    #expect(Self.analyze(indicator(staffing)) == ["E045 除数“编制”在声明的取值范围内可能为零"])
    #expect(Self.analyze(indicator("如果 编制 = 0 则 0 否则 \(staffing)")) == [])
    // The same deduction where 在职 ≤ 编制 adds up to 50 points: still E046, with its counterexample.
    let reversed = "如果 编制 = 0 则 0 否则 如果 在职 > 编制 则 10 否则 保底（10 － （在职 ÷ 编制 － 100%）÷ 1% × 0.5，0）"
    let found = Self.analyze(indicator(reversed))
    #expect(found == ["E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最高可达 60"])
    // A difference: over plan, 实际 － 计划 > 0, so 10 minus it stays below 10.
    let overPlan = { (condition: String) in
      "  指标 甲 10 { 输入 实际：金额  输入 计划：金额  得分 = 如果 \(condition) 则 10 否则 保底（10 － （实际 － 计划）÷ 100，0） }"
    }
    #expect(Self.analyze(overPlan("实际 ≤ 计划")) == [])
    #expect(Self.analyze(overPlan("实际 ≥ 计划")).first?.hasPrefix("E046") == true)
    // A fact holds only in its branch: after the 如果 the ratio is unbounded again.
    #expect(
      Self.analyze(indicator("如果 编制 = 0 则 0 否则 （如果 在职 ≤ 编制 则 0 否则 1）× 在职 ÷ 编制")).first?.hasPrefix("E046")
        == true)
  }

  @Test func scoreReachingTheOldPointsWrittenInItsFormulaSaysSo() throws {
    // 分值 changed from 6 to 4, the formula still gives 6: rescale, do not only cap.
    func notes(_ score: String) -> [String] {
      let text = "规则集 \"x\" {\n  满分 4\n  指标 甲 4 { 输入 计划：数量  输入 完成：数量  输入 率：百分比  得分 = \(score) }\n}"
      let diagnostics = Compiler.compile(SourceFile(path: "t.rules", text: text)).diagnostics
        .filter { $0.code != .unusedInput }
      #expect(diagnostics.map(\.code) == [.scoreMayExceed], "\(score)")
      return diagnostics.first?.notes ?? []
    }
    let rescale = "公式最高得 6 分，正是公式中写的 6：多半是指标分值改成了 4，公式仍按原来的 6 分计算；请把公式按 4 分改写（如 × 6 改为 × 4，封顶（…，6）改为 封顶（…，4））"
    #expect(notes("封顶（率 × 6，6）").last == rescale)
    #expect(notes("如果 完成 ≥ 计划 则 6 否则 完成 ÷ 计划 × 6").last == rescale)
    // Any other excess is still told to be capped.
    #expect(notes("封顶（率 × 6，10）÷ 2").last == "在公式中用“封顶（…，4）”“保底（…，0）”写明上下限，证明即可通过")
    #expect(notes("率 × 6").last == "在公式中用“封顶（…，4）”“保底（…，0）”写明上下限，证明即可通过")
  }

  @Test func constantChainsAreAnalysedAsExactlyAsTheyAreScored() {
    // Scoring computes 1 ÷ 3 × 3 as one fraction, 1; the analysis must agree.
    #expect(
      Self.analyze("  指标 甲 10 { 得分 = 如果 1 ÷ 3 × 3 = 1 则 10 否则 0 }")
        == ["W005 条件“1 ÷ 3 × 3 = 1”在声明的取值范围内总是成立，“否则”分支永远不会执行"])
  }

  @Test func assessedRangesAndCapsBoundScores() {
    #expect(Self.analyze("  指标 甲 10 { 评审 分：0..10 分  得分 = 分 }") == [])
    #expect(
      Self.analyze("  指标 甲 10 { 评审 分：0..12 分  得分 = 分 }").first?.hasPrefix("E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最高可达 12")
        == true)
    #expect(Self.analyze("  指标 甲 10 { 输入 扣分项：数量  得分 = 保底（10 － 2 × 扣分项，0） }") == [])
    #expect(Self.analyze("  指标 甲 10 { 输入 扣分项：数量  得分 = 10 － 2 × 扣分项 }").first?.contains("最低可达") == false)
  }

  @Test func bandWithLimitsLackingPercentStillReportsItsGap() {
    // ≥ 100 is ≥ 10000%: [100%, 10000%) is scored by no arm, so plain check must fail.
    let diagnostics = Self.analyze(
      "  指标 甲 10 { 输入 率：百分比  得分 = 分档 率 { ≥ 100 → 10；[80%, 100%) → 5；< 80% → 0 } }")
    #expect(
      diagnostics == [
        "E047 “率”的取值 [100%, 10000%) 未被任何档覆盖",
        "W008 “率”是百分比，却与不带 % 的 100 比较：100 即 10000%",
      ])
    // An overlap that is only the slip is left to W008: < 80 is < 8000%, which covers ≥ 80%.
    #expect(
      Self.analyze("  指标 甲 10 { 输入 率：百分比  得分 = 分档 率 { < 80 → 0；≥ 80% → 10 } }") == [
        "W008 “率”是百分比，却与不带 % 的 80 比较：80 即 8000%"
      ])
    // A gap the slip makes is an error: [80, 90) is [8000%, 9000%), so [80%, 90%) is unscored.
    #expect(
      Self.analyze("  指标 甲 10 { 输入 率：百分比  得分 = 分档 率 { ≥ 90% → 10；[80, 90) → 5；< 80% → 0 } }").contains(
        "E047 “率”的取值 [80%, 90%) 未被任何档覆盖"))
  }

  /// 向下取整 and 向上取整 move each end of the interval the same way: ceiling 0..9.5 stays within
  /// 10, ceiling 0..10.2 reaches 11; the places argument is taken into account.
  @Test func floorAndCeilingBoundScores() {
    #expect(Self.analyze("  指标 甲 10 { 评审 分：0..9.5 分  得分 = 向上取整（分） }") == [])
    #expect(
      Self.analyze("  指标 甲 10 { 评审 分：0..10.2 分  得分 = 向上取整（分） }").first?.hasPrefix(
        "E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最高可达 11") == true)
    #expect(Self.analyze("  指标 甲 10 { 评审 分：0..10.2 分  得分 = 向下取整（分） }") == [])
    #expect(
      Self.analyze("  指标 甲 10 { 评审 分：0..10.04 分  得分 = 向上取整（分，1） }").first?.hasPrefix(
        "E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最高可达 10.1") == true)
    #expect(
      Self.analyze("  指标 甲 10 { 评审 分：0.5..10 分  得分 = 向下取整（分） － 1 }").first?.hasPrefix(
        "E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最低可达 -1") == true)
  }

  @Test func shippedRulesHaveNoFindings() throws {
    for file in Repository.shippedRuleFiles {
      let diagnostics = Compiler.compile(SourceFile(path: file, text: try readText(Repository.rules + file)))
        .diagnostics
      #expect(diagnostics.isEmpty, "\(file): \(diagnostics.map(\.message))")
    }
  }
}
