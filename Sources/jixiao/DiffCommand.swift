import JixiaoEngine

extension Commands {
  static let diffUsage = """
    用法：jixiao diff 旧规则文件 新规则文件 [--data 数据文件或文件夹...] [--format text|markdown|json]
    比较两个版本的评分标准，列出修订说明：指标的增删、改名和移动，分值的调整，公式与分档的变化，
    各单位须填报的数据的变化，等级的变化；说明、标准等文字的变化单独列出。
    选项：
      --data 数据文件或文件夹   按新旧两版规则分别计分，列出每个单位的综合评分、等级和变动的指标
      --format text|markdown|json   输出格式（默认 text；markdown 即可分发的修订说明）
    退出码：0 计分规则相同（文字可能不同）；1 计分规则不同，或规则有错误；2 用法错误
    """

  static func diff(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: ["format", "data"], flags: [], usage: diffUsage, terminal)
    guard let format = SheetRenderer.Format(rawValue: arguments.options["format"] ?? "text") else {
      terminal.error("选项 --format 只能是 text、markdown 或 json\n\n\(diffUsage)")
      return 2
    }
    guard arguments.positional.count == 2 else {
      terminal.error("请给出旧、新两个规则文件\n\n\(diffUsage)")
      return 2
    }
    let compiled = Files.Compiled()
    guard let old = plan(arguments.positional[0], compiled, terminal),
      let new = plan(arguments.positional[1], compiled, terminal)
    else { return 1 }
    let dataPaths = arguments.options["data"].map { Files.expand([$0], extensions: [".json"]) } ?? []
    var effects: [RevisionEffect] = []
    let renames = RulesDiff.renames(old: old.program, new: new.program)
    for path in dataPaths {
      do {
        effects.append(RevisionEffect(data: try Files.read(path), old: old, new: new, renames: renames))
      } catch {
        terminal.error(error.message)
      }
    }
    let diff = RulesDiff(old: old.program, new: new.program)
    terminal.out(DiffRenderer.render(diff, effects: effects, format: format))
    return diff.isEquivalent ? 0 : 1
  }
}
