/// A batch table's header matched against the plan's columns (`BatchColumns`): every column must
/// be known and appear once; a unit written in brackets must suit the input.
struct TableHeader {
  /// Per position: what the column holds and the unit its header writes; nil for a trailing blank.
  var columns: [(column: BatchColumn, unit: String?)?] = []
  var diagnostics: [Diagnostic] = []
  /// The position of 项目编码: project tables in long form are grouped by it.
  var projectCode: Int?

  init(unreadable problem: Diagnostic) { diagnostics = [problem] }

  init(_ record: TableRecord, file: SourceFile, plan: EvaluationPlan) {
    let accepted = BatchColumns.accepted(for: plan)
    var fields = record.fields
    while let last = fields.last, last.text.trimmingWhitespace().isEmpty { fields.removeLast() }
    var seen: [BatchColumn.Meaning: String] = [:]
    for field in fields {
      let span = file.span(field.start, field.end)
      let written = field.text.trimmingWhitespace()
      guard !written.isEmpty else {
        report(span, "表头有一列没有列名", notes: ["每一列都要有列名；不用的列请整列删除"])
        columns.append(nil)
        continue
      }
      let (name, unit) = accepted[written] != nil ? (written, nil) : BatchColumns.split(written)
      guard let column = accepted[name] else {
        var notes: [String] = []
        if let suggestion = NameSuggestion.closest(to: name, among: accepted.keys.sorted()) {
          notes.append("是否指\(suggestion.quotedName)？")
        }
        notes.append("列名是规则中的输入名（可在括号中注明单位，如“全年预算数（万元）”），见 jixiao template 生成的表头")
        report(span, "规则\(plan.program.name.quotedName)的表格中没有名为\(name.quotedName)的列", notes: notes)
        columns.append(nil)
        continue
      }
      if let first = seen[column.meaning] {
        report(span, "列“\(written)”与前面的列“\(first)”是同一项，只能有一列")
        columns.append(nil)
        continue
      }
      seen[column.meaning] = written
      if let problem = unitProblem(unit, of: column, plan: plan) { report(span, problem) }
      if column.meaning == .project("code") { projectCode = columns.count }
      columns.append((column, unit))
    }
    if !seen.keys.contains(.subject) {
      report(file.span(0, 0), "表头缺少“被评价单位”列", notes: ["每一行都要写明被评价单位的名称"])
    }
    if plan.rows.contains(where: { $0.indicator.fromRows }) && projectCode == nil {
      report(file.span(0, 0), "项目支出绩效自评表的表格缺少“项目编码”列", notes: ["同一项目的各行指标按项目编码归为一张表"])
    }
  }

  private mutating func report(_ span: SourceSpan, _ message: String, notes: [String] = []) {
    diagnostics.append(Diagnostic(.badTableHeader, at: span, message, notes: notes))
  }

  /// A unit in brackets is how the column's bare numbers are read: any money unit for an amount,
  /// % for a percentage; other inputs may name theirs (人, 个) as a label.
  private func unitProblem(_ unit: String?, of column: BatchColumn, plan: EvaluationPlan) -> String? {
    guard let unit, case .input(let index, _) = column.meaning, let input = plan.program.cells[index].input else {
      return nil
    }
    switch input.kind {
    case .amount where !MoneyUnit.all.contains(where: { $0.name == unit }):
      return "列“\(column.name)”是金额，括号中的单位应是 \(MoneyUnit.all.reversed().map(\.name).joined(separator: "、"))，不能是“\(unit)”"
    case .percent where unit != "%" && unit != "％":
      return "列“\(column.name)”是百分比，括号中只能写 %，不能是“\(unit)”"
    default: return nil
    }
  }
}
