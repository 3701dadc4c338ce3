import Foundation
import Testing

@testable import JixiaoEngine

/// Scoring the real 2019 framework with the Dapeng 2021 data, changed one figure at a time:
/// band edges, zero denominators, deductions, missing data and reasons.
@Suite struct ScoringTests {
  static let plan: EvaluationPlan? = {
    guard let text = try? readText(Repository.rules + "shenzhen-department-2019.rules") else { return nil }
    return Compiler.compile(SourceFile(path: "2019.rules", text: text)).plan
  }()

  static let dapeng: JSONNode? = {
    guard let text = try? readText(Repository.root + "Examples/dapeng-2021.json") else { return nil }
    return try? JSON.parse(text)
  }()

  /// The Dapeng data with some inputs replaced (raw JSON text) or removed (nil), scored.
  static func score(
    _ changes: [String: String?] = [:], useReported: [String: String]? = nil, extra: String = ""
  ) throws -> (sheet: ScoreSheet?, diagnostics: [Diagnostic]) {
    let plan = try #require(Self.plan)
    let base = try #require(Self.dapeng)
    var inputs: [String] = []
    var seen = Set<String>()
    for member in base["inputs"]?.members ?? [] {
      seen.insert(member.key)
      let text: String?? = changes[member.key]
      switch text {
      case .some(.none): continue
      case .some(.some(let replacement)): inputs.append("\(JSONOutput.quoted(member.key)): \(replacement)")
      case .none: inputs.append("\(JSONOutput.quoted(member.key)): \(render(member.value))")
      }
    }
    for (name, value) in changes.sorted(by: { $0.key < $1.key }) where !seen.contains(name) {
      if let value { inputs.append("\(JSONOutput.quoted(name)): \(value)") }
    }
    let taken = (useReported ?? ["编外人员控制率": "无编外人数", "群众信访办理情况": "无信访件数"])
      .map { "\(JSONOutput.quoted($0.key)): \(JSONOutput.quoted($0.value))" }
    let reported = base["reported"].map(render) ?? "{}"
    let text = """
      {"subject": "测试单位", "year": 2021, \(extra)
       "inputs": {\(inputs.joined(separator: ", "))},
       "useReported": {\(taken.joined(separator: ", "))},
       "reported": \(reported)}
      """
    return Compiler.score(SourceFile(path: "data.json", text: text), with: plan, explain: true)
  }

  static func render(_ node: JSONNode) -> String {
    switch node.value {
    case .object(let members):
      "{" + members.map { JSONOutput.quoted($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}"
    case .array(let elements): "[" + elements.map(render).joined(separator: ", ") + "]"
    case .string(let text): JSONOutput.quoted(text)
    case .number(let text): text
    case .bool(let truth): truth ? "true" : "false"
    case .null: "null"
    }
  }

  static func scoreOf(_ indicator: String, _ changes: [String: String?]) throws -> String? {
    let (sheet, _) = try score(changes)
    return sheet?.rows.first { $0.name == indicator }?.score?.description
  }

  @Test(arguments: [
    ("\"95%\"", "6"), ("\"94.99%\"", "4"), ("\"90%\"", "4"), ("\"89.99%\"", "2"), ("\"80%\"", "2"),
    ("\"79.99%\"", "1"), ("\"0%\"", "1"), ("\"100%\"", "6"),
  ])
  func satisfactionBandEdges(value: String, expected: String) throws {
    #expect(try Self.scoreOf("公众或服务对象满意度", ["公众满意度": value]) == expected)
  }

  @Test(arguments: [
    ("19", "1", "0.5"),  // 1 of 20 = 5%: both ends of 5%–10% are included
    ("18", "2", "0.5"),  // 10%
    ("26", "3", "0"),  // 10.34%
    ("20", "1", "1"),  // 4.76%
    ("0", "0", "1"),  // nobody at all: no 0 ÷ 0
  ])
  func outsourcedStaffBands(staff: String, outsourced: String, expected: String) throws {
    let (sheet, diagnostics) = try Self.score(
      ["在编人数": staff, "核定编制数": "30", "编外人员数": outsourced], useReported: ["群众信访办理情况": "无信访件数"])
    #expect(!diagnostics.hasErrors)
    #expect(sheet?.rows.first { $0.name == "编外人员控制率" }?.score?.description == expected)
  }

  @Test(arguments: [
    ("\"10%\"", "3"), ("\"10.5%\"", "2.95"), ("\"20%\"", "2"), ("\"19.99%\"", "2"), ("\"38.12%\"", "2"),
    ("\"0%\"", "3"),
  ])
  func budgetAdjustmentDeduction(ratio: String, expected: String) throws {
    #expect(try Self.scoreOf("财务合规性", ["资金调整调剂比例": ratio]) == expected)
  }

  @Test func budgetAdjustmentComputedFromAmounts() throws {
    // 7,621.05 against 5,281.87: 30.69% adjusted, so the adjustment part is 0 (Dapeng reported 2).
    #expect(try Self.scoreOf("财务合规性", [:]) == "2")
    #expect(try Self.scoreOf("财务合规性", ["调整后预算数": "\"5,700\"", "年初预算数": "\"5,187\""]) == "3")
  }

  @Test(arguments: [
    ("\"90%\"", "1"), ("\"89.99%\"", "0.7"), ("\"75%\"", "0.7"), ("\"74.99%\"", "0.4"), ("\"60%\"", "0.4"),
    ("\"59.99%\"", "0"),
  ])
  func fixedAssetBands(rate: String, expected: String) throws {
    #expect(try Self.scoreOf("固定资产利用率", ["固定资产利用率": rate]) == expected)
  }

  @Test func fixedAssetRateFromAmountsWhenNotGiven() throws {
    #expect(try Self.scoreOf("固定资产利用率", ["固定资产利用率": nil, "在用固定资产总额": "80", "固定资产总额": "100"]) == "0.7")
  }

  @Test func zeroBudgetForThreePublicExpenses() throws {
    // Budget 0, spending 0: controlled (3). Budget 0, spending 1: overspent (0). Daily part stays 2.
    #expect(try Self.scoreOf("公用经费控制率", ["三公经费预算数": "0", "三公经费实际支出数": "0"]) == "5")
    #expect(try Self.scoreOf("公用经费控制率", ["三公经费预算数": "0", "三公经费实际支出数": "1"]) == "2")
    #expect(try Self.scoreOf("公用经费控制率", ["三公经费预算数": "10", "三公经费实际支出数": "10"]) == "4")
    #expect(try Self.scoreOf("公用经费控制率", ["三公经费预算数": "10", "三公经费实际支出数": "10.01"]) == "2")
  }

  @Test func quarterlyExecutionFromRatiosOrProgress() throws {
    // Futian 2020 gives the ratios themselves: 0.8358 + 0.8423 + 0.9867 + 0.9721 + 0.909225 × 2 = 5.45735.
    let ratios = "[\"83.58%\", \"84.23%\", \"98.67%\", \"97.21%\"]"
    #expect(try Self.scoreOf("预算执行率", ["季度支出进度": nil, "季度执行率": ratios]) == "5.46")
    // Luohu 2022's spending progress: each quarter capped at 1, the annual part at 2.
    let progress = "[\"21.04%\", \"73.8%\", \"85.58%\", \"97.91%\"]"
    #expect(try Self.scoreOf("预算执行率", ["季度支出进度": progress]) == "5.82")
  }

  @Test func proportionalAndPerItemDeductions() throws {
    #expect(try Self.scoreOf("项目完成及时性", ["计划完成项目数": "8", "已完成项目数": "6"]) == "4.5")
    #expect(try Self.scoreOf("项目完成及时性", ["计划完成项目数": "0", "已完成项目数": "0"]) == "6")
    #expect(try Self.scoreOf("重点工作完成情况", ["未完成重点工作数": "1"]) == "4")
    #expect(try Self.scoreOf("重点工作完成情况", ["未完成重点工作数": "3"]) == "0")
    #expect(try Self.scoreOf("预算编制规范性", ["预算编制不符合项数": "7"]) == "0")
    #expect(try Self.scoreOf("政府采购执行情况", ["实际政府采购金额": "\"700\""]) == "1")
    #expect(try Self.scoreOf("政府采购执行情况", ["实际政府采购金额": "\"317.65\""]) == "1.5")
  }

  @Test func secretUnitGetsFullDisclosureMarks() throws {
    #expect(try Self.scoreOf("预决算信息公开", ["涉密单位": "true", "部门预算公开": nil, "部门决算公开": nil]) == "3")
    #expect(try Self.scoreOf("预决算信息公开", ["部门决算公开": "\"公开但有缺陷\""]) == "2.5")
  }

  @Test func evidenceMissingZeroesTheSecondSupervisionCriterion() throws {
    #expect(try Self.scoreOf("项目监管", ["能提供检查监督证明材料": "false"]) == "1")
    #expect(try Self.scoreOf("项目监管", ["主管专项资金评价为差": "true"]) == "1")
  }

  @Test func petitionsWithNoCasesNeedNoRates() throws {
    let (sheet, diagnostics) = try Self.score(["信访件数": "0"], useReported: ["编外人员控制率": "无编外人数"])
    #expect(!diagnostics.hasErrors)
    #expect(sheet?.rows.first { $0.name == "群众信访办理情况" }?.score?.description == "3")
    let (late, _) = try Self.score(
      ["信访件数": "4", "信访办理回复件数": "4", "信访及时回复件数": "3"], useReported: ["编外人员控制率": "无编外人数"])
    #expect(late?.rows.first { $0.name == "群众信访办理情况" }?.score?.description == "2")
  }

  @Test func allMissingInputsAreListedAtOnce() throws {
    let (sheet, diagnostics) = try Self.score(["公众满意度": nil, "核定编制数": nil, "季度支出进度": nil])
    let missing = diagnostics.filter { $0.code == .missingInput }.map(\.message)
    #expect(
      missing == [
        "缺少输入“核定编制数”，指标“财政供养人员控制率”需要它", "缺少输入“季度累计支出”，指标“预算执行率”需要它",
        "缺少输入“公众满意度”，指标“公众或服务对象满意度”需要它",
      ])
    // The figures a 缺省 chain computes may be given instead of the one at its root.
    #expect(
      diagnostics.first { $0.message.contains("季度累计支出") }?.notes.contains(
        "也可以直接填写 “季度支出进度”或“季度执行率”，它们的缺省公式才用到“季度累计支出”") == true)
    #expect(sheet?.total == nil)
    #expect(sheet?.rows.first { $0.name == "预算执行率" }?.source == .unavailable)
    #expect(sheet?.rows.first { $0.name == "项目完成及时性" }?.score?.description == "5.76")
  }

  @Test func assessmentBelowBestNeedsReason() throws {
    let (_, diagnostics) = try Self.score(["效果性评分": "17", "资产处置规范收入上缴": "false"])
    let reasons = diagnostics.filter { $0.code == .missingReason }
    #expect(reasons.count == 2)
    #expect(reasons.first?.message == "评审项“资产处置规范收入上缴”未得满分（填写的是 否，满分为 是），必须写明理由")
    #expect(reasons.first?.span.file == "data.json")
  }

  @Test func assessmentOutOfRange() throws {
    let (_, diagnostics) = try Self.score(["效果性评分": "{\"value\": 21, \"reason\": \"超出\"}"])
    #expect(diagnostics.map(\.code) == [.valueOutOfRange])
    #expect(diagnostics.first?.message == "“效果性评分”的值 21 超出范围 0..20")
  }

  @Test func computedScoreIsNeverReplaced() throws {
    let (sheet, diagnostics) = try Self.score(
      ["编外人员数": "0"], useReported: ["编外人员控制率": "误用", "群众信访办理情况": "无信访件数"])
    #expect(diagnostics.map(\.code) == [.reportedScoreIgnored])
    #expect(diagnostics.first?.severity == .warning)
    #expect(sheet?.rows.first { $0.name == "编外人员控制率" }?.source == .computed)
  }

  @Test func badValuesAreDiagnosedWithSuggestions() throws {
    let (sheet, diagnostics) = try Self.score([
      "公众满意度": "99.91", "部门预算公开": "\"按规定公布\"", "在编人数": "22.5", "公众满意率": "\"99%\"",
    ])
    #expect(sheet == nil)
    let messages = diagnostics.map { "\($0.code.rawValue) \($0.message)" }
    #expect(messages.contains("E032 “公众满意度”是百分比，请写成带 % 的字符串，如 \"93.8%\""))
    #expect(messages.contains("E032 “部门预算公开”的值应是规定的选项之一"))
    #expect(messages.contains("E033 “在编人数”是数量，应是不小于 0 的整数，这里是 22.5"))
    #expect(messages.contains("E031 规则“深圳市部门整体支出绩效评价（2019年修订）”中没有名为“公众满意率”的输入"))
    let suggestion = diagnostics.first { $0.code == .unknownInput }?.notes
    #expect(suggestion == ["是否指“公众满意度”？"])
    #expect(diagnostics.first { $0.message.contains("部门预算公开") }?.notes.first == "是否指“按规定公开”？")
  }

  @Test func longIndicatorNameMissingAPhraseGetsASuggestion() throws {
    // The 2022 framework's name for the 2019 indicator “…生态效益及可持续影响等”.
    let (_, diagnostics) = try Self.score(
      useReported: ["社会效益、经济效益、生态效益等": "报告未给出评价依据", "编外人员控制率": "无编外人数"])
    let unknown = diagnostics.filter { $0.code == .unknownIndicator }
    #expect(unknown.map(\.message) == ["规则“深圳市部门整体支出绩效评价（2019年修订）”中没有名为“社会效益、经济效益、生态效益等”的指标"])
    #expect(unknown.first?.notes == ["是否指“社会效益、经济效益、生态效益及可持续影响等”？"])
  }

  @Test func suggestionsNeedSomethingInCommon() {
    let names = ["社会效益、经济效益、生态效益等", "设", "满意度", "预算执行率"]
    #expect(NameSuggestion.closest(to: "社会效益、经济效益、生态效益及可持续发展影响等", among: names) == "社会效益、经济效益、生态效益等")
    #expect(NameSuggestion.closest(to: "预算执行律", among: names) == "预算执行率")
    // One character against another is no slip: x is not 设.
    #expect(NameSuggestion.closest(to: "x", among: names) == nil)
    // A phrase added to a short name, or most of a name replaced, is another name.
    #expect(NameSuggestion.closest(to: "公众满意度", among: names) == nil)
    #expect(NameSuggestion.closest(to: "预算编制规范性", among: names) == nil)
  }

  @Test func moneyInAnotherUnitIsConvertedExactly() throws {
    // 635.3 万元 each in the report; the same figures in 元 and 亿元 score the same.
    let (sheet, diagnostics) = try Self.score(["实际政府采购金额": #""6,353,000元""#, "政府采购计划金额": #""0.06353亿元""#])
    #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
    #expect(sheet?.total?.description == "93.76")
    let (spaced, spacedDiagnostics) = try Self.score(["实际政府采购金额": #""635.3 万元""#, "政府采购计划金额": #""6353 千元""#])
    #expect(spacedDiagnostics.filter { $0.severity == .error }.isEmpty, "\(spacedDiagnostics.map(\.message))")
    #expect(spaced?.total?.description == "93.76")
    let (_, unit) = try Self.score(["实际政府采购金额": #""635.3人""#])
    #expect(unit.map(\.message).contains("“实际政府采购金额”的值“635.3人”不是正确的数字"))
  }

  @Test func numbersWrittenWithAShortUnitOrASlipGetAHint() throws {
    let (_, diagnostics) = try Self.score([
      "实际政府采购金额": #""635.3 万""#, "政府采购计划金额": #""635、3""#, "在编人数": #""19x1""#,
      "年初预算数": #""3，162.51""#,
    ])
    let hints = Dictionary(
      diagnostics.filter { $0.code == .badValue }.map { ($0.message, $0.notes.first ?? "") },
      uniquingKeysWith: { a, _ in a })
    #expect(hints["“实际政府采购金额”的值“635.3 万”不是正确的数字"] == "是否指“635.3 万元”？金额单位要写全：万元、亿元")
    #expect(hints["“政府采购计划金额”的值“635、3”不是正确的数字"] == "顿号“、”不能用在数中：千位分隔符请用逗号（18,779.46），一项只填一个数")
    #expect(hints["“在编人数”的值“19x1”不是正确的数字"] == "这里只能填一个数，不能写算式：请填写算出的结果")
    // A full-width comma in a data value is read as the thousands separator it is.
    #expect(!diagnostics.contains { $0.message.contains("年初预算数") })
  }

  @Test func misspeltFieldsWarnWithASuggestion() throws {
    let (sheet, diagnostics) = try Self.score(
      [:], extra: #""reportd": {}, "project": {"code": "1", "name": "甲", "fundingUnt": "乙"},"#)
    #expect(sheet?.total?.description == "93.76")
    let warnings = diagnostics.filter { $0.code == .unknownDataField }
    #expect(warnings.map(\.message) == ["未知字段“reportd”，已忽略", "未知字段“fundingUnt”，已忽略"])
    #expect(warnings.map { $0.notes.first } == ["是否指“reported”？", "是否指“fundingUnit”？"])
    #expect(warnings.allSatisfy { $0.severity == .warning })
  }

  @Test func numbersAreReadExactlyOrNotAtAll() throws {
    let (_, diagnostics) = try Self.score([
      "公众满意度": #""9 3.8%""#, "政府采购计划金额": #""1.2349999999999999999""#, "实际政府采购金额": #""1,200 美元""#,
    ])
    let messages = diagnostics.filter { $0.code == .badValue }.map(\.message)
    #expect(messages.contains("“公众满意度”的值“9 3.8%”不是正确的数字"))
    #expect(messages.contains("“政府采购计划金额”的值“1.2349999999999999999”不是正确的数字"))
    #expect(messages.contains("“实际政府采购金额”的值“1,200 美元”不是正确的数字"))
  }

  @Test func dataSyntaxErrorHasPosition() throws {
    let plan = try #require(Self.plan)
    let (sheet, diagnostics) = Compiler.score(
      SourceFile(path: "d.json", text: "{\n  \"subject\": \"x\",\n}"), with: plan)
    #expect(sheet == nil)
    #expect(diagnostics.first?.code == .dataSyntax)
    #expect(diagnostics.first?.span.start.line == 2)
  }

  @Test func reportWhoseTotalIsNotItsOwnSumIsExplainedNotCalledConsistent() throws {
    let plan = try #require(Self.plan)
    let text = try readText(Repository.root + "Examples/dapeng-2021.json")
      .replacingOccurrences(of: #""total": 93.76,"#, with: #""total": 95, "grade": "良","#)
    let (sheet, _) = Compiler.score(SourceFile(path: "d.json", text: text), with: plan)
    let lines = SheetRenderer.summary(try #require(sheet), explain: false, bullet: "- ")
    #expect(lines.contains("填报综合评分：95　填报等级：良　计算与填报相差 -1.24"))
    #expect(lines.contains("注意：按规则评分等级为“优”，报告填报为“良”"))
    #expect(lines.contains("报告自身的数字前后不一致（1 处）："))
    #expect(lines.contains("- 报告各项得分之和为 93.76，与报告的综合评分 95 不一致"))
    #expect(lines.contains("各项计算得分与填报得分一致；综合评分不同，是因为报告的综合评分不等于其各项得分之和。"))
    #expect(!lines.contains("计算得分与填报得分一致。"))
  }

  @Test func reportedScoreOutsideItsWeightIsAnError() throws {
    let plan = try #require(Self.plan)
    let text = try readText(Repository.root + "Examples/dapeng-2021.json")
      .replacingOccurrences(of: #""编外人员控制率": 1"#, with: #""编外人员控制率": 1.5"#)
    #expect(text.contains(#""编外人员控制率": 1.5"#))
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "d.json", text: text), with: plan)
    #expect(sheet == nil)
    #expect(diagnostics.map { "\($0.code.rawValue) \($0.message)" } == ["E033 指标“编外人员控制率”的填报得分 1.5 超出它的分值 0 到 1"])
  }

  @Test func reportedTotalDifferenceAndLeafSum() throws {
    let (sheet, _) = try Self.score(["公众满意度": "\"93%\""])
    #expect(sheet?.total?.description == "91.76")
    #expect(sheet?.reportedTotal?.description == "93.76")
    #expect(sheet?.reportedLeafSum?.description == "93.76")
    #expect(sheet?.differences.map(\.name) == ["公众或服务对象满意度"])
    #expect(sheet?.grade == "优")
  }
}
