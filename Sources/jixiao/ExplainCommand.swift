import JixiaoEngine

extension Commands {
  static let explainUsage = """
    用法：jixiao explain 诊断代码
    详细解释一个诊断代码：检查的是什么、出错的示例、诊断信息和改法。代码如 E013、W003（不分大小写）。
    jixiao explain --list 列出全部代码。
    """

  static func explain(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: [], flags: ["list"], usage: explainUsage, terminal)
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
