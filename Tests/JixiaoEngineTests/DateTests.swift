import Testing

@testable import JixiaoEngine

/// The 日期 type: literals in rules, data and tests, real calendar days only, comparisons, 天数,
/// the analysis over day numbers, explanations and formatting.
@Suite struct DateTests {
  static let body = """
      指标 资金下达及时性 2 {
        输入 全部下达日期：日期 "资金全部下达的日期"
        得分 = 如果 全部下达日期 ≤ 2024-06-30 则 2 否则 0
      }
      指标 报送及时性 8 {
        输入 规定报送日期：日期
        输入 实际报送日期：date
        设 逾期天数 = 保底（天数（规定报送日期，实际报送日期），0）
        得分 = 保底（8 － 0.5 × 逾期天数，0）
      }
    """

  static func plan() throws -> EvaluationPlan {
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: testRuleset(body)))
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    return try #require(compiled.plan)
  }

  static func score(_ inputs: String) throws -> (ScoreSheet?, [String]) {
    let (sheet, diagnostics) = Compiler.score(
      SourceFile(path: "d.json", text: #"{"subject": "s", "inputs": {\#(inputs)}}"#), with: try plan(), explain: true)
    return (sheet, diagnostics.map { "\($0.code.rawValue) \($0.message)" })
  }

  @Test func calendarDaysAndDayNumbers() throws {
    #expect(CivilDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
    #expect(
      CivilDate(year: 2024, month: 3, day: 1).map(\.dayNumber)
        == CivilDate(year: 2024, month: 2, day: 29).map { $0.dayNumber + 1 })
    #expect(CivilDate(year: 2024, month: 2, day: 30) == nil)
    #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
    #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
    #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
    #expect(CivilDate(year: 2024, month: 4, day: 31) == nil)
    #expect(CivilDate(year: 2024, month: 13, day: 1) == nil)
    #expect(CivilDate.problem(year: 2023, month: 2, day: 29) == "2023 年 2 月只有 28 天")
    // Day numbers and dates convert both ways, across leap days and centuries.
    for number in [-719_162, -1, 0, 11_016, 19_783, 19_904, 2_932_896] {
      #expect(CivilDate(dayNumber: number)?.dayNumber == number)
    }
    #expect(CivilDate(dayNumber: 19_904)?.description == "2024-06-30")
    #expect(CivilDate(dayNumber: 2_932_897) == nil)
  }

  @Test func bothWritingsLexAsOneDate() {
    func kinds(_ text: String) -> [TokenKind] {
      Lexer.tokenize(SourceFile(path: "t.rules", text: text)).tokens.map(\.kind).dropLast()
    }
    #expect(kinds("2024-06-30") == [.date(year: 2024, month: 6, day: 30)])
    #expect(kinds("2024-6-3") == [.date(year: 2024, month: 6, day: 3)])
    #expect(kinds("2024年6月30日") == [.date(year: 2024, month: 6, day: 30)])
    #expect(kinds("２０２４－０６－３０") == [.date(year: 2024, month: 6, day: 30)])
    // Spaced out or with other digit counts it is still arithmetic.
    #expect(kinds("2024 - 6 - 30").count == 5)
    #expect(kinds("20240-6-30").count == 5)
    #expect(kinds("2024-06-301").count == 5)
  }

  @Test func impossibleDatesInRulesAreE053() {
    let compiled = Compiler.compile(
      SourceFile(path: "t.rules", text: testRuleset("  指标 甲 10 { 输入 d：日期  得分 = 如果 d ≤ 2023年2月29日 则 10 否则 0 }")))
    #expect(
      compiled.diagnostics.map { "\($0.code.rawValue) \($0.message)" } == ["E053 日期“2023年2月29日”不存在：2023 年 2 月只有 28 天"])
  }

  @Test func datesCompareOnlyWithDatesAndDoNotAddUp() {
    func messages(_ score: String) -> [String] {
      Compiler.compile(
        SourceFile(path: "t.rules", text: testRuleset("  指标 甲 10 { 输入 d：日期  输入 e：日期  得分 = \(score) }"))
      ).diagnostics.map { "\($0.code.rawValue) \($0.message)" }
    }
    #expect(messages("如果 d ≤ 20240630 则 10 否则 0") == ["E012 “≤”两边应是数值或都是日期，这里是日期和数值"])
    #expect(messages("如果 d = e 则 10 否则 0") == [])
    #expect(messages("封顶（保底（e － d，0），10）").first == "E012 “-”两边应是数值（或等长的数值列表），这里是日期和日期")
    #expect(messages("封顶（保底（天数（d），0），10）") == ["E015 “天数”的参数不对（这里是：日期）"])
    #expect(messages("分档 d { ≤ 1 → 10；其他 → 0 }") == ["E012 分档的对象应是数值或选项，这里是日期"])
  }

  @Test func dataDatesScoreDeadlinesAndDays() throws {
    let (sheet, messages) = try Self.score(
      #""全部下达日期": "2024年6月30日", "规定报送日期": "2024-02-28", "实际报送日期": "2024-3-2""#)
    #expect(messages == [])
    #expect(sheet?.rows.map { $0.score?.description } == ["2", "6.5"])  // 3 days late in a leap year
    let explanation = sheet?.rows.last?.explanation.joined(separator: "\n") ?? ""
    #expect(explanation.contains("天数（2024-02-28，2024-03-02）"))
    let (late, _) = try Self.score(
      #""全部下达日期": "2024-07-01", "规定报送日期": "2024-03-02", "实际报送日期": "2024-02-28""#)
    #expect(late?.rows.map { $0.score?.description } == ["0", "8"])  // early is not negative lateness
  }

  @Test func badDataDatesAreRefused() throws {
    let (sheet, messages) = try Self.score(
      #""全部下达日期": "2023-02-29", "规定报送日期": "6月30日", "实际报送日期": 20240630"#)
    #expect(sheet == nil)
    #expect(
      messages == [
        "E053 “全部下达日期”的日期“2023-02-29”不存在：2023 年 2 月只有 28 天",
        "E032 “规定报送日期”是日期，请写成 \"2024-06-30\" 或 \"2024年6月30日\"",
        "E032 “实际报送日期”是日期，请写成 \"2024-06-30\" 或 \"2024年6月30日\"",
      ])
  }

  /// The analysis reads a date as its day number: a deadline splits the days, and 天数 is a
  /// difference that can be negative, so an unguarded one is reported with dates as the example.
  @Test func theAnalysisTreatsDatesAsDayNumbers() {
    func messages(_ body: String) -> [String] {
      Compiler.compile(SourceFile(path: "t.rules", text: testRuleset(body))).diagnostics.map {
        "\($0.code.rawValue) \($0.message)"
      }
    }
    #expect(
      messages("  指标 甲 10 { 输入 d：日期  得分 = 如果 2024-06-30 < 2024年7月1日 则 10 否则 0 }")
        == ["W003 输入“d”没有被任何得分用到", "W005 条件“2024-06-30 < 2024年7月1日”在声明的取值范围内总是成立，“否则”分支永远不会执行"])
    #expect(
      messages("  指标 甲 10 { 输入 d：日期  得分 = 如果 d ≤ 2024-06-30 则 10 否则 如果 d > 2024-06-30 则 5 否则 0 }")
        == ["W005 条件“d > 2024-06-30”在声明的取值范围内总是成立，“否则”分支永远不会执行"])
    let compiled = Compiler.compile(
      SourceFile(path: "t.rules", text: testRuleset("  指标 甲 10 { 输入 d：日期  输入 e：日期  得分 = 封顶（天数（d，e），10） }")))
    #expect(compiled.diagnostics.first?.code == .scoreMayExceed)
    #expect(compiled.diagnostics.first?.notes.first?.contains("低于 0 分") == true)
  }

  @Test func testFilesWriteDatesAsLiterals() throws {
    let text =
      testRuleset(Self.body) + """

        测试 "6月30日下达得 2 分" {
          输入 { 全部下达日期 = 2024年6月30日 }
          期望 资金下达及时性 = 2
        }
        测试 "7月1日下达得 0 分" {
          输入 { 全部下达日期 = 2024-07-01 }
          期望 资金下达及时性 = 0
        }
        测试 "日期写成文字是错的" {
          输入 { 全部下达日期 = "2024-07-01" }
          期望 资金下达及时性 = 0
        }
        """
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: text))
    let plan = try #require(compiled.plan)
    let problems = TestChecker.diagnostics(compiled.syntax.tests, against: plan)
    #expect(problems.map(\.message) == ["“全部下达日期”的值应是日期"])
    #expect(TestRunner.run(compiled.syntax.tests, with: plan).map(\.passed) == [true, true, false])
  }

  @Test func formattingKeepsDatesAsWritten() throws {
    let input = testRuleset("  指标 甲 10 { 输入 d：日期  得分 = 如果 d≤2024-06-30 且 d >2024年1月1日 则 10 否则 0 }")
    guard case .success(let once) = Formatter.format(SourceFile(path: "t.rules", text: input)) else {
      Issue.record("not formatted")
      return
    }
    #expect(once.contains("得分 = 如果 d ≤ 2024-06-30 且 d > 2024年1月1日 则 10 否则 0"))
    guard case .success(let twice) = Formatter.format(SourceFile(path: "t.rules", text: once)) else {
      Issue.record("not formatted twice")
      return
    }
    #expect(twice == once)
  }
}
