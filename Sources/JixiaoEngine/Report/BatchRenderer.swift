/// A batch's results, one line per department or project table, in the order read: refused ones
/// too, so that the output has as many lines as the input has records.
public enum BatchRenderer {
  /// 行号, 状态, who, 综合评分, 等级, 填报总分, the differences and inconsistencies, 问题, then every
  /// indicator's score under its name, in table order.
  public static func csvHeader(for plan: EvaluationPlan) -> [String] {
    var header = ["文件", "行号", "状态", "被评价单位"]
    if plan.rows.contains(where: { $0.indicator.fromRows }) { header += ["项目编码", "项目名称"] }
    header += ["年度", "综合评分", "等级", "填报总分", "与填报得分不同", "报告自相矛盾", "问题"]
    return header + plan.rows.map(\.indicator.name)
  }

  public static func csvRow(_ item: BatchItem, file: String, plan: EvaluationPlan) -> [String] {
    let isProject = plan.rows.contains { $0.indicator.fromRows }
    if let scored = item.compiled, item.isScored {
      // Scored the short way: the same columns as a sheet without differences or problems.
      var row = [file, String(item.line), "已计分", scored.subject] + (isProject ? ["", ""] : [])
      row += [scored.year ?? "", scored.total.description, scored.grade ?? "", "", "", "", ""]
      return row + scored.scores.map(\.description)
    }
    guard let sheet = item.sheet, item.isScored else {
      let problem =
        item.headerRefused
        ? "表头有错误，未计分"
        : item.diagnostics.first { $0.severity == .error }.map { "\($0.code.rawValue) \($0.message)" } ?? ""
      var row = [file, String(item.line), "未计分", ""] + (isProject ? ["", ""] : [])
      row += ["", "", "", "", "", "", problem]
      return row + plan.rows.map { _ in "" }
    }
    var row = [file, String(item.line), "已计分", sheet.subject]
    if isProject { row += [sheet.project?.code ?? "", sheet.project?.name ?? ""] }
    let differences = sheet.differences.map {
      "\($0.name)：计算 \($0.score?.description ?? "—")，填报 \($0.reported?.description ?? "—")"
    }
    row += [
      sheet.year ?? "", sheet.total?.description ?? "", sheet.grade ?? "", sheet.reportedTotal?.description ?? "",
      differences.joined(separator: "；"), sheet.inconsistencies.map(\.message).joined(separator: "；"),
      sheet.diagnostics.filter { $0.severity == .warning }.map { "\($0.code.rawValue) \($0.message)" }.joined(
        separator: "；"),
    ]
    // The sheet has the plan's rows in the same order, with a project table's own rows between them.
    var next = sheet.rows.startIndex
    return row
      + plan.rows.map { planned in
        guard let found = sheet.rows[next...].firstIndex(where: { $0.path == planned.path }) else { return "" }
        next = found + 1
        return sheet.rows[found].score?.description ?? ""
      }
  }

  /// `csvLine(csvRow(…))` added to the bytes; a row scored the short way is written straight from
  /// its scores, without a `String` for each cell.
  public static func appendCSVRow(_ item: BatchItem, file: String, plan: EvaluationPlan, to bytes: inout [UInt8]) {
    if let written = item.csvRow, written.file == file {
      bytes += written.bytes
      return
    }
    // A compiled item is never a project table's (those are not compiled): no 项目 columns.
    guard let scored = item.compiled, item.isScored else {
      bytes += csvLine(csvRow(item, file: file, plan: plan)).utf8
      return
    }
    func field(_ text: String) {
      if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
        bytes += csvLine([text]).utf8
      } else {
        bytes += text.utf8
      }
      bytes.append(0x2C)
    }
    field(file)
    field(String(item.line))
    field("已计分")
    field(scored.subject)
    field(scored.year ?? "")
    scored.total.appendDescription(to: &bytes)
    bytes.append(0x2C)
    field(scored.grade ?? "")
    bytes += ",,,".utf8
    for score in scored.scores {
      bytes.append(0x2C)
      score.appendDescription(to: &bytes)
    }
  }

  /// RFC 4180: a field with the separator, a quote or a line break is quoted, its quotes doubled.
  public static func csvLine(_ fields: [String], separator: Character = ",") -> String {
    // Byte by byte: the separators (comma, tab) are ASCII, and so are quote and line breaks.
    let mark = String(separator).utf8.first ?? UInt8(ascii: ",")
    var line = ""
    line.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
    for (index, field) in fields.enumerated() {
      if index > 0 { line.append(separator) }
      if field.utf8.contains(where: { $0 == mark || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
        line += "\"" + field.replacing("\"", with: "\"\"") + "\""
      } else {
        line += field
      }
    }
    return line
  }

  /// The sheet's JSON object (as `eval --format json` prints it) with the line it was read from;
  /// a refused record gives its diagnostics and null total and grade.
  public static func json(_ item: BatchItem, file: String) -> JSONOutput {
    let place: [(String, JSONOutput)] = [("file", .string(file)), ("line", .integer(item.line))]
    if let sheet = item.sheet, case .object(let members) = SheetRenderer.json(sheet) { return .object(place + members) }
    return .object(
      place + [
        ("total", .null), ("grade", .null), ("diagnostics", .array(item.diagnostics.map(DiagnosticRenderer.json))),
      ])
  }
}
