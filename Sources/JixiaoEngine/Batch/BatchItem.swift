/// One department or project table of a batch, scored or refused, with the line it starts on.
public struct BatchItem: Sendable {
  public var line: Int
  public var sheet: ScoreSheet?
  /// The scores of a line read and scored the short way (`PlainRows`), which has no sheet.
  public var compiled: CompiledScores?
  /// Its CSV row for that file, written ahead by the core that scored it (`TableBatch.feed(_ lines:)`).
  var csvRow: (file: String, bytes: [UInt8])?
  /// Everything found while reading and scoring it; a refused item has at least one error,
  /// except when the table's header is wrong (then `headerRefused`, said once for the file).
  public var diagnostics: [Diagnostic]
  public var headerRefused = false
  /// Scored means a sheet without errors: a sheet whose inputs are missing is refused.
  public var isScored: Bool { (sheet != nil || compiled != nil) && !diagnostics.hasErrors }

  public init(line: Int, sheet: ScoreSheet? = nil, diagnostics: [Diagnostic], headerRefused: Bool = false) {
    self.line = line
    self.sheet = sheet
    self.diagnostics = diagnostics
    self.headerRefused = headerRefused
  }

  init(line: Int, compiled: CompiledScores) {
    self.line = line
    self.compiled = compiled
    diagnostics = []
  }

  /// Decodes a record laid out as a data file's object and scores it, as `Compiler.score` does a
  /// file; `file` holds the record's own text, which starts on `line` of the batch file.
  static func scoring(
    _ root: JSONNode, in file: SourceFile, plan: EvaluationPlan, line: Int, found: [Diagnostic] = [],
    keysAreUnique: Bool = false, column: (SourceSpan) -> String? = { _ in nil }
  ) -> BatchItem {
    let decoded = DataDecoder.decode(root, in: file, for: plan, keysAreUnique: keysAreUnique)
    return scoring(decoded, in: file, plan: plan, line: line, found: found, column: column)
  }

  /// The same for a record already decoded.
  static func scoring(
    _ decoded: (DepartmentData?, [Diagnostic]), in file: SourceFile, plan: EvaluationPlan, line: Int,
    found: [Diagnostic] = [], column: (SourceSpan) -> String? = { _ in nil }
  ) -> BatchItem {
    var (data, diagnostics) = decoded
    diagnostics = found + diagnostics
    var sheet: ScoreSheet?
    if let data, !diagnostics.hasErrors {
      var scored = Scorer.score(data, with: plan, explain: false)
      diagnostics += scored.diagnostics
      scored.diagnostics = []
      sheet = scored
    }
    let located = diagnostics.inSourceOrder().map { diagnostic in
      guard diagnostic.span.file == file.path else { return diagnostic }
      var moved = diagnostic.shifted(by: line - 1)
      if let name = column(diagnostic.span) { moved.notes.insert("列：\(name)", at: 0) }
      return moved
    }
    sheet?.diagnostics = located
    return BatchItem(line: line, sheet: sheet, diagnostics: located)
  }
}

extension Diagnostic {
  /// The same diagnostic placed `lines` further down: a record's text starts on its own line of the file.
  func shifted(by lines: Int) -> Diagnostic {
    var moved = self
    moved.span.start.line += lines
    moved.span.end.line += lines
    return moved
  }
}

/// A JSON Lines file: one data object (as in a .json data file) per line, each scored on its own.
public struct JSONLinesBatch {
  public let path: String
  let plan: EvaluationPlan
  /// For callers that print scores only (CSV output): a record decoded without any diagnostic is
  /// scored by the compiled plan, without a sheet.
  private let compiled: CompiledPlan?
  private var frame: CompiledPlan.Frame?

  public init(path: String, plan: EvaluationPlan, compiled: CompiledPlan? = nil) {
    self.path = path
    self.plan = plan
    self.compiled = compiled
    frame = compiled?.frame()
  }

  /// The item of one line; a blank line is none. nil text: bytes that are not UTF-8.
  public mutating func feed(_ line: String?, number: Int) -> [BatchItem] {
    let at = SourcePosition(line: number, column: 1, offset: 0)
    guard let line else {
      let problem = Diagnostic(
        .tableEncoding, at: SourceSpan(file: path, start: at, end: at), "第 \(number) 行含有不是 UTF-8 编码的字节，这一行无法读取")
      return [BatchItem(line: number, diagnostics: [problem])]
    }
    guard !line.trimmingWhitespace().isEmpty else { return [] }
    let file = SourceFile(path: path, text: line)
    do {
      let decoded = DataDecoder.decode(try JSON.parse(line), in: file, for: plan)
      if let item = shortWay(decoded, line: number) { return [item] }
      return [BatchItem.scoring(decoded, in: file, plan: plan, line: number)]
    } catch {
      let problem = Diagnostic(
        .dataSyntax, at: file.span(error.position.offset, error.position.offset + 1), error.message)
      return [BatchItem(line: number, diagnostics: [problem.shifted(by: number - 1)])]
    }
  }

  /// The record's scores by the compiled plan, when it decodes without a single diagnostic (so
  /// that the full way would have nothing more to say) and the plan scores it cleanly.
  private mutating func shortWay(_ decoded: (DepartmentData?, [Diagnostic]), line: Int) -> BatchItem? {
    guard let compiled, var frame else { return nil }
    let (data, diagnostics) = decoded
    guard let data, diagnostics.isEmpty, let record = compiled.record(data), compiled.score(record, in: &frame)
    else { return nil }
    self.frame = frame
    let grade = frame.grade.map { plan.program.grades[$0].name }
    return BatchItem(
      line: line,
      compiled: CompiledScores(
        subject: data.subject, year: data.year, total: frame.total, grade: grade, scores: frame.scores))
  }
}
