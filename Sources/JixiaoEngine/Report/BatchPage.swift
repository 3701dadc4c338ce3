/// A batch as one self-contained HTML page: the ranking, the grade distribution and, per
/// indicator, the points lost across all departments as inline SVG bars, with each department's
/// sheet one click away. All user text is HTML-escaped; nothing is loaded from elsewhere.
///
/// The sheets are the bulk of the page and come first, one per department as it is scored; the
/// summary above them needs them all. So `add` hands each sheet back for the caller to keep
/// outside memory, and the page is `head()`, then the sheets in the order added, then `tail`.
public struct BatchPage {
  let plan: EvaluationPlan
  private var ranked: [(label: String, total: ExactDecimal?, grade: String?, anchor: Int)] = []
  private var refused: [(file: String, line: Int, problem: String)] = []
  private var sheetCount = 0
  /// Per plan row: points lost over all scored sheets (weight − score).
  private var lost: [ExactDecimal]

  public init(plan: EvaluationPlan) {
    self.plan = plan
    lost = plan.rows.map { _ in .zero }
  }

  /// Takes the item into the summary; returns its sheet's HTML, nil for a refused item.
  public mutating func add(_ item: BatchItem, file: String) -> String? {
    guard let sheet = item.sheet, item.isScored else {
      let problem = item.headerRefused ? "表头有错误" : item.diagnostics.first { $0.severity == .error }?.message ?? ""
      refused.append((file, item.line, problem))
      return nil
    }
    let anchor = sheetCount
    sheetCount += 1
    ranked.append((sheet.project?.label ?? sheet.subject, sheet.total, sheet.grade, anchor))
    for (index, row) in plan.rows.enumerated() {
      guard let line = sheet.rows.first(where: { $0.path == row.path }), let score = line.score,
        let missing = try? line.weight.subtracting(score), let sum = try? lost[index].adding(missing)
      else { continue }
      lost[index] = sum
    }
    return Self.sheet(sheet, anchor: anchor, file: file, line: item.line)
  }

  /// The page up to the sheets: the ranking, the charts and the refused records.
  public func head() -> String {
    let order = ranked.sorted { ($0.total ?? .zero) > ($1.total ?? .zero) }
    var html = """
      <!DOCTYPE html>
      <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escapedForHTML(plan.program.name)) 批量评分</title>
      <style>
      body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
      table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
      td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3;white-space:nowrap}
      section.sheet{border-top:2px solid #888;margin-top:2em}svg text{font-size:12px}
      </style></head><body>
      <h1>\(escapedForHTML(plan.program.name)) 批量评分</h1>
      <p>计分 \(ranked.count) 份，未计分 \(refused.count) 份。</p>

      """
    html += "<h2>排名</h2>\n<table class=\"ranking\"><tr><th>名次</th><th>被评价对象</th><th>综合评分</th><th>等级</th></tr>\n"
    for (place, entry) in order.enumerated() {
      html +=
        "<tr><td class=\"n\">\(place + 1)</td><td><a href=\"#sheet-\(entry.anchor)\">\(escapedForHTML(entry.label))</a></td>"
        + "<td class=\"n\">\(entry.total?.description ?? "—")</td><td>\(escapedForHTML(entry.grade ?? "—"))</td></tr>\n"
    }
    html += "</table>\n<h2>等级分布</h2>\n"
    let grades = plan.program.grades.map(\.name)
    html += Self.bars(
      grades.map { grade in (grade, ExactDecimal(ranked.filter { $0.grade == grade }.count)) }, unit: "份")
    html += "<h2>各指标失分（全部被评价对象合计）</h2>\n"
    // Leaves, and for project tables the blocks their rows make up (产出指标 …).
    let leaves = plan.rows.indices.filter { plan.rows[$0].isLeaf || plan.rows[$0].indicator.fromRows }
    // Most points lost first: where the departments fall short.
    let losses = leaves.map { (label: plan.rows[$0].indicator.name, value: lost[$0]) }
    html += Self.bars(
      losses.enumerated().sorted { ($0.element.value, $1.offset) > ($1.element.value, $0.offset) }.map(\.element),
      unit: "分")
    if !refused.isEmpty {
      html += "<h2>未计分</h2>\n<table class=\"refused\"><tr><th>文件</th><th>行</th><th>原因</th></tr>\n"
      for entry in refused {
        html +=
          "<tr><td>\(escapedForHTML(entry.file))</td><td class=\"n\">\(entry.line)</td><td>\(escapedForHTML(entry.problem))</td></tr>\n"
      }
      html += "</table>\n"
    }
    return html + "<h2>评分表</h2>\n"
  }

  public static let tail = "</body></html>"

  /// Horizontal bars, one per label, scaled to the largest value.
  static func bars(_ values: [(label: String, value: ExactDecimal)], unit: String) -> String {
    let largest = values.map(\.value).max() ?? .zero
    let rowHeight = 22
    var svg =
      "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"\(values.count * rowHeight + 8)\" role=\"img\">\n"
    for (index, entry) in values.enumerated() {
      let y = index * rowHeight + 4
      let width =
        largest.isZero
        ? 0
        : Int(
          ((try? entry.value.multiplied(by: ExactDecimal(400)).divided(by: largest)) ?? .zero).rounded(places: 0)
            .description) ?? 0
      let label = entry.label.count > 14 ? String(entry.label.prefix(13)) + "…" : entry.label
      svg +=
        "<text x=\"250\" y=\"\(y + 15)\" text-anchor=\"end\"><title>\(escapedForHTML(entry.label))</title>\(escapedForHTML(label))</text>"
      svg += "<rect x=\"256\" y=\"\(y + 3)\" width=\"\(width)\" height=\"16\" fill=\"#4a78b5\"/>"
      svg += "<text x=\"\(262 + width)\" y=\"\(y + 15)\">\(entry.value.rounded(places: 2)) \(unit)</text>\n"
    }
    return svg + "</svg>\n"
  }

  static func sheet(_ sheet: ScoreSheet, anchor: Int, file: String, line: Int) -> String {
    var html =
      "<section class=\"sheet\" id=\"sheet-\(anchor)\"><h3>\(escapedForHTML(sheet.project?.label ?? sheet.subject))</h3>\n"
    html +=
      "<p>\(escapedForHTML(file)) 第 \(line) 行 · 综合评分 \(sheet.total?.description ?? "—") · \(escapedForHTML(sheet.grade ?? "—"))</p>\n"
    html += "<table><tr><th>指标</th><th>分值</th><th>得分</th><th>填报</th></tr>\n"
    for row in sheet.rows {
      let indent = String(repeating: "　", count: max(0, row.path.count - 1))
      html +=
        "<tr><td>\(indent)\(escapedForHTML(row.name))</td><td class=\"n\">\(row.weight)</td>"
        + "<td class=\"n\">\(row.score?.description ?? "—")</td><td class=\"n\">\(row.reported?.description ?? "")</td></tr>\n"
    }
    return html + "</table><p><a href=\"#\">回到顶部</a></p></section>\n"
  }
}
