/// A data file's diagnostics tell where to write in its JSON (inputs, useReported, reported.scores,
/// {"value": …, "reason": …}); a table is filled in by columns, so for a table record those hints
/// name the column instead, by the exact header `jixiao template --format csv` writes.
struct TableHints {
  private let plan: EvaluationPlan
  private let columns: [BatchColumn]

  init(plan: EvaluationPlan) {
    self.plan = plan
    columns = BatchColumns.template(for: plan)
  }

  private func header(_ meaning: BatchColumn.Meaning) -> String? {
    columns.first { $0.meaning == meaning }?.header.quotedName
  }

  func rewrite(_ diagnostic: Diagnostic) -> Diagnostic {
    var changed = diagnostic
    switch diagnostic.code {
    case .missingInput:
      guard let cell = cell(in: diagnostic.message, after: "缺少输入", before: "，") else { return diagnostic }
      let fill = "在 inputs 中填写\(plan.program.cells[cell].name.quotedName)"
      let inputs = columns.filter { if case .input(cell, _) = $0.meaning { true } else { false } }
      let written = plan.program.cells[cell].input.map { ("（\($0.dataFormat)）", "（\($0.tableFormat)）") }
      changed.notes = diagnostic.notes.map { note in
        if note.hasPrefix(fill), !inputs.isEmpty {
          var rest = String(note.dropFirst(fill.count))
          // How a cell is written, not a JSON value: no quotes, the unit in the header.
          if let (json, table) = written, rest.hasPrefix(json) { rest = table + rest.dropFirst(json.count) }
          return "在\(inputs.map(\.header.quotedName).joined(separator: "、"))列填写" + rest
        }
        if note.hasPrefix("如报告没有这项数据，可在 useReported 中"), let rows = needers(in: diagnostic.message) {
          let reasons = rows.compactMap { header(.useReported(row: $0)) }.joined(separator: "、")
          let scores = rows.compactMap { header(.reportedScore(row: $0)) }.joined(separator: "、")
          return "如报告没有这项数据，可在\(reasons)列写明理由，采用\(scores)列填写的报告得分"
        }
        return note
      }
    case .missingReason:
      if let cell = cell(in: diagnostic.message, after: "评审项", before: "未得满分"),
        let column = header(.reason(cell: cell)),
        let json = diagnostic.notes.firstIndex(where: { $0.hasPrefix("写成 {") })
      {
        changed.notes[json] = "在同一行的\(column)列写明扣分理由"
      } else if let column = header(.tableRow("reason")) {
        changed.message = diagnostic.message.replacing("在 reason 中", with: "在\(column)列中")
      }
    case .reportedScoreMissing:
      guard let row = plan.rows.indices.first(where: { diagnostic.message.contains(indicator($0) + "的填报得分") }),
        let reason = header(.useReported(row: row)), let score = header(.reportedScore(row: row))
      else { return diagnostic }
      changed.message = "\(reason)列要求采用\(indicator(row))的填报得分，但\(score)列没有填写"
    default: break
    }
    return changed
  }

  private func indicator(_ row: Int) -> String { "指标\(plan.rows[row].indicator.name.quotedName)" }

  /// The input a message names between two fixed words: 缺少输入“全年预算数”，….
  private func cell(in message: String, after: String, before: String) -> Int? {
    plan.program.cells.indices.first { message.hasPrefix(after + plan.program.cells[$0].name.quotedName + before) }
  }

  /// The leaf indicators a missing-input message says need the input: they can take the report's score.
  private func needers(in message: String) -> [Int]? {
    guard let named = message.firstRange(of: "，指标").map({ message[$0.upperBound...] }) else { return nil }
    let rows = plan.rows.indices.filter {
      plan.rows[$0].isLeaf && named.contains(plan.rows[$0].indicator.name.quotedName)
    }
    return rows.isEmpty ? nil : rows
  }
}
