import Testing

@testable import JixiaoEngine

/// A range declared on an input type, 百分比（-100%..）, 数值（0..10）, 数量（..50): parsed, checked,
/// used by the static analysis, enforced on data and test values, and kept by the formatter.
@Suite struct DeclaredRangeTests {
  static func compile(_ body: String) -> CompiledRules {
    Compiler.compile(SourceFile(path: "t.rules", text: testRuleset(body)))
  }

  static func messages(_ body: String) -> [String] {
    compile(body).diagnostics.map { "\($0.code.rawValue) \($0.message)" }
  }

  static func score(_ body: String, inputs: String) throws -> (ScoreSheet?, [String]) {
    let plan = try #require(compile(body).plan)
    let (sheet, diagnostics) = Compiler.score(
      SourceFile(path: "d.json", text: #"{"subject": "s", "inputs": {\#(inputs)}}"#), with: plan)
    return (sheet, diagnostics.map { "\($0.code.rawValue) \($0.message)" })
  }

  static let change = """
      指标 甲 10 {
        输入 变动率：百分比（-100%..） "“三公”经费比上年的变动率"
        得分 = 分档 变动率 { ≤ -10% → 10；(-10%, 0%] → 5；> 0% → 0 }
      }
    """

  @Test func rangesParseAfterPercentNumberAndCountButNotAmount() throws {
    let text = testRuleset(
      """
        输入 a：百分比（-100%..）
        输入 b：数值（0..10） × 2
        输入 c：数量（..50）
        输入 d：金额（万元）
        输入 e：percent(0%..200%)
        指标 甲 10 { 得分 = 1 }
      """)
    let (syntax, diagnostics) = Parser.parse(SourceFile(path: "t.rules", text: text))
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    let inputs = try #require(syntax.rulesets.first).inputs
    let ranges = inputs.map {
      $0.range.map { "\($0.lower.map(\.description) ?? "")..\($0.upper.map(\.description) ?? "")" }
    }
    #expect(ranges == ["-1..", "0..10", "..50", nil, "0..2"])
    #expect(inputs[1].length == 2)
    #expect(inputs[3].kind == .amount(unit: "万元"))
  }

  @Test func aRangeNeedsAnEndAndItsClosingParenthesis() {
    #expect(Self.messages("  输入 a：数值（..）\n  指标 甲 10 { 得分 = 1 }").first == "E021 取值范围至少要写出下限或上限，如 百分比（-100%..）")
    #expect(Self.messages("  输入 a：数值（0..10\n  指标 甲 10 { 得分 = 1 }").first?.hasPrefix("E004 这里应有右括号 ）") == true)
  }

  @Test(arguments: [
    ("百分比（-100..）", "E021 “a”是百分比，取值范围（-100..）的界限要带 %"),
    ("百分比（-100%..5）", "E021 “a”是百分比，取值范围（-100%..5）的界限要带 %"),
    ("数值（0%..10%）", "E021 “a”不是百分比，取值范围（0%..10%）的界限不能带 %"),
    ("数量（-1..10）", "E021 “a”是数量，取值范围（-1..10）的界限应是不小于 0 的整数"),
    ("数量（0..2.5）", "E021 “a”是数量，取值范围（0..2.5）的界限应是不小于 0 的整数"),
    ("数值（10..0）", "E021 “a”的取值范围（10..0）不对：下限应小于上限"),
    ("数值（1..1）", "E021 “a”的取值范围（1..1）不对：下限应小于上限"),
  ])
  func rangesTheTypeCannotHoldAreRefused(type: String, message: String) {
    #expect(Self.messages("  输入 a：\(type)\n  指标 甲 10 { 得分 = 1 }") == [message])
  }

  /// The declared range is the input's interval in the analysis: it can widen the type's own (a
  /// negative percentage makes a branch reachable) or narrow it (a score bounded by 0..10).
  @Test func theAnalysisUsesTheDeclaredRange() {
    #expect(Self.messages(Self.change) == [])
    #expect(
      Self.messages("  指标 甲 10 { 输入 r：百分比  得分 = 如果 r < 0% 则 10 否则 5 }")
        == [
          "W009 指标“甲”按声明的取值范围最高只能得 5 分，达不到它的分值 10",
          "W005 条件“r < 0%”在声明的取值范围内总是不成立，“则”分支永远不会执行",
        ])
    #expect(Self.messages("  指标 甲 10 { 输入 r：百分比（-50%..）  得分 = 如果 r < 0% 则 10 否则 5 }") == [])
    #expect(Self.messages("  指标 甲 10 { 输入 x：数值（0..10）  得分 = x }") == [])
    #expect(Self.messages("  指标 甲 10 { 输入 x：数值  得分 = x }").first?.hasPrefix("E046") == true)
    #expect(
      Self.messages("  指标 甲 10 { 输入 x：数值（0..12）  得分 = x }").first?.hasPrefix(
        "E046 指标“甲”的得分可能超出 0 到 10 分：按声明的取值范围最高可达 12") == true)
    // A band over a declared range has no gap below -100%.
    #expect(Self.messages("  指标 甲 10 { 输入 r：百分比（-100%..）  得分 = 分档 r { < 0% → 10；≥ 0% → 0 } }") == [])
    // A default must stay inside the declared range (E049).
    #expect(
      Self.messages("  指标 甲 10 { 输入 x：数值（0..10） 缺省 11  得分 = x }")
        == ["E049 输入“x”的缺省公式可能算出 11，不在它声明的取值范围 [0, 10] 内"])
    // A change rate from two amounts: 本年 ÷ 上年 － 1 is provably at least -100%, (本年 － 上年)÷ 上年
    // is not, and the message names the declared end rather than “负数”.
    let rate = """
        指标 甲 10 {
          输入 本年：金额
          输入 上年：金额
          输入 变动率：百分比（-100%..） 缺省 如果 上年 = 0 则 0% 否则 本年 ÷ 上年 － 1
          得分 = 分档 变动率 { ≤ -10% → 10；> -10% → 0 }
        }
      """
    #expect(Self.messages(rate) == [])
    let compiled = Self.compile(rate.replacingOccurrences(of: "本年 ÷ 上年 － 1", with: "（本年 － 上年）÷ 上年"))
    #expect(
      compiled.diagnostics.map(\.message) == ["输入“变动率”的缺省公式可能算出低于 -100% 的值，不在它声明的取值范围 ≥ -100% 内"])
    #expect(compiled.diagnostics.first?.notes == ["用“保底”“封顶”“绝对值”或“如果”让缺省值留在范围内，如：保底（…，-100%）"])
  }

  @Test func dataWithinTheRangeScoresAndDataOutsideIsRefusedWithTheRange() throws {
    let (sheet, messages) = try Self.score(Self.change, inputs: #""变动率": "-12.5%""#)
    #expect(messages == [])
    #expect(sheet?.total?.description == "10")
    // The minus sign − and the full-width － are minus signs too; -100% itself is inside.
    for written in ["−5%", "－5%", "-100%"] {
      let (sheet, messages) = try Self.score(Self.change, inputs: #""变动率": "\#(written)""#)
      #expect(messages == [], "\(written)")
      #expect(sheet?.total != nil)
    }
    let (refused, problems) = try Self.score(Self.change, inputs: #""变动率": "-112.5%""#)
    #expect(refused == nil)
    #expect(problems == ["E033 “变动率”的值 -112.5% 超出规则声明的取值范围 -100%.."])
    let (_, above) = try Self.score(
      "  指标 甲 10 { 输入 x：数值（0..10）  得分 = x }", inputs: #""x": 10.5"#)
    #expect(above == ["E033 “x”的值 10.5 超出规则声明的取值范围 0..10"])
    let (_, fraction) = try Self.score(
      "  指标 甲 10 { 输入 n：数量（..10）  得分 = n }", inputs: #""n": 2.5"#)
    #expect(fraction == ["E033 “n”是数量，应是整数，这里是 2.5"])
    // Without a range a percentage stays non-negative.
    let (_, negative) = try Self.score(
      "  指标 甲 10 { 输入 r：百分比  得分 = 如果 r ≥ 0% 则 10 否则 0 }", inputs: #""r": "-1%""#)
    #expect(negative == ["E033 “r”不能为负数，这里是 -0.01"])
  }

  @Test func testValuesAreCheckedAgainstTheRange() throws {
    let text =
      testRuleset(Self.change) + """

        测试 "下降 12.5%" {
          输入 { 变动率 = -12.5% }
          期望 甲 = 10
        }
        测试 "超出" {
          输入 { 变动率 = -150% }
          期望 甲 = 10
        }
        """
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: text))
    let plan = try #require(compiled.plan)
    let diagnostics = TestChecker.diagnostics(compiled.syntax.tests, against: plan)
    #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == ["E032 “变动率”的值 -150% 超出声明的取值范围 -100%.."])
    let outcomes = TestRunner.run(compiled.syntax.tests, with: plan)
    #expect(outcomes.map(\.passed) == [true, false])
  }

  @Test func formattingKeepsRangesTight() throws {
    let input = testRuleset(
      """
      输入 a：百分比 （ - 100% .. ） "变动率"
      输入 b：number( 0 .. 10 )
        指标 甲 10 { 得分 = 1 }
      """)
    guard case .success(let once) = Formatter.format(SourceFile(path: "t.rules", text: input)) else {
      Issue.record("not formatted")
      return
    }
    #expect(once.contains("  输入 a：百分比（-100%..） \"变动率\"\n"))
    #expect(once.contains("  输入 b：number(0..10)\n"))
    guard case .success(let twice) = Formatter.format(SourceFile(path: "t.rules", text: once)) else {
      Issue.record("not formatted twice")
      return
    }
    #expect(twice == once)
  }
}
