import JixiaoEngine

extension Commands {
  static let docUsage = """
    用法：jixiao doc 规则文件 [--format markdown|html] [--changes-from 旧规则文件]
    把规则文件印成公布用的评分表：各级指标、分值、指标解释、评分标准和计分方法（分档列成小表，清单列出各项分值），
    评分等级，以及各单位须填报的数据（类型、单位、说明、不填时如何计算）。
    选项：
      --format markdown|html        输出格式（默认 markdown；html 是可直接打印的单个网页，A4 横向）
      --changes-from 旧规则文件      标出与旧版相比修订过的指标和文字
    退出码：0 成功；1 规则有错误；2 用法错误
    """

  static func doc(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: ["format", "changes-from"], flags: [], usage: docUsage, terminal)
    let format = arguments.options["format"] ?? "markdown"
    guard ["markdown", "html"].contains(format), arguments.positional.count == 1 else {
      terminal.error("请给出一个规则文件；--format 只能是 markdown 或 html\n\n\(docUsage)")
      return 2
    }
    let compiled = Files.Compiled()
    guard let current = plan(arguments.positional[0], compiled, terminal) else { return 1 }
    var diff: RulesDiff?
    if let older = arguments.options["changes-from"] {
      guard let old = plan(older, compiled, terminal) else { return 1 }
      diff = RulesDiff(old: old.program, new: current.program)
    }
    let document = StandardDocument(current.program, changesFrom: diff)
    terminal.out(format == "html" ? document.html() : document.markdown())
    return 0
  }
}
