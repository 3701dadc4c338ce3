import JixiaoEngine

extension Commands {
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

  static func check(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(
      words, values: ["format", "rules"], flags: ["deny-warnings"], usage: checkUsage, terminal)
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
      do throws(Files.ReadError) {
        let file = try compile(path)
        // Tests are checked too: the names and values they use, against the rules they test.
        if !file.syntax.tests.isEmpty {
          let rulesPath = file.syntax.uses.map { Files.resolve($0.value, relativeTo: path) } ?? path
          do {
            if let plan = try compile(rulesPath).plan {
              diagnostics += TestChecker.diagnostics(file.syntax.tests, against: plan)
            }
          } catch {
            // A test file whose 适用 names no file has tests that cannot run: as `test` says.
            guard let uses = file.syntax.uses, !Files.exists(rulesPath) else { throw error }
            diagnostics.append(
              missingRules(
                uses, resolved: rulesPath, field: "测试文件的“适用”", from: "测试文件",
                note: "“适用”的路径从测试文件所在的文件夹写起，不是从运行命令的文件夹"))
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
          missingRules(
            reference, resolved: rulesPath, field: "数据文件的 \"rules\" ", from: "数据文件",
            note: "\"rules\" 的路径从数据文件所在的文件夹写起，不是从运行命令的文件夹；也可以用 --rules 指定规则文件"))
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

  /// E050: a rules path written in a data file ("rules") or a test file (适用) names no file.
  static func missingRules(
    _ reference: Located<String>, resolved: String, field: String, from file: String, note: String
  ) -> Diagnostic {
    Diagnostic(
      .rulesFileNotFound, at: reference.span,
      "\(field)所指的规则文件“\(reference.value)”不存在：按\(file)所在的文件夹，它是“\(resolved)”", notes: [note])
  }
}
