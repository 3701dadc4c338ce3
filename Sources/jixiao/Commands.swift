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
      jixiao diff 旧规则文件 新规则文件 [--data 数据]  修订说明：两版评分标准的变化及对得分的影响
      jixiao doc 规则文件 [--format markdown|html]  印出公布用的评分表
      jixiao template 规则文件 [--output 文件]  生成各单位填报用的空白数据文件
      jixiao bench 规则文件 数据文件 [--runs N] 测量检查与计分的速度
      jixiao lsp                             作为语言服务器供编辑器使用（诊断、悬停、跳转、补全、格式化）
      jixiao editor vscode 文件夹            生成 VS Code 扩展（语法着色并启动 jixiao lsp）
      jixiao --version                       显示版本
      jixiao 命令 --help                     显示该命令的说明

    退出码：0 无错误；1 发现错误；2 用法错误
    """

  static func run(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let command = words.first else {
      terminal.error(usage)
      return 2
    }
    let rest = Array(words.dropFirst())
    do throws(Exit) {
      return try run(command, rest, terminal)
    } catch {
      return error.status
    }
  }

  private static func run(_ command: String, _ rest: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    switch command {
    case "--version", "version":
      terminal.out("jixiao \(Compiler.version)")
      return 0
    case "--help", "help", "-h":
      terminal.out(usage)
      return 0
    case "check": return try check(rest, terminal)
    case "eval": return try eval(rest, terminal)
    case "bench": return bench(rest, terminal)
    case "test": return try test(rest, terminal)
    case "fmt": return try format(rest, terminal)
    case "explain": return try explain(rest, terminal)
    case "diff": return try diff(rest, terminal)
    case "doc": return try doc(rest, terminal)
    case "template": return try template(rest, terminal)
    case "lsp": return try lsp(rest, terminal)
    case "editor": return try editor(rest, terminal)
    default:
      terminal.error("不认识的命令“\(command)”\n\n\(usage)")
      return 2
    }
  }

  /// The plan of a rules file, or nil with the reason printed (a read failure or the rules' errors).
  static func plan(_ path: String, _ compiled: Files.Compiled, _ terminal: Terminal) -> EvaluationPlan? {
    do {
      let (result, _) = try compiled.compile(path)
      if result.plan == nil { terminal.error(DiagnosticRenderer.text(result.diagnostics, files: compiled.files)) }
      return result.plan
    } catch {
      terminal.error(error.message)
      return nil
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

  /// How a command ends before doing its work: `--help` answered (0) or a usage error printed (2).
  struct Exit: Error {
    var status: Int32
  }

  /// A command's arguments, or its end: `--help` prints the usage, a wrong option says so with it.
  static func readArguments(
    _ words: [String], values: Set<String>, flags: Set<String>, usage: String, _ terminal: Terminal
  ) throws(Exit) -> Arguments {
    guard let arguments = parse(words, values: values, flags: flags, usage: usage, terminal) else {
      throw Exit(status: 2)
    }
    if arguments.flags.contains("help") {
      terminal.out(usage)
      throw Exit(status: 0)
    }
    return arguments
  }
}
