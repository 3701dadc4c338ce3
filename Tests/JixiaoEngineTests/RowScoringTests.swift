import Foundation
import Testing

@testable import JixiaoEngine

/// Project table rows scored with a small row-scoring ruleset.
@Suite struct RowScoringTests {
  static let rules = """
    规则集 "项目" {
      满分 20
      精度 2
      指标 产出指标 20 { 逐行 }
      行评分 {
        精度 1
        方法 越多越好 = 如果 实际值 ≥ 目标值 则 分值 否则 实际值 ÷ 目标值 × 分值
        方法 越少越好 = 如果 实际值 ≤ 目标值 则 分值 否则 目标值 ÷ 实际值 × 分值
        方法 等于目标值 = 如果 实际值 > 目标值 则 目标值 ÷ 实际值 × 分值 否则 如果 实际值 < 目标值 则 实际值 ÷ 目标值 × 分值 否则 分值
        方法 定性 = 如果 达成 则 分值 否则 0
        方法 不适用 = 分值
        选用 { ≥ → 越多越好；> → 越多越好；≤ → 越少越好；< → 越少越好；= → 等于目标值；文字 → 定性；不适用 → 不适用 }
        同义 { 满足，满意 }
        未达成 { 不满足 }
        换算 { 1 小时 = 60 分钟 }
      }
    }
    """

  /// Scores rows given as (target, actual, points) plus extra JSON fields; the rest of the 20 points
  /// goes to a 不适用 row.
  static func score(_ rows: [(String, String, String, String)]) throws -> (ScoreSheet?, [Diagnostic]) {
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: rules)).plan)
    var used = ExactDecimal.zero
    var lines: [String] = []
    for (target, actual, points, extra) in rows {
      used = try used.adding(try #require(ExactDecimal(parsing: points)))
      lines.append(
        #"{"level1": "产出指标", "level2": "数量指标", "name": "行\#(lines.count + 1)", "target": "\#(target)", "actual": "\#(actual)", "points": \#(points)\#(extra)}"#
      )
    }
    let rest = try ExactDecimal(20).subtracting(used)
    lines.append(#"{"level1": "产出指标", "level2": "其他", "name": "", "target": "不适用", "points": \#(rest)}"#)
    let data =
      #"{"subject": "单位", "project": {"code": "P1", "name": "测试项目"}, "rows": [\#(lines.joined(separator: ", "))]}"#
    return Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
  }

  static func scores(_ sheet: ScoreSheet?) -> [String] {
    (sheet?.rows ?? []).filter { $0.isLeaf && $0.target != "不适用" }.map { $0.score?.description ?? "—" }
  }

  @Test func methodsChosenByTargetForm() throws {
    let (sheet, diagnostics) = try Self.score([
      ("≥4个", "3个", "4", ""),  // 3 ÷ 4 × 4
      ("≥100人次", "169", "2", ""),  // actual without unit takes the target's
      ("≤2小时", "3小时", "3", ""),  // 2 ÷ 3 × 3
      ("90%", "86.25%", "3", ""),  // 2.875 → 2.9 at one decimal
      ("满足", "满意", "2", ""),  // declared synonyms
      ("满足", "不满足", "2", ""),  // declared failing word
      ("≤2小时", "90分钟", "2", ""),  // declared conversion
    ])
    #expect(diagnostics.filter { $0.severity != .note }.isEmpty, "\(diagnostics.map(\.message))")
    // A unit on one side only is compared as the same unit, and said so.
    #expect(diagnostics.map(\.message) == ["项目“测试项目”第 2 行“行2”：“≥100人次”带单位“人次”，“169”没有写单位，按同一单位比较"])
    #expect(Self.scores(sheet) == ["3", "2", "2", "2.9", "2", "0", "2"])
    #expect(sheet?.total?.description == "15.9")  // 13.9 from the rows, 2 for the 不适用 row
    #expect(sheet?.rows.first { $0.name == "行1" }?.method == "越多越好")
  }

  @Test func overrideNeedsReasonAndIsShownAsSuch() throws {
    let (sheet, diagnostics) = try Self.score([("≥5台", "0台", "1", #", "override": 0.5, "reason": "落实过紧日子要求""#)])
    #expect(diagnostics.isEmpty)
    let row = sheet?.rows.first { $0.name == "行1" }
    #expect(row?.score?.description == "0.5")
    #expect(row?.computed?.description == "0")
    #expect(row?.source == .assessed("落实过紧日子要求"))
    let (_, missing) = try Self.score([("≥5台", "0台", "1", #", "override": 0.5"#)])
    #expect(missing.map(\.code) == [.missingReason])
  }

  @Test func unitMismatchNamesProjectRowAndTexts() throws {
    let (sheet, diagnostics) = try Self.score([("≥5台", "5个", "2", "")])
    #expect(diagnostics.map(\.code) == [.rowValue])
    #expect(diagnostics.first?.message == "项目“测试项目”第 1 行“行1”：年度指标值“≥5台”与实际完成值“5个”的单位不同，无法比较")
    #expect(sheet?.total == nil)
  }

  @Test func unparseableOrUndecidableValues() throws {
    let (_, numeric) = try Self.score([("≥90%", "基本完成", "2", "")])
    #expect(numeric.first?.message == "项目“测试项目”第 1 行“行1”：年度指标值“≥90%”是数值，但实际完成值“基本完成”不是可比较的数值")
    let (_, text) = try Self.score([("满足", "部分满足", "2", "")])
    #expect(text.first?.message == "项目“测试项目”第 1 行“行1”：无法判定实际完成值“部分满足”是否达到年度指标值“满足”")
    // An assessor's score settles an undecidable row; the problem stays visible as a note.
    let (sheet, noted) = try Self.score([("满足", "部分满足", "2", #", "override": 1, "reason": "部分完成""#)])
    #expect(noted.map(\.severity) == [.note])
    #expect(sheet?.total?.description == "19")
  }

  @Test func conversionsChain() throws {
    let rules = Self.rules.replacingFirst("换算 { 1 小时 = 60 分钟 }", with: "换算 { 1 小时 = 60 分钟；1 分钟 = 60 秒 }")
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: rules)).plan)
    let data = #"""
      {"subject": "单位", "rows": [
        {"level1": "产出指标", "level2": "时效", "name": "响应", "target": "≤1小时", "actual": "5400秒", "points": 20}
      ]}
      """#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    // 5400 秒 = 1.5 小时 against ≤ 1 小时: 1 ÷ 1.5 × 20 = 13.3.
    #expect(sheet?.rows.first { $0.name == "响应" }?.score?.description == "13.3")
  }

  @Test func aBadThousandsSeparatorIsNotANumber() throws {
    let (_, diagnostics) = try Self.score([("≥1,0000台", "5台", "2", "")])
    #expect(diagnostics.map(\.code) == [.rowValue])
    let (sheet, clean) = try Self.score([("≥1,000台", "1,200台", "2", "")])
    #expect(clean.isEmpty)
    #expect(Self.scores(sheet) == ["2"])
  }

  @Test func percentTargetNeedsAPercentActual() throws {
    let (sheet, diagnostics) = try Self.score([("≤5%", "3.1", "2", "")])
    #expect(diagnostics.map(\.code) == [.rowValue])
    #expect(
      diagnostics.first?.message
        == "项目“测试项目”第 1 行“行1”：年度指标值“≤5%”是百分数，实际完成值“3.1”却没有写 %，无法确定是否为百分数")
    // No reading is picked for the user: 3.1 may be 3.1% or 310%, and 0.95 may be 95%.
    #expect(diagnostics.first?.notes == ["照表格原文写出 %（如 3.1% 写“3.1%”；表中写的是 0.95 这样的小数的，写成“95%”）"])
    #expect(sheet?.total == nil)
    let (written, clean) = try Self.score([("≤5%", "3.1%", "2", "")])
    #expect(clean.isEmpty)
    #expect(Self.scores(written) == ["2"])
  }

  @Test func aRowWithoutTargetIsAnErrorNotANotApplicableRow() throws {
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: Self.rules)).plan)
    let data = #"""
      {"subject": "单位", "rows": [
        {"level1": "产出指标", "level2": "数量", "name": "甲", "actual": "1个", "points": 15, "taget": "≥1个"},
        {"level1": "产出指标", "level2": "数量", "name": "乙", "target": 1, "actual": "1", "points": 3},
        {"level1": "产出指标", "level2": "数量", "name": "丙", "target": ["≥1个"], "actual": "1个", "points": 2}
      ]}
      """#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(diagnostics.map(\.code) == [.dataShape, .unknownDataField, .dataShape])
    #expect(diagnostics[0].message == "第 1 行缺少年度指标值 \"target\"")
    #expect(diagnostics[1].notes.first == "是否指“target”？")
    #expect(diagnostics[2].message == "第 3 行的年度指标值应是字符串，不能是数组")
    #expect(sheet == nil)
    // A bare number is read as the table's text.
    let (numbers, clean) = try Self.score([("6", "6", "2", "")])
    #expect(clean.isEmpty)
    #expect(Self.scores(numbers) == ["2"])
  }

  @Test func rowFieldsAreCheckedOnceEach() throws {
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: Self.rules)).plan)
    let data = #"""
      {"subject": "单位", "subject": "又一个", "rows": [
        {"level1": "产出指标", "level2": "数量", "target": "≥1个", "actual": "1个", "points": 10},
        {"level1": "产出指标", "level2": "数量", "name": "乙", "target": "≥1个", "actual": "1个", "points": "很多"},
        {"level1": "产出指标", "level2": "数量", "name": 3, "method": 5, "target": "≥1个", "actual": "1个", "points": 5, "points": 6}
      ]}
      """#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(sheet == nil)
    // No “各行分值之和” error on top: the row whose points could not be read is not summed.
    #expect(
      diagnostics.map { "\($0.code.rawValue) \($0.message)" } == [
        "E038 “subject”在同一处写了两次，只能写一次",
        "E038 第 1 行缺少三级指标名称 \"name\"",
        "E032 第 2 行的分值应是数字，这里是“很多”",
        "E038 第 3 行的 \"name\" 应是字符串",
        "E038 第 3 行的 \"method\" 应是字符串",
        "E038 “points”在同一处写了两次，只能写一次",
      ])
  }

  @Test func rowPointsMustAddUpAndGroupsMustExist() throws {
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: Self.rules)).plan)
    let data = #"""
      {"subject": "单位", "rows": [
        {"level1": "产出指标", "level2": "数量", "name": "甲", "target": "≥1个", "actual": "1个", "points": 15},
        {"level1": "产出指", "level2": "数量", "name": "乙", "target": "≥1个", "actual": "1个", "points": 5}
      ]}
      """#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(sheet == nil)
    // In source order: the sum is reported at the group's first row.
    #expect(diagnostics.map(\.code) == [.weightMismatch, .unknownIndicator])
    #expect(diagnostics.first?.message == "“产出指标”各行分值之和为 15，应为 20")
    #expect(diagnostics.last?.notes.first == "是否指“产出指标”？")
  }

  @Test func explicitMethodOverridesTheForm() throws {
    let (sheet, _) = try Self.score([("100%", "120%", "2", #", "method": "越多越好""#)])
    #expect(Self.scores(sheet) == ["2"])
    let (equal, _) = try Self.score([("=100%", "120%", "2", "")])
    #expect(Self.scores(equal) == ["1.7"])
    // A bare target is a floor: 120% against 100% loses nothing.
    let (bare, _) = try Self.score([("100%", "120%", "2", "")])
    #expect(Self.scores(bare) == ["2"])
  }

  @Test(arguments: [
    ("方法 不适用 = 分值", "方法 不适用 = 分值\n    方法 不适用 = 0", "E011 评分方法“不适用”重名"),
    ("方法 不适用 = 分值", "方法 不适用 = 达成", "E012 评分方法“不适用”的结果应是数值，这里是是否值"),
    ("；不适用 → 不适用 }", "；不适用 → 不适用；文字 → 定性 }", "E011 “文字”形式的年度指标值选用了两次"),
    ("；= → 等于目标值", "", "E017 “选用”没有为这些年度指标值形式指定评分方法：="),
    ("换算 { 1 小时 = 60 分钟 }", "换算 { 1 小时 = 0 分钟 }", "E021 换算的两边都应大于 0"),
    ("换算 { 1 小时 = 60 分钟 }", "换算 { 1 小时 = 60 分钟；1 小时 = 30 分钟 }", "E011 “小时”与“分钟”的换算写了两次"),
    ("换算 { 1 小时 = 60 分钟 }", "换算 { 1 小时 = 60 小时 }", "E021 换算的两边是同一个单位“小时”"),
    ("换算 { 1 小时 = 60 分钟 }", "换算 { 1 小时内 = 60 分钟 }", "W014 换算中的“小时内”不是表格中数值会带的单位，这条换算永远用不上"),
    ("；不适用 → 不适用 }", "；不适用 → 不适用；单值 → ≥；单值 → ≤ }", "E011 “单值”形式的年度指标值选用了两次"),
    ("；不适用 → 不适用 }", "；不适用 → 不适用；成本指标 单值 金额 → 越小越好 }", "E010 没有名为“越小越好”的评分方法"),
    ("方法 不适用 = 分值", "方法 不适用 = 分值\n    方法 评定 评审 { 完成 → 120% }", "E021 评审档次“完成”的得分比例应在 0% 到 100% 之间，且下限不大于上限"),
    ("方法 不适用 = 分值", "方法 不适用 = 分值\n    方法 评定 评审 { 完成 → 100%；完成 → [0%, 50%) }", "E011 评审档次“完成”写了两次"),
    ("指标 产出指标 20 { 逐行 }", "指标 产出指标 20 { 逐行 }\n  表头 { 得份 → \"分数\" }", "E010 评分表没有名为“得份”的列"),
  ])
  func rowScoringMistakes(replacing: String, with replacement: String, expected: String) {
    let text = Self.rules.replacingFirst(replacing, with: replacement)
    #expect(text != Self.rules)
    let diagnostics = Compiler.compile(SourceFile(path: "p.rules", text: text)).diagnostics
    #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == [expected])
  }

  /// 选用 by 二级指标 and unit: the most specific entry wins; a bare target reads as ≥ unless chosen otherwise.
  @Test func methodByIndicatorAndUnit() throws {
    let rules = Self.rules.replacingFirst(
      "不适用 → 不适用 }", with: "不适用 → 不适用；成本指标 单值 金额 → ≤；成本指标 单值 → ≥；时效指标 单值 百分比 → 越少越好 }")
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: rules)).plan)
    let rows = [
      ("成本指标", "50万元", "60万元", 6),  // a ceiling: 50 ÷ 60 × 6
      ("成本指标", "90%", "80%", 4),  // a rate under 成本指标 stays a floor: 80 ÷ 90 × 4
      ("时效指标", "2", "3", 5),  // bare without a money unit: a floor, full marks
      ("数量指标", "50万元", "60万元", 5),  // bare money elsewhere: a floor
      ("时效指标", "5%", "4%", 0),  // a bare rate under 时效指标 takes the method chosen for it
    ].enumerated().map { index, row in
      #"{"level1": "产出指标", "level2": "\#(row.0)", "name": "行\#(index + 1)", "target": "\#(row.1)", "actual": "\#(row.2)", "points": \#(row.3)}"#
    }
    let data = #"{"subject": "单位", "rows": [\#(rows.joined(separator: ", "))]}"#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(Self.scores(sheet) == ["5", "3.6", "5", "5", "0"])
    #expect(
      sheet?.rows.filter(\.isLeaf).map { $0.method ?? "" } == ["越少越好", "越多越好", "越多越好", "越多越好", "越少越好"])
  }

  @Test func blankRowsAreUnfinishedUnlessTheRulesSayOtherwise() throws {
    let (sheet, diagnostics) = try Self.score([("", "", "5", "")])
    #expect(diagnostics.map(\.code) == [.blankRow])
    #expect(sheet?.total == nil)
    let rules = Self.rules.replacingFirst("不适用 → 不适用 }", with: "不适用 → 不适用；空白 → 不适用 }")
    let plan = try #require(Compiler.compile(SourceFile(path: "p.rules", text: rules)).plan)
    let data =
      #"{"subject": "单位", "rows": [{"level1": "产出指标", "level2": "其他", "name": "行1", "target": "", "actual": "", "points": 20}]}"#
    let (chosen, none) = Compiler.score(SourceFile(path: "p.json", text: data), with: plan)
    #expect(none.isEmpty)
    #expect(chosen?.total?.description == "20")
  }

  @Test func notesAreShownAndAreNotWarnings() throws {
    let (sheet, diagnostics) = try Self.score([("≥4个", "4个", "4", #", "note": "实际完成值据竣工报告抄录""#)])
    #expect(diagnostics.isEmpty)
    #expect(sheet?.rows.first { $0.name == "行1" }?.reasons == ["备注：实际完成值据竣工报告抄录"])
  }

  @Test func rowScoringIsChecked() {
    let broken = Self.rules.replacingFirst("文字 → 定性", with: "文字 → 定形")
    let diagnostics = Compiler.compile(SourceFile(path: "p.rules", text: broken)).diagnostics
    #expect(diagnostics.map(\.code) == [.undefinedName])
    #expect(diagnostics.first?.message == "没有名为“定形”的评分方法")
    #expect(diagnostics.first?.notes == ["是否指“定性”？"])
    let oneWord = Self.rules.replacingFirst("同义 { 满足，满意 }", with: "同义 { 满足、满意 }")
    let synonyms = Compiler.compile(SourceFile(path: "p.rules", text: oneWord)).diagnostics
    #expect(synonyms.map(\.message) == ["同义词组 { 满足、满意 } 只有一个词，起不到同义的作用"])
    #expect(synonyms.first?.span.start.line == 13)  // at the 同义, not at 行评分
    // A syntax error inside 行评分 is reported once, not again as a missing 行评分.
    let unfinished = Self.rules.replacingFirst("则 分值 否则 0", with: "则 分值 否则")
    let syntaxOnly = Compiler.compile(SourceFile(path: "p.rules", text: unfinished)).diagnostics
    #expect(syntaxOnly.map(\.code) == [.syntax])
    let noScoring = "规则集 \"x\" { 满分 1 指标 甲 1 { 逐行 } }"
    #expect(Compiler.compile(SourceFile(path: "q.rules", text: noScoring)).diagnostics.map(\.code) == [.missingScore])
  }
}

extension String {
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
