import Foundation
import JixiaoEngine

extension Commands {
  static let templateUsage = """
    用法：jixiao template 规则文件 [--format json|csv] [--output 文件]
    生成各单位填报用的空白数据文件：每项输入的类型、单位、取值范围、说明，必填还是不填时如何计算；
    评审项附理由栏。填好后即可用 jixiao check 检查、jixiao eval 计分；空白的项按“未填写”处理，
    jixiao check 会逐项列出还缺哪些数据。
    选项：
      --format json|csv    输出格式（默认 json）；csv 是批量填报用的表头行（每项输入一列，表头带单位），
                           在 Excel 中逐行填写后可直接 jixiao eval 规则文件 表.csv
      --output 文件        写入文件（其中的 "rules" 按该文件所在的文件夹写成相对路径）；不写则打印
    退出码：0 成功；1 规则有错误；2 用法错误
    """

  static func template(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: ["format", "output"], flags: [], usage: templateUsage, terminal)
    let format = arguments.options["format"] ?? "json"
    guard arguments.positional.count == 1, ["json", "csv"].contains(format) else {
      terminal.error("请给出一个规则文件；--format 只能是 json 或 csv\n\n\(templateUsage)")
      return 2
    }
    let path = arguments.positional[0]
    guard let plan = plan(path, Files.Compiled(), terminal) else { return 1 }
    let output = arguments.options["output"]
    let rulesPath = output.map { Files.relativePath(to: path, from: $0) } ?? path
    let text =
      format == "csv"
      ? BatchRenderer.csvLine(BatchColumns.template(for: plan).map(\.header))
      : DataTemplate.json(plan, rulesPath: rulesPath).rendered()
    guard let output else {
      terminal.out(text)
      return 0
    }
    do {
      try Files.write(text + "\n", to: output)
      terminal.error("已写入 \(output)")
      return 0
    } catch {
      terminal.error(error.message)
      return 1
    }
  }
}
