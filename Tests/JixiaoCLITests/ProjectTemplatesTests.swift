import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// A template whose projects weigh their own blocks and whose qualitative rows an assessor judges
/// (Rules/hubei-project-template.rules), on a table made up for the tests.
@Suite struct ProjectTemplatesTests {
  static let rules = Repository.root + "Rules/hubei-project-template.rules"
  static let table = Repository.root + "Tests/Fixtures/project-tables/hubei-example.json"

  static func plan() throws -> EvaluationPlan {
    let text = try #require(FileManager.default.contents(atPath: rules).flatMap { String(data: $0, encoding: .utf8) })
    return try #require(Compiler.compile(SourceFile(path: "h.rules", text: text)).plan)
  }

  /// 19 for 95% execution; 产出 20 + 10 + 9.5 + 10 + 10 = 59.5 of the 60 the table gives it;
  /// 效益 7 (judged 基本完成) + 10 = 17 of 20; 满意度 not used.
  @Test func scoresTheTableWithItsOwnWeights() throws {
    let terminal = Terminal()
    let status = Commands.run(["eval", Self.rules, Self.table], terminal)
    #expect(status == 0)
    #expect(terminal.standardError == "")
    let sheet = terminal.standardOutput
    CommandsTests.expectLines(
      sheet,
      [
        "各一级指标得分：预算执行率 19/20，产出指标 59.5/60，效益指标 17/20，满意度指标 0/0",
        "综合评分：95.5（满分 100）　评分等级：优",
        "项目：高标准农田建设项目",
        "    评审评定为“基本完成”：产量增幅低于预期",
        "    备注：实际完成值据竣工报告，未附验收单",
      ])
    // The template's own column names, and no empty brackets for a project without a code.
    #expect(sheet.contains("年度指标值（目标）") && sheet.contains("全年实际完成值") && sheet.contains("偏差原因及说明"))
    #expect(!sheet.contains("（）"))
  }

  static func score(_ text: String) throws -> (ScoreSheet?, [Diagnostic]) {
    Compiler.score(SourceFile(path: "h.json", text: text), with: try plan())
  }

  static func table(weights: String, rows: [String]) -> String {
    #"{"subject": "单位", "project": {"name": "项目"}, "inputs": {"全年预算数": 100, "全年执行数": 100}, "weights": \#(weights), "rows": [\#(rows.joined(separator: ", "))]}"#
  }

  static let output =
    #"{"level1": "产出指标", "level2": "数量指标", "name": "甲", "target": "≥4个", "actual": "4个", "points": 50}"#
  static let effect =
    #"{"level1": "效益指标", "level2": "社会效益指标", "name": "乙", "target": "有效", "actual": "有效", "points": 30}"#

  @Test func weightsMustAddUpToTheTotal() throws {
    // 效益指标's rows carry 30 of the 40 the table gives it.
    let (sheet, diagnostics) = try Self.score(
      Self.table(weights: #"{"产出指标": 50, "效益指标": 40}"#, rows: [Self.output, Self.effect]))
    #expect(diagnostics.map(\.message) == ["“效益指标”各行分值之和为 30，应为 40"])
    #expect(sheet == nil)
    // 20 + 50 + 40 is not 100, with the same message as fixed weights.
    let larger = Self.effect.replacingOccurrences(of: "\"points\": 30", with: "\"points\": 40")
    let (_, total) = try Self.score(Self.table(weights: #"{"产出指标": 50, "效益指标": 40}"#, rows: [Self.output, larger]))
    #expect(total.map(\.message) == ["满分为 100，但下级指标分值之和为 110"])
    #expect(total.first?.notes.first?.hasPrefix("预算执行率 20 + 产出指标 50 + 效益指标 40 + 满意度指标 0 = 110") == true)
    let (good, none) = try Self.score(
      Self.table(weights: #"{"产出指标": 50, "效益指标": 30}"#, rows: [Self.output, Self.effect]))
    #expect(none.isEmpty)
    #expect(good?.total?.description == "100")
  }

  @Test func onlyTableWeightedBlocksTakeWeights() throws {
    let (_, diagnostics) = try Self.score(Self.table(weights: #"{"预算执行率": 20}"#, rows: [Self.output, Self.effect]))
    #expect(diagnostics.first?.code == .unknownIndicator)
    #expect(diagnostics.first?.notes.last == "分值由表给出的指标：产出指标、效益指标、满意度指标")
    let fixed = "规则集 \"测试\" { 满分 10 指标 乙 10 { 得分 = 1 } 指标 甲 表定 { 得分 = 1 } }"
    let checked = Compiler.compile(SourceFile(path: "t.rules", text: fixed)).diagnostics
    #expect(checked.map { $0.message }.contains("只有逐行指标的分值可以由表给出（表定），“甲”不是逐行指标"))
  }

  @Test func judgedRowsStayInTheirBand() throws {
    func judged(_ extra: String) -> String {
      #"{"level1": "效益指标", "level2": "社会效益指标", "name": "乙", "target": "明显提升", "actual": "有所提升", "points": 30\#(extra)}"#
    }
    let cases: [(String, [DiagnosticCode], String?)] = [
      (#", "judgment": "基本完成", "score": 21, "reason": "增幅低于预期""#, [], "21"),
      (#", "judgment": "基本完成", "score": 27, "reason": "增幅低于预期""#, [.valueOutOfRange], nil),
      (#", "judgment": "基本完成", "score": 21"#, [.missingReason], "21"),
      (#", "judgment": "大体完成", "score": 21, "reason": "x""#, [.rowValue], nil),
      (#", "judgment": "完成", "reason": "x""#, [.rowValue], nil),  // a range needs the score
      ("", [.rowValue], nil),
      (#", "judgment": "基本完成", "score": 21, "override": 28, "reason": "x""#, [.valueOutOfRange], nil),
    ]
    for (extra, codes, score) in cases {
      let (sheet, diagnostics) = try Self.score(
        Self.table(weights: #"{"产出指标": 50, "效益指标": 30}"#, rows: [Self.output, judged(extra)]))
      #expect(diagnostics.map(\.code) == codes, "\(extra)")
      #expect(sheet?.rows.first { $0.name == "乙" }?.score?.description == score, "\(extra)")
    }
    let (_, unjudged) = try Self.score(
      Self.table(weights: #"{"产出指标": 50, "效益指标": 30}"#, rows: [Self.output, judged("")]))
    // The hint is the judgment, not synonyms.
    #expect(unjudged.first?.notes == [#"在这一行写 "judgment"（完成、基本完成、未完成 之一）、档内的评审得分 "score" 和理由 "reason""#])
  }

  @Test func pointsThatDoNotAddUpGiveNoTotal() throws {
    // No "weights": the blocks take their rows' sums, 50 + 40, and with 20 that is 110 of 100.
    let larger = Self.effect.replacingOccurrences(of: "\"points\": 30", with: "\"points\": 40")
    let text =
      #"{"subject": "单位", "project": {"name": "项目"}, "inputs": {"全年预算数": 100, "全年执行数": 100}, "rows": [\#(Self.output), \#(larger)]}"#
    let (sheet, diagnostics) = try Self.score(text)
    #expect(diagnostics.map(\.code) == [.weightMismatch])
    #expect(sheet?.total == nil)
  }

  @Test func aJudgmentOnARowThatIsNotJudgedIsSaidToDoNothing() throws {
    let counted =
      #"{"level1": "产出指标", "level2": "数量指标", "name": "甲", "target": "≥4个", "actual": "4个", "points": 50, "judgment": "基本完成", "score": 30}"#
    let (sheet, diagnostics) = try Self.score(
      Self.table(weights: #"{"产出指标": 50, "效益指标": 30}"#, rows: [counted, Self.effect]))
    #expect(diagnostics.map(\.code) == [.unknownDataField])
    #expect(sheet?.rows.first { $0.name == "甲" }?.score?.description == "50")
  }
}

/// A revision scored in batch, and the missing-input hint that names only what can be given.
@Suite struct ReviewFindingsTests {
  @Test func aRevisionScoresFromATable() throws {
    let folder = try CommandsTests.folder([
      "base.rules": "规则集 \"基础\" {\n  满分 4\n  指标 乙 4 {\n    输入 数：数量 \"数\"\n    得分 = 保底（4 － 1 × 数，0）\n  }\n}\n",
      "rev.rules": "基于 \"base.rules\"\n规则集 \"修订\" { 指标 乙 { 得分 = 保底（4 － 2 × 数，0） } }\n",
      "t.csv": "被评价单位,数\n甲单位,1\n",
    ])
    let result = CommandsTests.run(["eval", folder + "rev.rules", folder + "t.csv", "--format", "json"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.contains("\"total\": 2"))
  }

  @Test func theMissingInputHintNamesOnlyInputs() throws {
    let folder = try CommandsTests.folder(["p.json": #"{"subject": "单位", "inputs": {}, "rows": []}"#])
    let result = CommandsTests.run([
      "check", folder + "p.json", "--rules", Repository.root + "Rules/shenzhen-project-2023.rules",
    ])
    #expect(result.err.contains("缺少输入“全年预算数”"))
    #expect(!result.err.contains("也可以直接填写 “执行率”"))
  }
}
