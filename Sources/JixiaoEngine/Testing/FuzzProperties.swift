/// What must hold for any text at all: the properties the fuzz targets in Tests/Fuzz check on
/// random inputs, and that `swift test` checks on the cases fuzzing once broke. Each function
/// returns the properties broken, in words (empty when all hold); a trap or a hang breaks them too.
public enum FuzzProperties {
  /// A rules text compiles; a ruleset has a plan exactly when it has no error; every diagnostic lies
  /// inside the file and prints no control character; and where it can be formatted, formatting
  /// twice changes nothing and the formatted file has the same diagnostics.
  public static func rules(_ text: String) -> [String] {
    let source = SourceFile(path: "fuzz.rules", text: text)
    let compiled = Compiler.compile(source)
    var broken = shown(compiled.diagnostics, in: source)
    // A file of tests alone has no plan and no error.
    if !compiled.syntax.rulesets.isEmpty, (compiled.plan == nil) != compiled.diagnostics.hasErrors {
      broken.append("有计划却有错误，或无错误却无计划")
    }
    guard case .success(let formatted) = Formatter.format(source) else { return broken }
    let again = SourceFile(path: "fuzz.rules", text: formatted)
    switch Formatter.format(again) {
    case .success(let twice) where twice != formatted: broken.append("格式化两次的结果不同")
    case .failure(let diagnostics): broken.append("格式化后的文件不能再格式化：\(diagnostics.map(\.message))")
    default: break
    }
    let before = compiled.diagnostics.map { "\($0.code.rawValue) \($0.severity)" }
    let after = Compiler.compile(again).diagnostics.map { "\($0.code.rawValue) \($0.severity)" }
    if before != after { broken.append("格式化改变了诊断：\(before) → \(after)") }
    return broken
  }

  /// A data text scored against a plan: a sheet, or errors saying why not; without an error, the
  /// total inside [0, 满分]; every diagnostic and every rendering of the sheet free of control characters.
  public static func data(_ text: String, plan: EvaluationPlan) -> [String] {
    let source = SourceFile(path: "fuzz.json", text: text)
    let (sheet, diagnostics) = Compiler.score(source, with: plan, explain: true)
    var broken = shown(diagnostics, in: source)
    guard let sheet else {
      if !diagnostics.hasErrors { broken.append("没有得分表，也没有错误") }
      return broken
    }
    // A table whose rows carry more points than the rules allow says so (E013) and may then total more.
    if let total = sheet.total, !diagnostics.hasErrors, total < .zero || total > sheet.fullMarks {
      broken.append("总分 \(total) 超出 [0, \(sheet.fullMarks)]，却没有错误")
    }
    for format in [SheetRenderer.Format.text, .markdown, .json] {
      if hasControl(SheetRenderer.render(sheet, format: format, explain: true)) {
        broken.append("\(format) 得分表中有控制字符")
      }
    }
    return broken
  }

  /// A table text (CSV: a header, then lines) scored for CSV output both ways: plain lines the
  /// short way (`PlainRows`) and every line the full way give the same output, line for line.
  public static func table(_ text: String, plan: EvaluationPlan) -> [String] {
    // Without a compiled plan every line goes the full way, both times.
    guard let compiled = CompiledPlan(plan) else { return [] }
    func outputs(_ compiled: CompiledPlan?) -> [[String]] {
      var batch = TableBatch(path: "fuzz.csv", separator: ",", plan: plan, compiled: compiled)
      var items: [BatchItem] = []
      // Lines as the batch reader cuts them: at each line feed byte, a CR before it kept.
      for (index, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        items += batch.feed(String(String.UnicodeScalarView(line)), number: index + 1)
      }
      return (items + batch.finish()).map { BatchRenderer.csvRow($0, file: "fuzz.csv", plan: plan) }
    }
    let (short, full) = (outputs(compiled), outputs(nil))
    guard short.count == full.count else { return ["两种读法的记录数不同：\(short.count) 与 \(full.count)"] }
    return zip(short, full).compactMap { $0 == $1 ? nil : "第 \($1[1]) 行两种读法结果不同：\($0) 与 \($1)" }
  }

  private static func shown(_ diagnostics: [Diagnostic], in source: SourceFile) -> [String] {
    diagnostics.compactMap { diagnostic in
      let span = diagnostic.span
      if span.start.offset > source.scalars.count || span.end.offset < span.start.offset {
        return "\(diagnostic.code.rawValue) 的位置不在文件中"
      }
      return hasControl(DiagnosticRenderer.text(diagnostic, file: source)) ? "\(diagnostic.code.rawValue) 中有控制字符" : nil
    }
  }

  /// A character that would act on a terminal instead of being shown (a line break is fine).
  private static func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0 != "\n" && $0.properties.generalCategory == .control }
  }
}
