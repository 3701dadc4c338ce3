/// The standard as the bureau publishes it (评分表): the indicator tree with points, 指标解释 and
/// 评分标准, a plain reading of each formula (bands as a small table, checklists as items with
/// points), the grades, and the figures each department must supply. Rendered as Markdown or as
/// one self-contained, printable HTML page.
public struct StandardDocument: Sendable {
  /// How a score is computed, read plainly.
  public enum Reading: Sendable {
    case formula(String)
    case bands(subject: String, arms: [(limit: String, points: String)])
    case checklist([(condition: String, points: String)])
    case rows
    case sum

  }

  public struct Row: Sendable {
    public var path: [String]
    public var weight: String
    public var description: String
    public var standard: String
    public var reading: Reading
    /// What the revision changed here, when rendered with the changes from an older version.
    public var changes: [String] = []
  }

  public struct Input: Sendable {
    public var name: String
    public var type: String
    public var description: String
    public var defaultFormula: String?
    public var isAssessment: Bool
  }

  public var title: String
  public var fullMarks: String
  public var precision: Int
  public var rows: [Row] = []
  public var grades: [(name: String, range: String)] = []
  public var inputs: [Input] = []
  /// Changes that concern no single indicator (inputs, grades, removed indicators).
  public var otherChanges: [String] = []
  /// How a project table's rows are scored: each method read plainly, and which target form takes it.
  public var rowMethods: [(name: String, reading: String)] = []
  public var rowChoices: [String] = []
  public var rowPrecision: Int?
  /// 同义, 未达成 and 换算, which decide rows as much as the methods do.
  public var rowWords: [String] = []

  public init(_ program: Program, changesFrom diff: RulesDiff? = nil) {
    title = program.name
    fullMarks = program.fullMarks.description
    precision = program.precision
    var pending = program.indicators.reversed().map { ($0, [String]()) }
    while let (indicator, parents) = pending.popLast() {
      let path = parents + [indicator.name]
      let reading: Reading =
        indicator.fromRows ? .rows : indicator.score.map { Self.reading($0, in: program) } ?? .sum
      rows.append(
        Row(
          path: path, weight: indicator.weightFromTable ? "表定" : indicator.weight.description,
          description: indicator.description ?? "", standard: indicator.standard ?? "", reading: reading))
      pending += indicator.children.reversed().map { ($0, path) }
    }
    var upper: String = fullMarks
    for grade in program.grades {
      let lower = grade.threshold?.description ?? "0"
      grades.append((grade.name, grade.threshold == nil ? "低于 \(upper)" : "\(lower) 至 \(upper)（含 \(lower)）"))
      upper = lower
    }
    inputs = program.cells.compactMap { cell in
      guard let input = cell.input, !input.isRowVariable else { return nil }
      return Input(
        name: cell.name, type: input.typeName, description: input.description ?? "",
        defaultFormula: cell.expression.map { RulesDiff.written($0, in: program) }, isAssessment: input.isAssessment)
    }
    if let scoring = program.rowScoring {
      rowPrecision = scoring.precision
      for (name, formula) in scoring.methods.sorted(by: { $0.key < $1.key }) {
        rowMethods.append((name, "得分 = " + RulesDiff.written(formula, in: program)))
      }
      for (name, bands) in scoring.judgments.sorted(by: { $0.key < $1.key }) {
        rowMethods.append((name, "评审人评定档次，在档内给分：" + bands.map { "\($0.name) \($0.display)" }.joined(separator: "；")))
      }
      let lines = RulesDiff.rowScoringLines(program)
      for part in ["同义", "未达成", "换算"] {
        let items = lines.filter { $0.part == part }.map { $0.text.isEmpty ? $0.key : $0.text }
        if !items.isEmpty { rowWords.append("\(part)：" + items.joined(separator: part == "同义" ? "；" : "，")) }
      }
      rowChoices = scoring.choices.map { choice in
        let form = [choice.level2, choice.form.rawValue, choice.unit].compactMap { $0 }.joined(separator: " ")
        return "\(form) → \(choice.method ?? choice.reading.map { "按“\($0.rawValue)”计" } ?? "")"
      }
    }
    guard let diff else { return }
    for change in diff.logic + diff.texts {
      let name = change.subject.split(separator: "·").first.map(String.init) ?? change.subject
      let note = change.meaning ?? "\(change.subject)有修改"
      if let index = rows.firstIndex(where: { $0.path.last == name }) {
        rows[index].changes.append(note)
      } else {
        otherChanges.append(note)
      }
    }
  }

  static func reading(_ score: CheckedExpression, in program: Program) -> Reading {
    switch score.kind {
    case .bands(let subject, let arms):
      let percent = subject.type == .number && Self.isPercent(subject, in: program)
      return .bands(
        subject: RulesDiff.written(subject, in: program),
        arms: arms.map { arm in
          let limit: String
          switch arm.test {
          case .interval(let interval): limit = interval.display(percent: percent)
          case .option(let option): limit = option
          case .otherwise: limit = "其他"
          }
          return (limit, RulesDiff.written(arm.result, in: program))
        })
    case .checklist(let items):
      return .checklist(
        items.map { (RulesDiff.written($0.condition, in: program), RulesDiff.written($0.points, in: program)) })
    default: return .formula(RulesDiff.written(score, in: program))
    }
  }

  static func isPercent(_ expression: CheckedExpression, in program: Program) -> Bool {
    if case .cell(let index) = expression.kind { return program.cells[index].isPercent }
    return false
  }

  // MARK: Markdown

  public func markdown() -> String {
    func cell(_ text: String) -> String { text.visible(limit: 4000).replacingPipes() }
    var lines = ["# \(title.visible())", "", "满分 \(fullMarks) 分；末级指标得分四舍五入保留 \(precision) 位小数，上级指标和综合评分为各项得分之和。", ""]
    lines += ["## 评分表", "", "| 指标 | 分值 | 指标解释 | 评分标准 | 计分方法 |", "| --- | ---: | --- | --- | --- |"]
    for row in rows {
      let name = String(repeating: "　", count: row.path.count - 1) + (row.path.last ?? "")
      let changed = row.changes.isEmpty ? "" : "<br>**修订：**" + row.changes.map(cell).joined(separator: "；")
      lines.append(
        "| \(cell(name)) | \(row.weight) | \(cell(row.description)) | \(cell(row.standard)) | \(Self.inline(row.reading))\(changed) |"
      )
    }
    if let rowPrecision {
      lines += [
        "", "## 行评分", "",
        "各行得分保留 \(rowPrecision) 位小数。按年度指标值的形式选用方法：" + rowChoices.map(cell).joined(separator: "；") + "。", "",
      ]
      lines += ["| 方法 | 计分 |", "| --- | --- |"] + rowMethods.map { "| \(cell($0.name)) | \(cell($0.reading)) |" }
      if !rowWords.isEmpty { lines += [""] + rowWords.map { "- " + cell($0) } }
    }
    if !grades.isEmpty {
      lines += ["", "## 评分等级", "", "| 等级 | 综合评分 |", "| --- | --- |"]
      lines += grades.map { "| \(cell($0.name)) | \($0.range) |" }
    }
    lines += ["", "## 各单位须填报的数据", "", "| 名称 | 类型 | 说明 | 不填时 |", "| --- | --- | --- | --- |"]
    for input in inputs {
      let whenMissing = input.defaultFormula.map { "按 \(cell($0)) 计算" } ?? "必填"
      let kind = input.isAssessment ? "评审：\(input.type)" : input.type
      lines.append("| \(cell(input.name)) | \(cell(kind)) | \(cell(input.description)) | \(whenMissing) |")
    }
    if !otherChanges.isEmpty {
      lines += ["", "## 其他修订", ""] + otherChanges.map { "- " + cell($0) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func inline(_ reading: Reading) -> String {
    func cell(_ text: String) -> String { text.visible(limit: 4000).replacingPipes() }
    switch reading {
    case .formula(let text): return "得分 = " + cell(text)
    case .bands(let subject, let arms):
      return "按“\(cell(subject))”分档：" + arms.map { "\(cell($0.limit)) 得 \(cell($0.points)) 分" }.joined(separator: "；")
    case .checklist(let items):
      return items.map { "✓ \(cell($0.condition))：\(cell($0.points)) 分" }.joined(separator: "<br>")
    case .rows: return "各行由自评表给出，按“行评分”计分"
    case .sum: return "下级指标得分之和"
    }
  }

  // MARK: HTML

  public func html() -> String {
    var body = ["<h1>\(escapedForHTML(title))</h1>"]
    body.append("<p>满分 \(escapedForHTML(fullMarks)) 分；末级指标得分四舍五入保留 \(precision) 位小数，上级指标和综合评分为各项得分之和。</p>")
    body.append("<h2>评分表</h2>")
    body.append(
      "<table class=\"standard\"><thead><tr><th>指标</th><th>分值</th><th>指标解释</th><th>评分标准</th><th>计分方法</th></tr></thead><tbody>"
    )
    for row in rows {
      let level = min(row.path.count, 4)
      let changed = row.changes.isEmpty ? "" : " class=\"changed\""
      let note =
        row.changes.isEmpty
        ? "" : "<p class=\"change\">修订：" + row.changes.map(escapedForHTML).joined(separator: "；") + "</p>"
      body.append(
        "<tr\(changed)><td class=\"name level\(level)\">\(escapedForHTML(row.path.last ?? ""))</td><td class=\"points\">\(escapedForHTML(row.weight))</td>"
          + "<td>\(escapedForHTML(row.description))</td><td>\(escapedForHTML(row.standard))</td><td>\(htmlReading(row.reading))\(note)</td></tr>"
      )
    }
    body.append("</tbody></table>")
    if let rowPrecision {
      body.append("<h2>行评分</h2><p>各行得分保留 \(rowPrecision) 位小数。按年度指标值的形式选用方法：")
      body.append(rowChoices.map(escapedForHTML).joined(separator: "；") + "。</p>")
      body.append("<table class=\"small\"><thead><tr><th>方法</th><th>计分</th></tr></thead><tbody>")
      body += rowMethods.map { "<tr><td>\(escapedForHTML($0.name))</td><td>\(escapedForHTML($0.reading))</td></tr>" }
      body.append("</tbody></table>")
      if !rowWords.isEmpty {
        body.append("<ul>" + rowWords.map { "<li>\(escapedForHTML($0))</li>" }.joined() + "</ul>")
      }
    }
    if !grades.isEmpty {
      body.append("<h2>评分等级</h2><table class=\"small\"><thead><tr><th>等级</th><th>综合评分</th></tr></thead><tbody>")
      body += grades.map { "<tr><td>\(escapedForHTML($0.name))</td><td>\(escapedForHTML($0.range))</td></tr>" }
      body.append("</tbody></table>")
    }
    body.append("<h2>各单位须填报的数据</h2>")
    body.append("<table><thead><tr><th>名称</th><th>类型</th><th>说明</th><th>不填时</th></tr></thead><tbody>")
    for input in inputs {
      let whenMissing = input.defaultFormula.map { "按 " + escapedForHTML($0) + " 计算" } ?? "必填"
      body.append(
        "<tr><td>\(escapedForHTML(input.name))</td><td>\(escapedForHTML(input.isAssessment ? "评审：\(input.type)" : input.type))</td>"
          + "<td>\(escapedForHTML(input.description))</td><td>\(whenMissing)</td></tr>")
    }
    body.append("</tbody></table>")
    if !otherChanges.isEmpty {
      body.append("<h2>其他修订</h2><ul>" + otherChanges.map { "<li>\(escapedForHTML($0))</li>" }.joined() + "</ul>")
    }
    return """
      <!DOCTYPE html>
      <html lang="zh-CN">
      <head>
      <meta charset="utf-8">
      <title>\(escapedForHTML(title))</title>
      <style>
      @page { size: A4 landscape; margin: 14mm 12mm; }
      body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 1200px; padding: 16px; }
      h1 { font-size: 18pt; text-align: center; }
      h2 { font-size: 13pt; margin-top: 1.6em; }
      table { border-collapse: collapse; width: 100%; }
      thead { display: table-header-group; }
      tr { page-break-inside: avoid; }
      th, td { border: 1px solid #555; padding: 4px 6px; vertical-align: top; text-align: left; }
      th { background: #eee; }
      td.points { text-align: right; white-space: nowrap; }
      td.name { min-width: 8em; }
      th { white-space: nowrap; }
      td.level1 { font-weight: bold; }
      td.level2 { padding-left: 1.5em; }
      td.level3 { padding-left: 3em; }
      td.level4 { padding-left: 4.5em; }
      table.small { width: auto; }
      table.bands { width: auto; margin: 2px 0; }
      table.bands td { border: 1px solid #999; padding: 1px 6px; }
      tr.changed td { background: #fff6d6; }
      p.change { color: #8a4b00; margin: 4px 0 0; }
      ul.checklist { margin: 0; padding-left: 1.2em; }
      @media print { body { max-width: none; padding: 0; } }
      </style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
  }

  func htmlReading(_ reading: Reading) -> String {
    switch reading {
    case .formula(let text): return "得分 = " + escapedForHTML(text)
    case .bands(let subject, let arms):
      return "按“\(escapedForHTML(subject))”分档：<table class=\"bands\">"
        + arms.map { "<tr><td>\(escapedForHTML($0.limit))</td><td>\(escapedForHTML($0.points)) 分</td></tr>" }.joined()
        + "</table>"
    case .checklist(let items):
      return "<ul class=\"checklist\">"
        + items.map { "<li>\(escapedForHTML($0.condition))：\(escapedForHTML($0.points)) 分</li>" }.joined() + "</ul>"
    case .rows: return "各行由自评表给出，按“行评分”计分"
    case .sum: return "下级指标得分之和"
    }
  }
}
