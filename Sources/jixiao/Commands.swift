import JixiaoEngine

/// The commands: each parses its arguments, reads files, calls the engine and prints.
enum Commands {
  static let usage = """
    jixiao —— 预算绩效评价评分规则的检查与计分工具

    用法：
      jixiao check 文件或文件夹...            检查规则文件（.rules）
      jixiao eval 规则文件 数据文件 [选项]      按规则为一个单位的数据计分，打印评分表
      jixiao bench 规则文件 数据文件 [--runs N] 测量检查与计分的速度
      jixiao --version                       显示版本
      jixiao 命令 --help                     显示该命令的说明

    退出码：0 无错误；1 发现错误；2 用法错误
    """

  static let checkUsage = """
    用法：jixiao check 文件或文件夹... [--format text|json]
    检查规则文件的语法、名称、类型和分值；文件夹表示其中全部 .rules 文件。
    选项：
      --format text|json   诊断的输出格式（默认 text）
    退出码：0 无错误；1 发现错误；2 用法错误
    """

  static let evalUsage = """
    用法：jixiao eval 规则文件 数据文件 [--format text|json|markdown] [--explain]
    按规则为数据文件中的单位计分，打印与评分标准相同结构的评分表、综合评分和等级，
    并列出与报告填报得分不一致的指标。
    选项：
      --format text|json|markdown   输出格式（默认 text）
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
    guard let arguments = parse(words, values: ["format"], flags: [], usage: checkUsage, terminal) else { return 2 }
    if arguments.flags.contains("help") {
      terminal.out(checkUsage)
      return 0
    }
    let format = arguments.options["format"] ?? "text"
    guard ["text", "json"].contains(format), !arguments.positional.isEmpty else {
      terminal.error(checkUsage)
      return 2
    }
    var diagnostics: [Diagnostic] = []
    var files: [String: SourceFile] = [:]
    let paths = Files.expand(arguments.positional, extension: ".rules")
    if paths.isEmpty {
      terminal.error("没有找到要检查的 .rules 文件")
      return 1
    }
    for path in paths {
      do {
        let source = try Files.read(path)
        files[path] = source
        diagnostics += Compiler.compile(source).diagnostics
      } catch {
        terminal.error(error.message)
        return 1
      }
    }
    if format == "json" {
      terminal.out(DiagnosticRenderer.json(diagnostics).rendered())
    } else if !diagnostics.isEmpty {
      terminal.error(DiagnosticRenderer.text(diagnostics, files: files))
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    if format == "text" {
      terminal.error("检查了 \(paths.count) 个文件：\(errors) 个错误，\(warnings) 个警告")
    }
    return errors > 0 ? 1 : 0
  }

  static func eval(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: ["format"], flags: ["explain"], usage: evalUsage, terminal) else {
      return 2
    }
    if arguments.flags.contains("help") {
      terminal.out(evalUsage)
      return 0
    }
    guard arguments.positional.count == 2,
      let format = SheetRenderer.Format(rawValue: arguments.options["format"] ?? "text")
    else {
      terminal.error(evalUsage)
      return 2
    }
    let explain = arguments.flags.contains("explain")
    var files: [String: SourceFile] = [:]
    do {
      let rules = try Files.read(arguments.positional[0])
      files[rules.path] = rules
      let compiled = Compiler.compile(rules)
      guard let plan = compiled.plan else {
        terminal.error(DiagnosticRenderer.text(compiled.diagnostics, files: files))
        return 1
      }
      let data = try Files.read(arguments.positional[1])
      files[data.path] = data
      let (sheet, diagnostics) = Compiler.score(data, with: plan, explain: explain || format != .json)
      if !diagnostics.isEmpty { terminal.error(DiagnosticRenderer.text(diagnostics, files: files)) }
      guard let sheet else { return 1 }
      terminal.out(SheetRenderer.render(sheet, format: format, explain: explain))
      return diagnostics.hasErrors ? 1 : 0
    } catch {
      terminal.error(error.message)
      return 1
    }
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
    guard arguments.positional.count == 2, let runs = Int(arguments.options["runs"] ?? "1000"), runs > 0 else {
      terminal.error(benchUsage)
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
}
