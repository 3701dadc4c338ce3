import Testing

@testable import JixiaoEngine

/// Small rulesets that isolate one evaluation behaviour each.
@Suite struct EvaluatorTests {
  static func run(_ body: String, data: String, fullMarks: Int = 10) throws -> (ScoreSheet?, [Diagnostic]) {
    let rules = testRuleset(body, fullMarks: fullMarks)
    // Runtime behaviour on deliberately loose rules, which the static checks would refuse.
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: rules), staticChecks: false)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    let plan = try #require(compiled.plan)
    return Compiler.score(SourceFile(path: "d.json", text: data), with: plan, explain: true)
  }

  @Test func unguardedDivisionByZeroNamesIndicatorAndValues() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 支出：金额  输入 预算：金额  得分 = 封顶（支出 ÷ 预算 × 10，10） }",
      data: #"{"subject": "s", "inputs": {"支出": 5, "预算": 0}}"#)
    #expect(diagnostics.map(\.code) == [.divisionByZero])
    #expect(diagnostics.first?.message == "指标“甲”：除数“预算”为零")
    #expect(diagnostics.first?.notes.first == "预算 = 0")
    #expect(diagnostics.first?.span.file == "t.rules")
    #expect(sheet?.total == nil)
  }

  /// A chain of × and ÷ rounds once, at the end: dividing first would make 2.875 into 2.874999….
  @Test(arguments: [
    ("实际 ÷ 目标 × 10", "86.25", "90", "9.58"),  // 9.5833…
    ("实际 ÷ 目标 × 3", "86.25", "90", "2.88"),  // exactly 2.875, half-up
    ("3 × 实际 ÷ 目标", "86.25", "90", "2.88"),
    ("实际 ÷ 目标 ÷ 2 × 6", "86.25", "90", "2.88"),
    ("实际 ÷ 目标 × 目标", "1", "3", "1"),  // 1 ÷ 3 × 3
    ("（实际 ＋ 0）÷ 目标 × 3 ＋ 0", "86.25", "90", "2.88"),
  ])
  func quotientChainsRoundOnlyAtTheEnd(formula: String, actual: String, target: String, expected: String) throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 实际：数值  输入 目标：数值  得分 = 封顶（\(formula)，10） }",
      data: #"{"subject": "s", "inputs": {"实际": \#(actual), "目标": \#(target)}}"#)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(sheet?.rows.first?.score?.description == expected)
  }

  /// “每超过一个百分点扣 0.5 分” read as whole points (向下取整) or pro rata; both pass the static
  /// checks, so the interval analysis bounds 向下取整 without a cap on it. 12.5% is 2.5 points over.
  @Test(arguments: [
    ("0.5 × 向下取整（（比例 － 10%）× 100）", "12.5%", "9"),  // 2 whole points: 1 off
    ("0.5 × （比例 － 10%）× 100", "12.5%", "8.75"),  // 2.5 points: 1.25 off
    ("0.5 × 向上取整（（比例 － 10%）× 100）", "12.5%", "8.5"),  // a started point counts: 1.5 off
    ("0.5 × floor（（比例 － 10%）× 100）", "10.99%", "10"),
    ("0.5 × 向下取整（（比例 － 10%）× 100，1）", "12.57%", "8.75"),  // 2.5 points: 1.25 off
    ("0.5 × ceil（（比例 － 10%）× 100，1）", "12.51%", "8.7"),  // 2.6 points: 1.3 off
  ])
  func deductionPerPercentagePointEitherReading(deduction: String, rate: String, expected: String) throws {
    let rules = testRuleset(
      "指标 甲 10 { 输入 比例：百分比  得分 = 如果 比例 ≤ 10% 则 10 否则 保底（10 － \(deduction)，0） }")
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: rules))
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    let plan = try #require(compiled.plan)
    let (sheet, diagnostics) = Compiler.score(
      SourceFile(path: "d.json", text: #"{"subject": "s", "inputs": {"比例": "\#(rate)"}}"#), with: plan)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(sheet?.rows.first?.score?.description == expected)
  }

  /// Rounding toward −∞ / +∞ works element by element on a list, like 四舍五入.
  @Test func floorAndCeilingApplyToEachElement() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 x：数值 × 3  得分 = 求和（向下取整（x））＋ 求和（向上取整（x，1）） }",
      data: #"{"subject": "s", "inputs": {"x": [1.25, -1.25, 2]}}"#)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    // (1 − 2 + 2) + (1.3 − 1.2 + 2)
    #expect(sheet?.rows.first?.score?.description == "3.1")
  }

  /// A figure the report states and could also be computed from its other figures is compared at
  /// the precision the report wrote it; the stated one is scored, the disagreement is listed.
  @Test func statedFiguresAreComparedWithWhatTheReportsOtherFiguresGive() throws {
    let body = """
        指标 甲 10 {
          输入 支出：金额（万元）
          输入 预算：金额（万元）
          输入 控制率：百分比 缺省 如果 预算 = 0 则 0% 否则 支出 ÷ 预算
          得分 = 如果 控制率 < 90% 则 10 否则 5
        }
      """
    let (agreeing, _) = try Self.run(
      body, data: #"{"subject": "s", "inputs": {"支出": 3.49, "预算": 10.42, "控制率": "33.49%"}}"#)
    #expect(agreeing?.inconsistencies == [])
    let (sheet, diagnostics) = try Self.run(
      body, data: #"{"subject": "s", "inputs": {"支出": 3.49, "预算": 10.42, "控制率": "33.51%"}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.total?.description == "10")
    #expect(
      sheet?.inconsistencies.map(\.message) == [
        "“控制率”报告为 33.51%，按 如果 预算 = 0 则 0% 否则 支出 ÷ 预算 = （预算 = 0 为否 ⇒ 3.49 ÷ 10.42） 算得 33.49%；报告未注明口径，属计算上的不一致"
      ])
    #expect(sheet?.inconsistencies.first?.about == "控制率")
  }

  @Test func explanationsLeaveOutCommentsAndShowEachChecklistItemsPoints() throws {
    let (sheet, _) = try Self.run(
      """
        指标 甲 10 {
          输入 a：是否
          输入 b：是否
          得分 = 清单 {  # 两项各 5 分
            a → 5  # 第一项
            b → 5
          }
        }
      """, data: #"{"subject": "s", "inputs": {"a": true, "b": false}}"#)
    let lines = try #require(sheet?.rows.first?.explanation)
    #expect(lines == ["得分 = 清单 { a → 5；b → 5 }", "     = 清单（✓ a → 5，✗ b → 5）", "     = 5"])
  }

  @Test func explanationsSeparateEveryArmOfABandTableAndJoinWhatContinues() throws {
    // An arm that opens with “(” is an arm, not a call; a line after “，” or “→” continues.
    let (sheet, _) = try Self.run(
      """
        指标 甲 10 {
          输入 率：百分比
          得分 = 分档 率 {
            > 95%       → 10
            (90%, 95%]  → 8
            ≤ 90%       →
              封顶（率 × 5，
                5）
          }
        }
      """, data: #"{"subject": "s", "inputs": {"率": "92%"}}"#)
    let lines = try #require(sheet?.rows.first?.explanation)
    #expect(lines.first == "得分 = 分档 率 { > 95% → 10；(90%, 95%] → 8；≤ 90% → 封顶（率 × 5，5） }")
  }

  @Test func guardedDivisionIsNeverEvaluated() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 支出：金额  输入 预算：金额  得分 = 如果 预算 = 0 则 10 否则 封顶（支出 ÷ 预算 × 10，10） }",
      data: #"{"subject": "s", "inputs": {"支出": 5, "预算": 0}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.total?.description == "10")
    #expect(sheet?.grade == "优")
  }

  @Test func scoreAboveWeightIsAnError() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 率：百分比  得分 = 率 × 10 }", data: #"{"subject": "s", "inputs": {"率": "120%"}}"#)
    #expect(diagnostics.map(\.code) == [.scoreOutOfRange])
    #expect(diagnostics.first?.message == "指标“甲”算得 12 分，超出它的分值范围 0 到 10")
    #expect(diagnostics.first?.notes.first == "率 = 120%")
    #expect(sheet?.rows.first?.source == .unavailable)
  }

  @Test func valueOutsideEveryBand() throws {
    let (_, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 率：百分比  得分 = 分档 率 { ≥ 90% → 10；[50%, 80%) → 5 } }",
      data: #"{"subject": "s", "inputs": {"率": "85%"}}"#)
    #expect(diagnostics.map(\.code) == [.noBandMatched])
    #expect(diagnostics.first?.message == "指标“甲”：“率” = 85% 不在任何一档中")
  }

  @Test func roundingHalfUpAtPrecisionAndTotalIsSumOfRoundedItems() throws {
    // 1/3 × 3 of 5 points: each 1.666… rounds to 1.67; the total is 3.34, not 3.33.
    let (sheet, diagnostics) = try Self.run(
      """
      指标 甲 5 { 输入 完成：数量  得分 = 完成 ÷ 3 × 5 }
      指标 乙 5 { 得分 = 完成 ÷ 3 × 5 }
      """, data: #"{"subject": "s", "inputs": {"完成": 1}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.rows.map { $0.score?.description } == ["1.67", "1.67"])
    #expect(sheet?.total?.description == "3.34")
    #expect(sheet?.grade == "差")
  }

  @Test func budgetExecutionDoubleRounding() throws {
    // Seed 002: 23438987.34 / 24712400.00 = 94.847…% → 94.85% → × 10 = 9.485 → 9.49 (not 9.48).
    let (sheet, _) = try Self.run(
      "指标 预算执行 10 { 输入 执行数：金额（元）  输入 预算数：金额（元）  得分 = 四舍五入（四舍五入（执行数 ÷ 预算数，4）× 10，2） }",
      data: #"{"subject": "s", "inputs": {"执行数": "23438987.34", "预算数": "24,712,400.00元"}}"#)
    #expect(sheet?.total?.description == "9.49")
  }

  @Test func elementWiseListsAndAggregates() throws {
    let (sheet, diagnostics) = try Self.run(
      """
      设 权 = [1, 2, 3]
      指标 甲 10 { 输入 值：数值 × 3  得分 = 最小（求和（值 × 权），10） }
      """, data: #"{"subject": "s", "inputs": {"值": [1, 1, 1]}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.total?.description == "6")
  }

  @Test func kleeneLogicDecidesWithoutTheMissingSide() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 件数：数量  输入 回复：数量  得分 = 清单 { 件数 = 0 或 回复 ≥ 件数 → 10 } }",
      data: #"{"subject": "s", "inputs": {"件数": 0}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.total?.description == "10")
    let (_, missing) = try Self.run(
      "指标 甲 10 { 输入 件数：数量  输入 回复：数量  得分 = 清单 { 件数 = 0 或 回复 ≥ 件数 → 10 } }",
      data: #"{"subject": "s", "inputs": {"件数": 2}}"#)
    #expect(missing.map(\.message) == ["缺少输入“回复”，指标“甲”需要它"])
  }

  @Test func defaultUsesAnotherInputWhenTheFigureIsNotGiven() throws {
    let body = "指标 甲 10 { 输入 数：数值  输入 倍：数值 缺省 数 × 2  得分 = 封顶（倍，10） }"
    let (computed, _) = try Self.run(body, data: #"{"subject": "s", "inputs": {"数": 3}}"#)
    #expect(computed?.total?.description == "6")
    #expect(computed?.rows.first?.explanation.first == "输入 倍（未填，按缺省） = 数 × 2 = 3 × 2 = 6")
    let (given, _) = try Self.run(body, data: #"{"subject": "s", "inputs": {"倍": 4}}"#)
    #expect(given?.total?.description == "4")
  }

  @Test func defaultOutsideTheDeclaredDomainIsAnError() throws {
    let (sheet, diagnostics) = try Self.run(
      "指标 甲 10 { 输入 实有：数量  输入 在编：数量  输入 编外：数量 缺省 实有 － 在编  得分 = 封顶（编外，10） }",
      data: #"{"subject": "s", "inputs": {"实有": 1, "在编": 20}}"#)
    #expect(diagnostics.map(\.code) == [.valueOutOfRange])
    #expect(diagnostics.first?.message == "指标“甲”：输入“编外”按缺省公式算得 -19，应是不小于 0 的整数")
    #expect(sheet?.total == nil)
  }
}
