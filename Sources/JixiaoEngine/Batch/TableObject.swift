/// The lines of one department (one record) or one project table (its records, grouped by
/// 项目编码) laid out as the object a JSON data file holds, with positions in their own text, so
/// that `DataDecoder` checks a table row exactly as it checks a data file.
struct TableObject {
  let header: TableHeader
  let plan: EvaluationPlan
  let file: SourceFile
  /// The records, with field offsets into `file`.
  let records: [TableRecord]
  private(set) var diagnostics: [Diagnostic] = []

  init(header: TableHeader, plan: EvaluationPlan, file: SourceFile, records: [TableRecord]) {
    self.header = header
    self.plan = plan
    self.file = file
    self.records = records
  }

  private func node(_ value: JSONValue, _ start: Int, _ end: Int) -> JSONNode {
    let from = file.position(at: start)
    let to = file.position(at: end)
    return JSONNode(
      value: value, start: JSONPosition(line: from.line, column: from.column, offset: start),
      end: JSONPosition(line: to.line, column: to.column, offset: end))
  }

  private func member(_ key: String, _ value: JSONNode) -> JSONMember {
    JSONMember(key: key, keyStart: value.start, keyEnd: value.end, value: value)
  }

  /// The non-blank cells of a column: per record, nil where blank.
  private func cell(_ record: TableRecord, _ position: Int) -> TableField? {
    guard position < record.fields.count else { return nil }
    let field = record.fields[position]
    let text = field.text.trimmingWhitespace()
    return text.isEmpty ? nil : TableField(text: text, start: field.start, end: field.end)
  }

  /// A column given once for the whole table (subject, inputs, reported scores): the first line
  /// that fills it; another line with a different value is an error, not a silent choice.
  private mutating func tableCell(_ position: Int) -> TableField? {
    var found: TableField?
    for record in records {
      guard let field = cell(record, position) else { continue }
      guard let first = found else {
        found = field
        continue
      }
      if field.text != first.text, let column = header.columns[position]?.column {
        diagnostics.append(
          Diagnostic(
            .tableSyntax, at: file.span(field.start, field.end),
            "同一项目的“\(column.header)”各行填写不同：“\(first.text.visible(limit: 40))”与“\(field.text.visible(limit: 40))”",
            notes: ["按项目填写的数（预算数、填报总分等）只在第一行填写，或各行填写相同的值"]))
      }
    }
    return found
  }

  /// A cell as the JSON file would give it: a bare number under a unit header gets that unit;
  /// 是/否 and true/false for a 是否 input.
  private func value(_ field: TableField, unit: String?, cell index: Int?) -> JSONNode {
    var text = field.text
    if let index, plan.program.cells[index].type.isBooleanOrBooleans {
      switch text.lowercased() {
      case "true": return node(.bool(true), field.start, field.end)
      case "false": return node(.bool(false), field.start, field.end)
      default: break
      }
    }
    if let unit {
      let hasUnit = unit == "%" || unit == "％" ? text.hasSuffix("%") || text.hasSuffix("％") : text.hasSuffix("元")
      if !hasUnit { text += unit == "％" ? "%" : unit }
    }
    return node(.string(text), field.start, field.end)
  }

  mutating func build() -> JSONNode {
    let end = file.scalars.count
    var root: [JSONMember] = []
    var inputs: [(cell: Int, node: JSONNode)] = []
    var lists: [Int: [Int: (TableField, String?)]] = [:]
    var reasons: [Int: TableField] = [:]
    var project: [JSONMember] = []
    var reported: [JSONMember] = []
    var scores: [JSONMember] = []
    var useReported: [JSONMember] = []
    for (position, entry) in header.columns.enumerated() {
      guard let (column, unit) = entry else { continue }
      if case .tableRow = column.meaning { continue }
      guard let field = tableCell(position) else { continue }
      let text = node(.string(field.text), field.start, field.end)
      switch column.meaning {
      case .subject: root.append(member("subject", text))
      case .year: root.append(member("year", text))
      case .project(let key): project.append(member(key, text))
      case .input(let index, nil): inputs.append((index, value(field, unit: unit, cell: index)))
      case .input(let index, let element?): lists[index, default: [:]][element] = (field, unit)
      case .reason(let index): reasons[index] = field
      case .reportedTotal: reported.append(member("total", text))
      case .reportedGrade: reported.append(member("grade", text))
      case .reportedScore(let row): scores.append(member(plan.rows[row].indicator.name, text))
      case .useReported(let row): useReported.append(member(plan.rows[row].indicator.name, text))
      case .tableRow: break
      }
    }
    for (index, elements) in lists.sorted(by: { $0.key < $1.key }) {
      guard case .list(_, let count) = plan.program.cells[index].type else { continue }
      let name = plan.program.cells[index].name
      let missing = (0..<count).filter { elements[$0] == nil }
      let first = elements.values.map(\.0.start).min() ?? 0
      let last = elements.values.map(\.0.end).max() ?? first
      guard missing.isEmpty else {
        diagnostics.append(
          Diagnostic(
            .badValue, at: file.span(first, last),
            "\(name.quotedName)有 \(count) 列，\(missing.map { "\(name)\($0 + 1)".quotedName }.joined(separator: "、"))没有填写",
            notes: ["列表的各列要么都填，要么都空（都空表示缺少这项数据）"]))
        continue
      }
      let values = (0..<count).compactMap { elements[$0].map { value($0.0, unit: $0.1, cell: index) } }
      inputs.append((index, node(.array(values), first, last)))
    }
    inputs.sort { $0.node.start.offset < $1.node.start.offset }
    let inputMembers = inputs.map { input -> JSONMember in
      let name = plan.program.cells[input.cell].name
      guard let reason = reasons[input.cell] else { return member(name, input.node) }
      let object = JSONValue.object([
        member("value", input.node), member("reason", node(.string(reason.text), reason.start, reason.end)),
      ])
      return member(name, node(object, input.node.start.offset, input.node.end.offset))
    }
    root.append(member("inputs", node(.object(inputMembers), 0, end)))
    if !project.isEmpty { root.append(member("project", node(.object(project), 0, end))) }
    if !scores.isEmpty { reported.append(member("scores", node(.object(scores), 0, end))) }
    if !reported.isEmpty { root.append(member("reported", node(.object(reported), 0, end))) }
    if !useReported.isEmpty { root.append(member("useReported", node(.object(useReported), 0, end))) }
    if header.columns.contains(where: { if case .tableRow = $0?.column.meaning { true } else { false } }) {
      root.append(member("rows", node(.array(records.compactMap(tableRow)), 0, end)))
    }
    return node(.object(root), 0, end)
  }

  /// One project-table row from a record's row columns; a line that fills none of them has no row.
  private func tableRow(_ record: TableRecord) -> JSONNode? {
    var members: [JSONMember] = []
    for (position, entry) in header.columns.enumerated() {
      guard case .tableRow(let key)? = entry?.column.meaning, position < record.fields.count else { continue }
      let field = record.fields[position]
      let text = field.text.trimmingWhitespace()
      // A blank name, target or actual is the table's blank cell (""); other blank cells are absent fields.
      guard !text.isEmpty || key == "name" || key == "target" || key == "actual" else { continue }
      members.append(member(key, node(.string(text), field.start, field.end)))
    }
    guard members.contains(where: { !($0.value.stringValue ?? "").isEmpty }) else { return nil }
    return node(.object(members), record.fields.first?.start ?? 0, record.fields.last?.end ?? 0)
  }
}

extension ValueType {
  fileprivate var isBooleanOrBooleans: Bool {
    switch self {
    case .boolean: true
    case .list(let element, _): element == .boolean
    default: false
    }
  }
}
