import Testing

@testable import JixiaoEngine
@testable import jixiao

/// The eleven Luohu 2023 project tables (罗湖区 2023 年度《项目支出绩效自评表》), scored through `jixiao eval` on the folder.
@Suite struct ProjectTablesTests {
  static let expected: [(code: String, total: String, execution: String)] = [
    ("440303210301500004143", "97.53", "8.63"), ("440303210300200001664", "100", "10"),
    ("440303210301500004502", "99.49", "9.49"), ("440303210301500001278", "91.68", "1.68"),
    ("440303231550216305003", "99.42", "9.42"), ("440303231550216305004", "99.51", "9.51"),
    ("440303210301500004536", "97.57", "7.57"), ("440303210301500004180", "93.61", "3.61"),
    ("440303221550216300001", "90.01", "0.01"), ("440303221550216305000", "99.98", "9.98"),
    ("440303210300200001884", "100", "10"),
  ]

  static func number(_ node: JSONNode?) -> String? {
    if case .number(let text)? = node?.value { return text }
    return nil
  }

  @Test func elevenTotalsAndBudgetExecutionScores() throws {
    let terminal = Terminal()
    let status = Commands.run(
      [
        "eval", Repository.root + "Rules/shenzhen-project-2023.rules",
        Repository.root + "Examples/luohu-projects-2023", "--format", "json",
      ], terminal)
    #expect(status == 0)
    // Only a note: 其他管理事务's “≥100人次” against “169” is compared as the same unit.
    #expect(!terminal.standardError.contains("错误") && !terminal.standardError.contains("警告"))
    #expect(terminal.standardError.contains("说明[E044]"))
    let sheets = try #require(try JSON.parse(terminal.standardOutput).elements)
    #expect(sheets.count == 11)
    for (code, total, execution) in Self.expected {
      let sheet = try #require(sheets.first { $0["project"]?["code"]?.stringValue == code }, "\(code)")
      #expect(Self.number(sheet["total"]) == total, "\(code)")
      #expect(Self.number(sheet["reportedTotal"]) == total, "\(code)")
      let budget = sheet["indicators"]?.elements?.first { $0["path"]?.elements?.first?.stringValue == "预算执行率" }
      #expect(Self.number(budget?["score"]) == execution, "\(code)")
      #expect(sheet["differences"]?.elements?.isEmpty == true, "\(code)")
    }
  }

  @Test func rowsCarryPathsTargetsAndOverrides() throws {
    let terminal = Terminal()
    _ = Commands.run(
      [
        "eval", Repository.root + "Rules/shenzhen-project-2023.rules",
        Repository.root + "Examples/luohu-projects-2023/440303210301500004143.json", "--format", "json",
      ], terminal)
    let sheet = try JSON.parse(terminal.standardOutput)
    let rows = try #require(sheet["indicators"]?.elements)
    let printer = try #require(rows.first { $0["path"]?.elements?.last?.stringValue == "打印机采购的数量" })
    #expect(printer["path"]?.elements?.map(\.stringValue) == ["产出指标", "数量指标", "打印机采购的数量"])
    #expect(printer["source"]?.stringValue == "assessed")
    #expect(Self.number(printer["computed"]) == "0")
    #expect(Self.number(printer["score"]) == "0.5")
    let progress = try #require(rows.first { $0["path"]?.elements?.last?.stringValue == "项目预算支出进度（%）" })
    #expect(Self.number(progress["score"]) == "2.9")
    #expect(progress["method"]?.stringValue == "越多越好")
  }

  @Test func textSheetShowsTheTableAndTheOverview() {
    let terminal = Terminal()
    _ = Commands.run(
      [
        "eval", Repository.root + "Rules/shenzhen-project-2023.rules", Repository.root + "Examples/luohu-projects-2023",
      ],
      terminal)
    #expect(terminal.standardOutput.contains("项目：其他管理事务（440303210301500004143）"))
    #expect(terminal.standardOutput.contains("打印机采购的数量：评审得分 0.5，按规则 0。理由：落实过“紧日子\"要求"))
    #expect(terminal.standardOutput.contains("汇总（11 份）"))
  }

  @Test func checkValidatesDataFilesAgainstTheirRules() {
    let terminal = Terminal()
    #expect(Commands.run(["check", Repository.root + "Examples/luohu-projects-2023"], terminal) == 0)
    #expect(terminal.standardError.contains("检查了 11 个文件：0 个错误，0 个警告"))
  }
}
