import JixiaoEngine

extension Commands {
  static let evalUsage = """
    用法：jixiao eval 规则文件 数据文件或文件夹... [--format text|json|markdown] [--explain]
          jixiao eval 规则文件 表格.csv|.tsv|.jsonl... [--format csv|jsonl|json|html|text|markdown] [--output 文件]
    按规则为每个数据文件计分，打印与评分标准相同结构的评分表、综合评分和等级，
    并列出与报告填报得分不一致的指标。文件夹表示其中全部 .json 文件。
    表格（CSV、TSV 每行一个单位，JSON Lines 每行一个数据对象）逐行计分，每行输出一行结果，
    最后在标准错误上报告读入、计分、未计分的条数；有未计分的行时退出码为 1。
    选项：
      --format 格式                 输出格式（默认 text，表格默认 csv）；多个数据文件时 json 输出为数组
      --output 文件                 表格的结果写入该文件（先写临时文件，完成后改名；不能是输入文件）
      --explain                     列出每项得分的计算过程（代入数值后的公式）
    退出码：0 计分完成；1 规则或数据有错误；2 用法错误
    """

  static func eval(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(
      words, values: ["format", "output"], flags: ["explain"], usage: evalUsage, terminal)
    let tables = arguments.positional.dropFirst().filter(isTable)
    if !tables.isEmpty {
      guard tables.count == arguments.positional.count - 1, !arguments.flags.contains("explain") else {
        terminal.error("表格（.csv、.tsv、.jsonl）不能与 .json 数据文件或 --explain 一起使用\n\n\(evalUsage)")
        return 2
      }
      let format = arguments.options["format"] ?? "csv"
      guard batchFormats.contains(format) else {
        terminal.error("表格的 --format 只能是 \(batchFormats.joined(separator: "、"))，不能是“\(format)”\n\n\(evalUsage)")
        return 2
      }
      do {
        let rules = try Files.read(arguments.positional[0])
        let compiled = Files.compile(rules)
        guard let plan = compiled.plan else {
          let sources = Dictionary(
            uniqueKeysWithValues: ([compiled.source] + compiled.source.bases).map { ($0.path, $0) })
          terminal.error(DiagnosticRenderer.text(compiled.diagnostics, files: sources))
          return 1
        }
        return evalBatch(
          plan, rules: rules, tables: Array(tables), format: format, output: arguments.options["output"], terminal)
      } catch {
        terminal.error(DiagnosticRenderer.text([error.diagnostic], files: [:]))
        return 1
      }
    }
    guard arguments.options["output"] == nil else {
      terminal.error("--output 只用于表格（.csv、.tsv、.jsonl）的计分结果\n\n\(evalUsage)")
      return 2
    }
    guard let format = SheetRenderer.Format(rawValue: arguments.options["format"] ?? "text") else {
      terminal.error("选项 --format 只能是 text、json 或 markdown，不能是“\(arguments.options["format"] ?? "")”\n\n\(evalUsage)")
      return 2
    }
    guard arguments.positional.count >= 2 else {
      terminal.error("请给出一个规则文件和至少一个数据文件（或文件夹）\n\n\(evalUsage)")
      return 2
    }
    let explain = arguments.flags.contains("explain")
    let dataPaths = Files.expand(Array(arguments.positional.dropFirst()), extensions: [".json"])
    guard !dataPaths.isEmpty else {
      terminal.error("没有找到 .json 数据文件")
      return 1
    }
    // One object for one file; an array when several files or a folder were named.
    let asArray = dataPaths.count > 1 || dataPaths != Array(arguments.positional.dropFirst())
    var files: [String: SourceFile] = [:]
    /// Problems that stop before scoring still reach a JSON reader, on standard output.
    func fail(_ diagnostics: [Diagnostic]) -> Int32 {
      terminal.error(DiagnosticRenderer.text(diagnostics, files: files))
      if format == .json { terminal.out(DiagnosticRenderer.json(diagnostics).rendered()) }
      return 1
    }
    let rules: SourceFile
    do {
      rules = try Files.read(arguments.positional[0])
    } catch {
      return fail([error.diagnostic])
    }
    let compiled = Files.compile(rules)
    for file in [compiled.source] + compiled.source.bases { files[file.path] = file }
    guard let plan = compiled.plan else { return fail(compiled.diagnostics) }
    var failed = false
    // Each sheet is printed as soon as it is scored; only a line per sheet is kept, for the overview.
    var overview: [[String]] = []
    if format == .json && asArray { terminal.out("[") }
    for (position, path) in dataPaths.enumerated() {
      var diagnostics: [Diagnostic] = []
      var sheet: ScoreSheet?
      var sources = files
      do {
        let data = try Files.read(path)
        sources[data.path] = data
        (sheet, diagnostics) = Compiler.score(data, with: plan, explain: explain || format != .json)
      } catch {
        diagnostics = [error.diagnostic]
      }
      if !diagnostics.isEmpty { terminal.error(DiagnosticRenderer.text(diagnostics, files: sources)) }
      failed = failed || diagnostics.hasErrors || sheet == nil
      switch (format, sheet) {
      case (.json, _):
        // In the JSON array every file has its entry: a file that could not be scored gives its diagnostics.
        let entry =
          sheet.map(SheetRenderer.json)
          ?? .object([
            ("file", .string(path)), ("total", .null), ("grade", .null),
            ("diagnostics", .array(diagnostics.map(DiagnosticRenderer.json))),
          ])
        let last = position == dataPaths.count - 1
        terminal.out(asArray ? "  " + entry.rendered(indent: "  ") + (last ? "" : ",") : entry.rendered())
      case (_, let sheet?):
        if !overview.isEmpty { terminal.out("") }
        terminal.out(SheetRenderer.render(sheet, format: format, explain: explain))
        overview.append(SheetRenderer.overviewRow(sheet))
      default: break
      }
    }
    if format == .json && asArray { terminal.out("]") }
    if overview.count > 1 { terminal.out("\n" + SheetRenderer.overview(rows: overview, format: format)) }
    return failed ? 1 : 0
  }
}
