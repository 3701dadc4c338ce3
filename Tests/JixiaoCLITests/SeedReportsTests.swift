import Testing

@testable import JixiaoEngine
@testable import jixiao

/// The three real department reports, scored through the same code path as `jixiao eval`.
@Suite struct SeedReportsTests {
  struct Sheet {
    var status: Int32
    var json: JSONNode
    var text: String
    var errors: String

    func score(_ indicator: String) -> String? {
      json["indicators"]?.elements?.first { $0["path"]?.elements?.last?.stringValue == indicator }
        .flatMap { $0["score"] }.flatMap(Sheet.number)
    }

    func source(_ indicator: String) -> String? {
      json["indicators"]?.elements?.first { $0["path"]?.elements?.last?.stringValue == indicator }?["source"]?
        .stringValue
    }

    var total: String? { json["total"].flatMap(Sheet.number) }

    /// "name computed reported" for every difference, in table order.
    var differences: [String] {
      (json["differences"]?.elements ?? []).map { entry in
        let name = entry["path"]?.elements?.last?.stringValue ?? "?"
        return
          "\(name) \(entry["computed"].flatMap(Sheet.number) ?? "?") \(entry["reported"].flatMap(Sheet.number) ?? "?")"
      }
    }

    var inconsistencies: [String] {
      (json["inconsistencies"]?.elements ?? []).compactMap { $0["message"]?.stringValue }
    }

    static func number(_ node: JSONNode) -> String? {
      if case .number(let text) = node.value { return text }
      return nil
    }
  }

  static func evaluate(_ rules: String, _ data: String) throws -> Sheet {
    let root = Repository.root
    let json = Terminal()
    let status = Commands.run(["eval", root + rules, root + data, "--format", "json"], json)
    let text = Terminal()
    _ = Commands.run(["eval", root + rules, root + data], text)
    return Sheet(
      status: status, json: try JSON.parse(json.standardOutput), text: text.standardOutput, errors: json.standardError)
  }

  @Test func dapeng2021() throws {
    let sheet = try Self.evaluate("Rules/shenzhen-department-2019.rules", "Examples/dapeng-2021.json")
    #expect(sheet.status == 0)
    #expect(sheet.errors == "")
    #expect(sheet.total == "93.76")
    #expect(sheet.json["grade"]?.stringValue == "优")
    #expect(sheet.score("项目完成及时性") == "5.76")
    #expect(sheet.score("公用经费控制率") == "5")
    #expect(sheet.score("预算执行率") == "6")
    #expect(sheet.score("财务合规性") == "2")
    #expect(sheet.score("绩效指标明确性") == "5")
    #expect(sheet.score("部门绩效") == "51.76")
    #expect(sheet.differences == [])
    #expect(sheet.source("编外人员控制率") == "reported")
    #expect(sheet.source("群众信访办理情况") == "reported")
    #expect(sheet.source("公众或服务对象满意度") == "computed")
    #expect(sheet.text.contains("综合评分：93.76（满分 100）　评分等级：优"))
    #expect(sheet.text.contains("编外人员控制率                                 1      1         1  采用填报得分，未核实"))
  }

  @Test func futian2020() throws {
    let sheet = try Self.evaluate("Rules/shenzhen-department-2019.rules", "Examples/futian-2020.json")
    #expect(sheet.status == 0)
    #expect(sheet.total == "92.96")
    #expect(sheet.json["grade"]?.stringValue == "优")
    #expect(sheet.score("预算执行率") == "5.46")
    #expect(sheet.score("项目完成及时性") == "4.5")
    #expect(sheet.score("公众或服务对象满意度") == "4")
    // “三公”经费 budget 0 and spending 0: full marks by the rule's explicit reading.
    #expect(sheet.score("公用经费控制率") == "6")
    #expect(sheet.source("预决算信息公开") == "reported")
    // Every place where the report's own arithmetic disagrees: its 部门绩效 subtotal, its Q3 and Q4
    // rates against its own spending figures, and its total against its 一级 subtotals.
    #expect(sheet.differences == ["部门绩效 48.96 49.07"])
    #expect(
      sheet.inconsistencies == [
        "“季度执行率”第 3 项报告为 98.67%，按 季度支出进度 ÷ 序时进度 = [20.8949…%, 42.1158…%, 68.1891…%, 91.7879…%] ÷ [25%, 50%, 75%, 100%] 算得 90.92%；报告未注明口径，属计算上的不一致",
        "“季度执行率”第 4 项报告为 97.21%，按 季度支出进度 ÷ 序时进度 = [20.8949…%, 42.1158…%, 68.1891…%, 91.7879…%] ÷ [25%, 50%, 75%, 100%] 算得 91.79%；报告未注明口径，属计算上的不一致",
        "报告的“部门绩效”得分 49.07 不等于其所属各项得分之和 48.96",
        "报告各一级指标得分之和为 93.07，与报告的综合评分 92.96 不一致",
      ])
  }

  @Test func luohu2022() throws {
    let sheet = try Self.evaluate("Rules/shenzhen-department-2022.rules", "Examples/luohu-2022.json")
    #expect(sheet.status == 0)
    #expect(sheet.total == "96.32")
    #expect(sheet.json["reportedTotal"].flatMap(Sheet.number) == "97")
    #expect(sheet.json["grade"]?.stringValue == "优")
    #expect(sheet.differences == ["财务合规性 2 3", "编外人员控制率 0.5 0", "预算执行率 5.82 6"])
    #expect(sheet.text.contains("填报综合评分：97　填报等级：优　计算与填报相差 -0.68"))
    #expect(sheet.text.contains("与填报得分不一致的指标（3 项）"))
    for taken in ["固定资产利用率", "项目完成及时性", "公众或服务对象满意度"] {
      #expect(sheet.source(taken) == "reported")
    }
  }

  @Test func explainShowsSubstitutedFormula() throws {
    let terminal = Terminal()
    let root = Repository.root
    let status = Commands.run(
      ["eval", root + "Rules/shenzhen-department-2022.rules", root + "Examples/luohu-2022.json", "--explain"], terminal)
    #expect(status == 0)
    #expect(
      terminal.standardOutput.contains(
        "设 编外人员比率 = 如果 编外人员数 = 0 则 0% 否则 编外人员数 ÷ （在编人数 ＋ 编外人员数） = （编外人员数 = 0 为否 ⇒ 1 ÷ （19 + 1）） = 5%"
      ))
    #expect(terminal.standardOutput.contains("分档（5% 属于 [5%, 10%] → 0.5）"))
    #expect(terminal.standardOutput.contains("= 5.8207 ≈ 5.82"))
  }

  @Test func markdownSheetHasTheTableTotalAndDifferences() {
    let terminal = Terminal()
    let root = Repository.root
    let status = Commands.run(
      [
        "eval", root + "Rules/shenzhen-department-2022.rules", root + "Examples/luohu-2022.json", "--format",
        "markdown",
      ],
      terminal)
    #expect(status == 0)
    let lines = terminal.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first?.hasPrefix("# 深圳市部门整体支出绩效评价") == true)
    #expect(lines.contains("| 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 得分 | 填报得分 | 备注 |"))
    #expect(lines.contains("| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | --- |"))
    #expect(lines.contains("|  |  | 效率性 | 20 | 预算执行率 | 6 | 5.82 | 6 | 与填报不一致 |"))
    #expect(lines.contains("|  |  |  |  | 编外人员控制率 | 1 | 0.5 | 0 | 与填报不一致 |"))
    #expect(lines.contains("| 合计 | 100 |  |  |  |  | 96.32 | 97 |  |"))
    #expect(lines.contains("与填报得分不一致的指标（3 项）："))
    // With --explain, every step of a computation is an item of its own under its indicator.
    let explained = Terminal()
    _ = Commands.run(
      [
        "eval", root + "Rules/shenzhen-department-2022.rules", root + "Examples/luohu-2022.json", "--format",
        "markdown", "--explain",
      ],
      explained)
    #expect(explained.standardOutput.contains("\n- 预算执行率：5.82/6\n    - "))
  }

  @Test func checkIsCleanOnShippedRules() {
    let terminal = Terminal()
    #expect(Commands.run(["check", Repository.root + "Rules"], terminal) == 0)
    #expect(terminal.standardError.contains("0 个错误，0 个警告"))
  }
}

enum Repository {
  /// The repository root, found from this file's path so that tests run from any folder.
  static let root: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/"
  }()
}
