import JixiaoEngine

/// The commands: each parses its arguments, reads files, calls the engine and prints.
enum Commands {
  static let usage = """
    jixiao —— 预算绩效评价评分规则的检查与计分工具

    用法：
      jixiao check 文件或文件夹...            检查规则文件（.rules）和数据文件（.json）
      jixiao eval 规则文件 数据文件或文件夹... [选项]  按规则为每份数据计分，打印评分表
      jixiao test 文件或文件夹... [--coverage] 运行规则语言写的测试
      jixiao fmt [文件或文件夹...] [--check]   把规则文件整理成统一格式
      jixiao explain 诊断代码                 详细解释一个诊断代码（如 E013），附示例和改法
      jixiao bench 规则文件 数据文件 [--runs N] 测量检查与计分的速度
      jixiao --version                       显示版本
      jixiao 命令 --help                     显示该命令的说明

    退出码：0 无错误；1 发现错误；2 用法错误
    """

  static let checkUsage = """
    用法：jixiao check 文件或文件夹... [--rules 规则文件] [--format text|json|github] [--deny-warnings]
    检查规则文件（.rules）的语法、名称、类型和分值；
    检查数据文件（.json）能否按规则计分：数值写法、评审理由、缺少的输入、表格各行。
    数据文件按 --rules 给出的规则检查，没有 --rules 时按数据文件中 "rules" 字段所指的规则。
    文件夹表示其中全部 .rules 和 .json 文件。
    选项：
      --rules 规则文件     检查数据文件所用的规则
      --format text|json|github   诊断的输出格式（默认 text；github 为 GitHub Actions 的 ::error 注释）
      --deny-warnings      有警告也算失败
    退出码：0 无错误；1 发现错误（或有 --deny-warnings 时发现警告）；2 用法错误
    """

  static let evalUsage = """
    用法：jixiao eval 规则文件 数据文件或文件夹... [--format text|json|markdown] [--explain]
    按规则为每个数据文件计分，打印与评分标准相同结构的评分表、综合评分和等级，
    并列出与报告填报得分不一致的指标。文件夹表示其中全部 .json 文件。
    选项：
      --format text|json|markdown   输出格式（默认 text）；多个数据文件时 json 输出为数组
      --explain                     列出每项得分的计算过程（代入数值后的公式）
    退出码：0 计分完成；1 规则或数据有错误；2 用法错误
    """

  static func run(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let command = words.first else {
      terminal.error(usage)
      return 2
    }
    let rest = Array(words.dropFirst())
    switch command {
    case "--version", "version":
      terminal.out("jixiao \(Compiler.version)")
      return 0
    case "--help", "help", "-h":
      terminal.out(usage)
      return 0
    case "check": return check(rest, terminal)
    case "eval": return eval(rest, terminal)
    case "bench": return bench(rest, terminal)
    case "test": return test(rest, terminal)
    case "fmt": return format(rest, terminal)
    case "explain": return explain(rest, terminal)
    default:
      terminal.error("不认识的命令“\(command)”\n\n\(usage)")
      return 2
    }
  }

  static func parse(
    _ words: [String], values: Set<String>, flags: Set<String>, usage: String, _ terminal: Terminal
  ) -> Arguments? {
    do {
      return try Arguments(words, valueOptions: values, flagOptions: flags.union(["help"]))
    } catch {
      terminal.error("\(error.message)\n\n\(usage)")
      return nil
    }
  }

  static func check(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard
      let arguments = parse(words, values: ["format", "rules"], flags: ["deny-warnings"], usage: checkUsage, terminal)
    else {
      return 2
    }
    if arguments.flags.contains("help") {
      terminal.out(checkUsage)
      return 0
    }
    let format = arguments.options["format"] ?? "text"
    guard ["text", "json", "github"].contains(format) else {
      terminal.error("选项 --format 只能是 text、json 或 github，不能是“\(format)”\n\n\(checkUsage)")
      return 2
    }
    guard !arguments.positional.isEmpty else {
      terminal.error("请给出要检查的文件或文件夹\n\n\(checkUsage)")
      return 2
    }
    let paths = Files.expand(arguments.positional, extensions: [".rules", ".json"])
    if paths.isEmpty {
      terminal.error("没有找到要检查的 .rules 或 .json 文件")
      return 1
    }
    var diagnostics: [Diagnostic] = []
    let compiled = Files.Compiled()
    /// A rules file's diagnostics are reported the first time it is compiled, whoever names it.
    func compile(_ path: String) throws(Files.ReadError) -> CompiledRules {
      let (result, isNew) = try compiled.compile(path)
      if isNew { diagnostics += result.diagnostics }
      return result
    }
    // An unreadable file is one more finding; the other files are still checked.
    for path in paths where path.hasSuffix(".rules") {
      do {
        let file = try compile(path)
        // Tests are checked too: the names and values they use, against the rules they test.
        if !file.syntax.tests.isEmpty {
          let rulesPath = file.syntax.uses.map { Files.resolve($0.value, relativeTo: path) } ?? path
          if let plan = (try? compile(rulesPath))?.plan {
            diagnostics += TestChecker.diagnostics(file.syntax.tests, against: plan)
          }
        }
      } catch {
        diagnostics.append(error.diagnostic)
      }
    }
    for path in paths where !path.hasSuffix(".rules") {
      let data: SourceFile
      do {
        data = try Files.read(path)
      } catch {
        diagnostics.append(error.diagnostic)
        continue
      }
      compiled.remember(data)
      let reference = DepartmentData.rulesReference(in: data)
      guard let rulesPath = arguments.options["rules"] ?? reference.map({ Files.resolve($0.value, relativeTo: path) })
      else {
        terminal.error("“\(path)”没有 \"rules\" 字段，请用 --rules 指定规则文件")
        return 2
      }
      if arguments.options["rules"] == nil, let reference, !Files.exists(rulesPath) {
        diagnostics.append(
          Diagnostic(
            .rulesFileNotFound, at: reference.span,
            "数据文件的 \"rules\" 所指的规则文件“\(reference.value)”不存在：按数据文件所在的文件夹，它是“\(rulesPath)”",
            notes: [
              "\"rules\" 的路径从数据文件所在的文件夹写起，不是从运行命令的文件夹；也可以用 --rules 指定规则文件"
            ]))
        continue
      }
      do {
        if let plan = try compile(rulesPath).plan { diagnostics += Compiler.score(data, with: plan).diagnostics }
      } catch {
        diagnostics.append(error.diagnostic)
      }
    }
    switch format {
    case "json": terminal.out(DiagnosticRenderer.json(diagnostics).rendered())
    case "github": for line in DiagnosticRenderer.github(diagnostics) { terminal.out(line) }
    default:
      if !diagnostics.isEmpty { terminal.error(DiagnosticRenderer.text(diagnostics, files: compiled.files)) }
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    if format == "text" {
      terminal.error("检查了 \(paths.count) 个文件：\(errors) 个错误，\(warnings) 个警告")
    }
    return errors > 0 || (warnings > 0 && arguments.flags.contains("deny-warnings")) ? 1 : 0
  }

  static let testUsage = """
    用法：jixiao test 文件或文件夹... [--coverage]
    运行规则文件中的“测试”，以及 *.test.rules 测试文件（文件开头用 适用 "规则文件" 指明所测的规则）。
    每个失败的测试列出期望值、实际值和计算过程；最后一行为“N passed, N failed”。
    选项：
      --coverage   列出没有任何测试走到的分支、分档和清单项；有未覆盖的也算失败
    退出码：0 全部通过；1 有失败（或有未覆盖的规则）；2 用法错误
    """

  static func test(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: [], flags: ["coverage"], usage: testUsage, terminal) else { return 2 }
    if arguments.flags.contains("help") {
      terminal.out(testUsage)
      return 0
    }
    guard !arguments.positional.isEmpty else {
      terminal.error(testUsage)
      return 2
    }
    let paths = Files.expand(arguments.positional, extensions: [".rules"])
    if paths.isEmpty {
      terminal.error("没有找到 .rules 文件")
      return 1
    }
    let compiled = Files.Compiled()
    var passed = 0
    var failed = 0
    var problems = false
    var covered: [(String, Coverage)] = []
    var reported = Set<String>()
    var blocked = 0  // tests of rules that do not compile
    var untestable = Set<String>()
    /// A file that does not compile may have lost tests: its errors fail the run, shown once.
    func reportErrors(of path: String, _ result: CompiledRules) {
      guard result.diagnostics.hasErrors, reported.insert(path).inserted else { return }
      terminal.error(DiagnosticRenderer.text(result.diagnostics, files: compiled.files))
      problems = true
    }
    do {
      for path in paths {
        let file = try compiled.compile(path).result
        reportErrors(of: path, file)
        guard !file.syntax.tests.isEmpty else { continue }
        let rulesPath = file.syntax.uses.map { Files.resolve($0.value, relativeTo: path) } ?? path
        let rules = try compiled.compile(rulesPath).result
        guard !rules.syntax.rulesets.isEmpty else {
          terminal.error("\(path)：“适用”所指的“\(rulesPath)”中没有规则集，测试无从运行")
          problems = true
          continue
        }
        guard let plan = rules.plan else {
          reportErrors(of: rulesPath, rules)
          blocked += file.syntax.tests.count
          untestable.insert(rulesPath)
          continue
        }
        let coverage = covered.first { $0.0 == rulesPath }?.1 ?? Coverage()
        if !covered.contains(where: { $0.0 == rulesPath }) { covered.append((rulesPath, coverage)) }
        for outcome in TestRunner.run(file.syntax.tests, with: plan, coverage: coverage) {
          if outcome.passed {
            passed += 1
          } else {
            failed += 1
            terminal.out("✗ \(path):\(outcome.span.start.line) \(outcome.name)")
            for line in outcome.failures { terminal.out("  " + line) }
          }
        }
      }
    } catch {
      terminal.error(error.message)
      return 1
    }
    var uncovered = false
    if arguments.flags.contains("coverage") {
      // A rule file that no test exercises is the least covered of all.
      for path in paths
      where compiled.results[path]?.syntax.rulesets.isEmpty == false && !covered.contains(where: { $0.0 == path })
        && !untestable.contains(path)
      {
        terminal.out("\(path)：没有任何测试；请在同一文件夹写 *.test.rules，开头用 适用 \"…\" 指明此文件")
        uncovered = true
      }
      for (path, coverage) in covered {
        guard let program = compiled.results[path]?.plan?.program else { continue }
        let lines = coverage.unreached(in: program)
        terminal.out(lines.isEmpty ? "\(path)：分支、分档和清单项全部被测试覆盖" : "\(path)：以下规则没有测试走到（\(lines.count) 处）")
        for line in lines { terminal.out("  " + line) }
        uncovered = uncovered || !lines.isEmpty
      }
    }
    if blocked > 0 { terminal.out("\(blocked) 个测试因规则有错误而未能运行") }
    if !reported.subtracting(untestable).isEmpty {
      terminal.out("\(reported.subtracting(untestable).count) 个文件有错误（见上），其中的测试可能没有全部读到")
    }
    terminal.out("\(passed) passed, \(failed) failed")
    return failed > 0 || problems || uncovered ? 1 : 0
  }

  static func eval(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: ["format"], flags: ["explain"], usage: evalUsage, terminal) else {
      return 2
    }
    if arguments.flags.contains("help") {
      terminal.out(evalUsage)
      return 0
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
    files[rules.path] = rules
    let compiled = Compiler.compile(rules)
    guard let plan = compiled.plan else { return fail(compiled.diagnostics) }
    var failed = false
    // Each sheet is printed as soon as it is scored; only a line per sheet is kept, for the overview.
    var overview: [[String]] = []
    if format == .json && asArray { terminal.out("[") }
    for (position, path) in dataPaths.enumerated() {
      var diagnostics: [Diagnostic] = []
      var sheet: ScoreSheet?
      var sources = [rules.path: rules]
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

  static let benchUsage = """
    用法：jixiao bench 规则文件 数据文件 [--runs N]
    把规则检查、生成计划各做 N 次，再用同一个计划为数据计分 N 次，打印每次的平均耗时。
    用于比较性能；单元测试中不计时。N 默认 1000。
    """

  static func bench(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: ["runs"], flags: [], usage: benchUsage, terminal) else { return 2 }
    if arguments.flags.contains("help") {
      terminal.out(benchUsage)
      return 0
    }
    guard arguments.positional.count == 2 else {
      terminal.error("请给出一个规则文件和一个数据文件\n\n\(benchUsage)")
      return 2
    }
    guard let runs = Int(arguments.options["runs"] ?? "1000"), (1...1_000_000).contains(runs) else {
      terminal.error("--runs 应是 1 到 1000000 之间的整数\n\n\(benchUsage)")
      return 2
    }
    do {
      let rules = try Files.read(arguments.positional[0])
      let data = try Files.read(arguments.positional[1])
      let clock = ContinuousClock()
      var plan: EvaluationPlan?
      let compiling = clock.measure {
        for _ in 0..<runs { plan = Compiler.compile(rules).plan }
      }
      guard let plan else {
        terminal.error("规则有错误，请先运行 jixiao check")
        return 1
      }
      // Timing a run that stops at an error would measure the wrong thing.
      let trial = Compiler.score(data, with: plan)
      guard !trial.diagnostics.hasErrors else {
        terminal.error(DiagnosticRenderer.text(trial.diagnostics, files: [rules.path: rules, data.path: data]))
        return 1
      }
      var total: ExactDecimal?
      let scoring = clock.measure {
        for _ in 0..<runs { total = Compiler.score(data, with: plan).sheet?.total }
      }
      let explaining = clock.measure {
        for _ in 0..<runs { _ = Compiler.score(data, with: plan, explain: true) }
      }
      func each(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        return "\(nanoseconds / Int64(runs) / 1000) 微秒/次"
      }
      terminal.out("规则 \(rules.path)：检查并生成计划 \(each(compiling))")
      terminal.out(
        "数据 \(data.path)：读取并计分 \(each(scoring))，含计算过程 \(each(explaining))（\(runs) 次，总分 \(total?.description ?? "—")）")
      return 0
    } catch {
      terminal.error(error.message)
      return 1
    }
  }

  static let fmtUsage = """
    用法：jixiao fmt [文件或文件夹...] [--check]
    把规则文件整理成统一的格式（缩进、空格、空行），保留注释和中英文关键字的写法。
    不给文件时从标准输入读、向标准输出写。
    选项：
      --check   不改文件，只列出格式不统一的文件
    退出码：0 已整理（或 --check 时全部统一）；1 有语法错误，或 --check 时有文件需要整理；2 用法错误
    """

  static func format(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: [], flags: ["check"], usage: fmtUsage, terminal) else { return 2 }
    if arguments.flags.contains("help") {
      terminal.out(fmtUsage)
      return 0
    }
    let check = arguments.flags.contains("check")
    guard !arguments.positional.isEmpty else {
      let source: SourceFile
      do {
        source = try Files.readStandardInput()
      } catch {
        terminal.error(error.message)
        return 1
      }
      switch Formatter.format(source) {
      case .success(let formatted):
        terminal.out(String(formatted.dropLast(formatted.hasSuffix("\n") ? 1 : 0)))
        return 0
      case .failure(let diagnostics):
        terminal.error(DiagnosticRenderer.text(diagnostics, files: [source.path: source]))
        return 1
      }
    }
    var status: Int32 = 0
    for path in Files.expand(arguments.positional, extensions: [".rules"]) {
      do {
        let source = try Files.read(path)
        switch Formatter.format(source) {
        case .success(let formatted):
          let original = String(String.UnicodeScalarView(source.scalars))
          guard formatted != original else { continue }
          if check {
            terminal.out("\(path)：格式需要整理（运行 jixiao fmt \(path)）")
            status = 1
          } else {
            try Files.write(formatted, to: path)
            terminal.error("已整理 \(path)")
          }
        case .failure(let diagnostics):
          terminal.error(DiagnosticRenderer.text(diagnostics, files: [path: source]))
          status = 1
        }
      } catch {
        terminal.error(error.message)
        status = 1
      }
    }
    return status
  }

  static let explainUsage = """
    用法：jixiao explain 诊断代码
    详细解释一个诊断代码：检查的是什么、出错的示例、诊断信息和改法。代码如 E013、W003（不分大小写）。
    jixiao explain --list 列出全部代码。
    """

  static func explain(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: [], flags: ["list"], usage: explainUsage, terminal) else { return 2 }
    if arguments.flags.contains("help") {
      terminal.out(explainUsage)
      return 0
    }
    if arguments.flags.contains("list") {
      for code in DiagnosticCode.allCases { terminal.out("\(code.rawValue)  \(code.title)") }
      return 0
    }
    guard arguments.positional.count == 1 else {
      terminal.error("请给出一个诊断代码，如 jixiao explain E013\n\n\(explainUsage)")
      return 2
    }
    let wanted = arguments.positional[0].uppercased()
    guard let code = DiagnosticCode(rawValue: wanted) else {
      terminal.error("没有诊断代码“\(arguments.positional[0])”；jixiao explain --list 列出全部代码")
      return 2
    }
    terminal.out(code.explanation)
    return 0
  }
}
