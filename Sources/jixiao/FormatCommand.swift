import JixiaoEngine

extension Commands {
  static let fmtUsage = """
    用法：jixiao fmt [文件或文件夹...] [--check]
    把规则文件整理成统一的格式（缩进、空格、空行），保留注释和中英文关键字的写法。
    不给文件时从标准输入读、向标准输出写。
    选项：
      --check   不改文件，只列出格式不统一的文件
    退出码：0 已整理（或 --check 时全部统一）；1 有语法错误，或 --check 时有文件需要整理；2 用法错误
    """

  static func format(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: [], flags: ["check"], usage: fmtUsage, terminal)
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
}
