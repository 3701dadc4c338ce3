/// A CSV or TSV file read line by line: the header, then one department per row, or for project
/// tables the rows of one 项目编码 in a row. Each is decoded as a JSON data file would be and
/// scored; every record gives exactly one item, so records in = scored + refused.
public struct TableBatch {
  public let path: String
  let plan: EvaluationPlan
  private let hints: TableHints
  private var parser: CSVParser
  private var header: TableHeader?
  /// The header's problems, once it is read: with any error, no row is scored.
  public private(set) var headerDiagnostics: [Diagnostic] = []
  public private(set) var headerFile: SourceFile?
  /// A project table being gathered: its records and the 项目编码 they share.
  private var group: [TableRecord] = []
  private var groupCode: String?
  private var groupProblems: [Diagnostic] = []
  /// For callers that print scores only (CSV output): plain lines are scored the short way with it.
  private let compiled: CompiledPlan?
  var plain: PlainRows?
  /// The other core's short way, and the chunk it is working on (see `feed(_ lines:)`).
  var helper: ChunkHelper?
  var pending: Chunk?
  /// Whether the next line begins a record (no quoted field is open).
  var isIdle: Bool { parser.isIdle }

  /// `compiled`: the items need only the scores (CSV output), so plain lines take the short way.
  public init(path: String, separator: Unicode.Scalar, plan: EvaluationPlan, compiled: CompiledPlan? = nil) {
    self.path = path
    self.plan = plan
    hints = TableHints(plan: plan)
    parser = CSVParser(separator: separator)
    self.compiled = compiled
  }

  /// One line of the file without its line feed, or nil for a line whose bytes are not text in
  /// the file's encoding. Returns the items it completes.
  public mutating func feed(_ line: String?, number: Int, shortWay: Bool = true) -> [BatchItem] {
    guard let line else {
      let start = parser.abandon() ?? number
      let problem = Diagnostic(
        .tableEncoding, at: position(line: number), "第 \(number) 行含有不是本文件编码（UTF-8 或 GB18030）的字节，这一行无法读取",
        notes: ["请用 Excel“另存为”CSV UTF-8（逗号分隔）重新保存，或检查文件是否被截断、拼接"])
      guard header != nil else {
        // Without its header no row can be read: the file's rows are all refused.
        headerDiagnostics.append(problem)
        header = TableHeader(unreadable: problem)
        return []
      }
      if groupCode != nil {
        groupProblems.append(problem)
        return []
      }
      return [BatchItem(line: start, diagnostics: [problem])]
    }
    if shortWay, parser.isIdle, let item = plain?.score(line, number: number) { return [item] }
    guard let record = parser.feed(line.unicodeScalars, number: number) else { return [] }
    return take(record)
  }

  /// The items still open at the end of the file.
  public mutating func finish() -> [BatchItem] {
    var items = takePending()
    if let open = parser.finish() { items += take(open) }
    items += flush()
    if header == nil && headerDiagnostics.isEmpty {
      headerDiagnostics.append(Diagnostic(.badTableHeader, at: position(line: 1), "表格是空的：没有表头，也没有数据行"))
    }
    return items
  }

  private func position(line: Int) -> SourceSpan {
    let at = SourcePosition(line: line, column: 1, offset: 0)
    return SourceSpan(file: path, start: at, end: at)
  }

  private mutating func take(_ record: TableRecord) -> [BatchItem] {
    guard let header else {
      if record.isBlank { return [] }
      let file = SourceFile(path: path, scalars: record.text)
      let read = TableHeader(record, file: file, plan: plan)
      headerDiagnostics += read.diagnostics.map { $0.shifted(by: record.line - 1) }
      if let problem = record.problem {
        headerDiagnostics.append(
          Diagnostic(.tableSyntax, at: file.span(problem.offset, problem.offset + 1), problem.message))
      }
      headerFile = record.line == 1 ? file : nil
      self.header = read
      if let compiled, !headerDiagnostics.hasErrors && !read.diagnostics.hasErrors {
        plain = PlainRows(header: read, compiled: compiled, separator: parser.separator)
        helper = PlainRows(header: read, compiled: compiled, separator: parser.separator).map(ChunkHelper.init)
      }
      return []
    }
    if record.isBlank { return [] }
    var problems: [Diagnostic] = []
    // Made only for a problem to point at: the record's own text is laid out again when scored.
    var file: SourceFile { SourceFile(path: path, scalars: record.text) }
    if let problem = record.problem {
      problems.append(Diagnostic(.tableSyntax, at: file.span(problem.offset, problem.offset + 1), problem.message))
    }
    let width = header.columns.count
    if record.problem == nil,
      record.fields.count < width || record.fields.dropFirst(width).contains(where: { !$0.text.isEmpty })
    {
      let last = record.fields.last
      problems.append(
        Diagnostic(
          .tableSyntax, at: file.span(last?.start ?? 0, last?.end ?? 0),
          "这一行有 \(record.fields.count) 列，表头有 \(width) 列",
          notes: ["含逗号、引号或换行的格要用引号括起；空格也要留出位置（写成连续的逗号）"]))
    }
    problems = problems.map { $0.shifted(by: record.line - 1) }
    guard let codeColumn = header.projectCode else {
      return [score([record], header: header, problems: problems)]
    }
    let code = codeColumn < record.fields.count ? record.fields[codeColumn].text.trimmingWhitespace() : ""
    var items: [BatchItem] = []
    if code != groupCode || group.isEmpty { items = flush() }
    groupCode = code
    group.append(record)
    groupProblems += problems
    return items
  }

  /// The project table gathered so far, scored.
  private mutating func flush() -> [BatchItem] {
    defer {
      group = []
      groupCode = nil
      groupProblems = []
    }
    guard let header, !group.isEmpty else { return [] }
    return [score(group, header: header, problems: groupProblems)]
  }

  private func score(_ records: [TableRecord], header: TableHeader, problems: [Diagnostic]) -> BatchItem {
    let first = records[0].line
    guard !header.diagnostics.hasErrors && !headerDiagnostics.hasErrors else {
      return BatchItem(line: first, diagnostics: problems, headerRefused: true)
    }
    guard !problems.hasErrors else { return BatchItem(line: first, diagnostics: problems) }
    // The records are consecutive lines: one text, with each record's fields moved to its place.
    var text: [Unicode.Scalar] = []
    var placed: [TableRecord] = []
    for var record in records {
      if !text.isEmpty { text.append("\n") }
      let shift = text.count
      record.fields = record.fields.map { TableField(text: $0.text, start: $0.start + shift, end: $0.end + shift) }
      text += record.text
      placed.append(record)
    }
    let file = SourceFile(path: path, scalars: text)
    var object = TableObject(header: header, plan: plan, file: file, records: placed)
    let root = object.build()
    var item = BatchItem.scoring(
      root, in: file, plan: plan, line: first, found: object.diagnostics, keysAreUnique: true
    ) {
      span in
      column(of: span, in: placed, header: header)
    }
    item.diagnostics = item.diagnostics.map(hints.rewrite)
    item.sheet?.diagnostics = item.diagnostics
    return item
  }

  /// The header of the column a place in the records' text falls in.
  private func column(of span: SourceSpan, in records: [TableRecord], header: TableHeader) -> String? {
    for record in records {
      for (position, field) in record.fields.enumerated()
      where field.start <= span.start.offset && span.end.offset <= field.end && position < header.columns.count {
        return header.columns[position]?.column.header
      }
    }
    return nil
  }
}
