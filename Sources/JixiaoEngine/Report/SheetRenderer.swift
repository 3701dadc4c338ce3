/// Prints a score sheet as the published table: one line per leaf indicator with its ancestors'
/// names and points, then the total, the grade, the reasons and the differences from the report.
public enum SheetRenderer {
  public enum Format: String, Sendable, CaseIterable {
    case text, json, markdown
  }

  public static func render(_ sheet: ScoreSheet, format: Format, explain: Bool) -> String {
    switch format {
    case .text: text(sheet, explain: explain)
    case .markdown: markdown(sheet, explain: explain)
    case .json: json(sheet).rendered()
    }
  }

  // MARK: The table, shared by text and Markdown

  private static let levelNames = ["一级指标", "二级指标", "三级指标", "四级指标", "五级指标"]

  static func header(_ sheet: ScoreSheet) -> [String] {
    standardHeader(sheet).map { sheet.columnLabels[$0] ?? $0 }
  }

  /// The columns by their standard names, whatever the template calls them.
  static func standardHeader(_ sheet: ScoreSheet) -> [String] {
    let depth = sheet.rows.map(\.path.count).max() ?? 1
    var header: [String] = []
    for level in 0..<depth {
      header += [level < levelNames.count ? levelNames[level] : "\(level + 1)级指标", "分值"]
    }
    if hasTargets(sheet) { header += ["年度指标值", "实际完成值"] }
    header.append("得分")
    if hasReported(sheet) { header.append("填报得分") }
    header.append("备注")
    return header
  }

  static func hasTargets(_ sheet: ScoreSheet) -> Bool { sheet.rows.contains { $0.target != nil } }

  static func hasReported(_ sheet: ScoreSheet) -> Bool { sheet.rows.contains { $0.reported != nil } }

  static func tableRows(_ sheet: ScoreSheet) -> [[String]] {
    let depth = sheet.rows.map(\.path.count).max() ?? 1
    var shown = Set<[String]>()
    var byPath: [[String]: ScoreSheet.Row] = [:]
    for row in sheet.rows { byPath[row.path] = row }
    // Asked once: each walks all rows, and a table may have a million.
    let targets = hasTargets(sheet)
    let reported = hasReported(sheet)
    var lines: [[String]] = []
    for row in sheet.rows where row.isLeaf {
      var cells: [String] = []
      for level in 0..<depth {
        guard level < row.path.count else {
          cells += ["", ""]
          continue
        }
        let prefix = Array(row.path.prefix(level + 1))
        if shown.insert(prefix).inserted, let ancestor = byPath[prefix] {
          cells += [ancestor.name, ancestor.weight.description]
        } else {
          cells += ["", ""]
        }
      }
      if targets { cells += [row.target ?? "", row.actual ?? ""] }
      cells.append(row.score?.description ?? "—")
      if reported { cells.append(row.reported?.description ?? "") }
      cells.append(remark(row))
      lines.append(cells)
    }
    var totals = [String](repeating: "", count: depth * 2)
    totals[0] = "合计"
    totals[1] = sheet.fullMarks.description
    if targets { totals += ["", ""] }
    totals.append(sheet.total?.description ?? "—")
    if reported { totals.append(sheet.reportedTotal?.description ?? "") }
    totals.append("")
    lines.append(totals)
    return lines
  }

  static func remark(_ row: ScoreSheet.Row) -> String {
    switch row.source {
    case .reported: return "采用填报得分，未核实"
    case .unavailable: return "无法计算"
    case .assessed: return "评审调整（按规则为 \(row.computed?.description ?? "—")）"
    case .computed where row.differsFromReport: return "与填报不一致"
    case .computed: return row.notApplicable ? "不适用" : ""
    }
  }

  /// The lines under the table: totals, grade, differences, reasons, explanations.
  static func summary(_ sheet: ScoreSheet, explain: Bool, bullet: String) -> [String] {
    var lines: [String] = []
    let topLevel = sheet.rows.filter { $0.path.count == 1 }
    lines.append(
      "各一级指标得分：" + topLevel.map { "\($0.name) \($0.score?.description ?? "—")/\($0.weight)" }.joined(separator: "，"))
    lines.append("综合评分：\(sheet.total?.description ?? "无法计算")（满分 \(sheet.fullMarks)）　评分等级：\(sheet.grade ?? "—")")
    if let reported = sheet.reportedTotal {
      var line = "填报综合评分：\(reported)"
      if let grade = sheet.reportedGrade { line += "　填报等级：\(grade)" }
      if let total = sheet.total, let difference = try? total.subtracting(reported), !difference.isZero {
        line += "　计算与填报相差 \(difference.isNegative ? "" : "+")\(difference)"
      }
      lines.append(line)
    }
    if let grade = sheet.grade, let reportedGrade = sheet.reportedGrade, grade != reportedGrade {
      lines.append("注意：按规则评分等级为“\(grade)”，报告填报为“\(reportedGrade)”")
    }
    let differences = sheet.differences
    if sheet.reportedTotal != nil || hasReported(sheet) {
      lines.append("")
      let allKnown = sheet.total != nil
      let totalsDiffer = sheet.total != nil && sheet.reportedTotal != nil && sheet.total != sheet.reportedTotal
      if differences.isEmpty && !allKnown {
        lines.append("部分得分无法计算，见上方错误信息。")
      } else if differences.isEmpty && totalsDiffer {
        let ownSum = sheet.reportedLeafSum.map { $0 != sheet.reportedTotal } ?? false
        lines.append(
          ownSum
            ? "各项计算得分与填报得分一致；综合评分不同，是因为报告的综合评分不等于其各项得分之和。"
            : "各项计算得分与填报得分一致，但综合评分与填报不同（见上）。")
      } else if differences.isEmpty {
        lines.append("计算得分与填报得分一致。")
      } else {
        lines.append("与填报得分不一致的指标（\(differences.count) 项）：")
      }
      for row in differences {
        lines.append(
          "\(bullet)\(row.path.joined(separator: " / "))：按规则计算 \(row.score?.description ?? "—")，报告填报 \(row.reported?.description ?? "—")"
        )
      }
    }
    if !sheet.inconsistencies.isEmpty {
      lines.append("")
      lines.append("报告自身的数字前后不一致（\(sheet.inconsistencies.count) 处）：")
      lines += sheet.inconsistencies.map { bullet + $0.message }
    }
    let taken = sheet.rows.filter { if case .reported = $0.source { $0.isLeaf } else { false } }
    if !taken.isEmpty {
      lines.append("")
      lines.append("采用填报得分、未经核实的指标（\(taken.count) 项）：")
      for row in taken {
        if case .reported(let reason) = row.source {
          lines.append("\(bullet)\(row.name)：采用填报得分 \(row.score?.description ?? "—")。理由：\(reason)")
        }
      }
    }
    let assessed = sheet.rows.filter { if case .assessed = $0.source { true } else { false } }
    if !assessed.isEmpty {
      lines.append("")
      lines.append("评审调整的行（\(assessed.count) 项，以评审得分代替按规则计算的得分）：")
      for row in assessed {
        if case .assessed(let reason) = row.source {
          let computed = row.computed?.description ?? "无法计算"
          lines.append("\(bullet)\(row.name)：评审得分 \(row.score?.description ?? "—")，按规则 \(computed)。理由：\(reason)")
        }
      }
    }
    // A set of paths, so that a table of many rows is not walked once per deducted row.
    let deducted = Set(
      sheet.rows.filter { $0.isLeaf && $0.source == .computed && ($0.score ?? $0.weight) < $0.weight }.map(\.path))
    let withReasons = sheet.rows.filter { $0.isLeaf && !$0.reasons.isEmpty }
    if !deducted.isEmpty || !withReasons.isEmpty {
      lines.append("")
      lines.append("得分说明：")
      for row in sheet.rows where row.isLeaf && (deducted.contains(row.path) || !row.reasons.isEmpty) {
        lines.append("\(bullet)\(row.name)：\(row.score?.description ?? "—")/\(row.weight)")
        for reason in row.reasons { lines.append("    \(reason)") }
        if row.reasons.isEmpty, row.explanation.count >= 3 {
          // The definitions behind the score and the formula with its values: why points were lost.
          let shown = row.explanation.dropLast(3) + [row.explanation[row.explanation.count - 2]]
          for line in shown { lines.append("    " + line.trimmingLeadingSpaces()) }
        }
      }
    }
    if explain {
      lines.append("")
      lines.append("计算过程：")
      for row in sheet.rows where row.isLeaf {
        lines.append("\(bullet)\(row.path.joined(separator: " / "))（\(row.weight) 分）")
        if case .reported(let reason) = row.source { lines.append("    采用填报得分：\(reason)") }
        for line in row.explanation { lines.append("    \(line)") }
      }
    }
    return lines
  }

  static func title(_ sheet: ScoreSheet) -> [String] {
    var subject = "\(sheet.project == nil ? "被评价单位" : "实施单位")：\(sheet.subject)"
    if let year = sheet.year { subject += "　年度：\(year)" }
    guard let project = sheet.project else { return [sheet.rulesetName, subject] }
    return [sheet.rulesetName, "项目：\(project.label)", subject]
  }

  // MARK: Formats

  // Every cell and line quotes user text: shown through `visible`, so no control character of a
  // data file reaches the terminal.

  static func text(_ sheet: ScoreSheet, explain: Bool) -> String {
    let header = header(sheet).map { $0.visible() }
    var table = TextTable(header: header, rows: tableRows(sheet).map { $0.map { $0.visible() } })
    let depth = sheet.rows.map(\.path.count).max() ?? 1
    let scoreColumn = depth * 2 + (hasTargets(sheet) ? 2 : 0)
    table.rightAligned = Set((0..<depth).map { $0 * 2 + 1 } + [scoreColumn, scoreColumn + 1])
    let title = title(sheet)
    let lines = title + [""] + [table.render()] + [""] + summary(sheet, explain: explain, bullet: "  ")
    return lines.enumerated().map { $0.offset == title.count + 1 ? $0.element : $0.element.visible(limit: 2000) }
      .joined(separator: "\n")
  }

  static func markdown(_ sheet: ScoreSheet, explain: Bool) -> String {
    let header = header(sheet)
    func line(_ cells: [String]) -> String {
      "| " + cells.map { $0.visible().replacingPipes() }.joined(separator: " | ") + " |"
    }
    let separator =
      "|" + standardHeader(sheet).map { $0 == "分值" || $0.contains("得分") ? " ---: |" : " --- |" }.joined()
    let title = title(sheet)
    var lines =
      ["# \(title[0].visible())", ""] + title.dropFirst().flatMap { [$0.visible(), ""] } + [line(header), separator]
    lines += tableRows(sheet).map(line)
    lines.append("")
    // Plain lines become paragraphs of their own; list items and their indented details stay together.
    for line in summary(sheet, explain: explain, bullet: "- ").map({ $0.visible(limit: 2000) }) {
      if line.hasPrefix("    ") {
        // A detail under an item is a nested item of its own, so each stays on its own line.
        lines.append("    - " + line.drop { $0 == " " })
        continue
      }
      let isListPart = line.hasPrefix("- ") || line.isEmpty
      lines.append(isListPart ? line : line + "\n")
    }
    return lines.joined(separator: "\n")
  }

  /// One line per sheet: several projects at a glance.
  public static func overview(_ sheets: [ScoreSheet], format: Format) -> String {
    overview(rows: sheets.map(overviewRow), format: format)
  }

  /// A sheet's line in the overview, kept instead of the sheet when many are printed one by one.
  public static func overviewRow(_ sheet: ScoreSheet) -> [String] {
    let assessed = sheet.rows.filter { if case .assessed = $0.source { true } else { false } }.count
    let taken = sheet.rows.filter { if case .reported = $0.source { $0.isLeaf } else { false } }.count
    return [
      sheet.project?.label ?? sheet.subject, sheet.total?.description ?? "—", sheet.grade ?? "—",
      sheet.reportedTotal?.description ?? "", String(sheet.differences.count), String(assessed), String(taken),
    ]
  }

  public static func overview(rows: [[String]], format: Format) -> String {
    let header = ["被评价对象", "综合评分", "等级", "填报总分", "不一致", "评审调整", "采用填报"]
    let sheets = rows
    if format == .markdown {
      let lines = [header] + [header.map { _ in "---" }] + rows
      return "## 汇总（\(sheets.count) 份）\n\n"
        + lines.map { "| " + $0.map { $0.replacingPipes() }.joined(separator: " | ") + " |" }.joined(separator: "\n")
    }
    var table = TextTable(header: header, rows: rows)
    table.rightAligned = [1, 3, 4, 5, 6]
    return "汇总（\(sheets.count) 份）\n" + table.render()
  }

  public static func json(_ sheet: ScoreSheet) -> JSONOutput {
    func number(_ value: ExactDecimal?) -> JSONOutput { value.map(JSONOutput.number) ?? .null }
    let indicators: [JSONOutput] = sheet.rows.map { row in
      var members: [(String, JSONOutput)] = [
        ("path", .array(row.path.map(JSONOutput.string))), ("weight", .number(row.weight)),
        ("score", number(row.score)),
      ]
      switch row.source {
      case .computed: members.append(("source", .string("computed")))
      case .reported(let reason):
        members.append(("source", .string("reported")))
        members.append(("reportedReason", .string(reason)))
      case .unavailable: members.append(("source", .string("unavailable")))
      case .assessed(let reason):
        members.append(("source", .string("assessed")))
        members.append(("assessedReason", .string(reason)))
        members.append(("computed", number(row.computed)))
      }
      if let target = row.target { members.append(("target", .string(target))) }
      if let actual = row.actual { members.append(("actual", .string(actual))) }
      if let method = row.method { members.append(("method", .string(method))) }
      if let reported = row.reported { members.append(("reported", .number(reported))) }
      if !row.reasons.isEmpty { members.append(("reasons", .array(row.reasons.map(JSONOutput.string)))) }
      if !row.explanation.isEmpty { members.append(("explanation", .array(row.explanation.map(JSONOutput.string)))) }
      return .object(members)
    }
    let differences: [JSONOutput] = sheet.differences.map { row in
      .object([
        ("path", .array(row.path.map(JSONOutput.string))), ("computed", number(row.score)),
        ("reported", number(row.reported)),
      ])
    }
    var members: [(String, JSONOutput)] = [("rules", .string(sheet.rulesetName)), ("subject", .string(sheet.subject))]
    if let project = sheet.project {
      var fields: [(String, JSONOutput)] = [("code", project.code.isEmpty ? .null : .string(project.code))]
      fields.append(("name", .string(project.name)))
      if let unit = project.fundingUnit { fields.append(("fundingUnit", .string(unit))) }
      members.append(("project", .object(fields)))
    }
    members += [
      ("year", sheet.year.map { year in Int(year).map(JSONOutput.integer) ?? .string(year) } ?? .null),
      ("fullMarks", .number(sheet.fullMarks)),
      ("total", number(sheet.total)), ("grade", sheet.grade.map(JSONOutput.string) ?? .null),
    ]
    if let reported = sheet.reportedTotal { members.append(("reportedTotal", .number(reported))) }
    if let grade = sheet.reportedGrade { members.append(("reportedGrade", .string(grade))) }
    members += [
      ("indicators", .array(indicators)), ("differences", .array(differences)),
      (
        "inconsistencies",
        .array(
          sheet.inconsistencies.map { found in
            var fields: [(String, JSONOutput)] = [("about", .string(found.about)), ("message", .string(found.message))]
            if let basis = found.basis { fields.append(("basis", .string(basis))) }
            return .object(fields)
          })
      ),
      ("diagnostics", .array(sheet.diagnostics.map(DiagnosticRenderer.json))),
    ]
    return .object(members)
  }
}

extension String {
  fileprivate func trimmingLeadingSpaces() -> String {
    String(drop { $0 == " " })
  }

  /// A Markdown table cell: a pipe escaped, a line break (a name copied from a table) a space.
  func replacingPipes() -> String {
    String(unicodeScalars.map { $0 == "|" ? "\\|" : $0 == "\n" || $0 == "\r" ? " " : String($0) }.joined())
  }
}
