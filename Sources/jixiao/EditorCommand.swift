import JixiaoEngine

extension Commands {
  static let editorUsage = """
    用法：jixiao editor vscode 文件夹
    生成可直接安装的 VS Code 扩展：语法着色（由词法分析器的关键字和符号表生成）、
    注释与括号（含全角括号）的设置，以及启动 jixiao lsp 的扩展脚本（不需要 npm）。
    安装：jixiao editor vscode ~/.vscode/extensions/jixiao-rules，然后重启 VS Code。
    """

  static func editor(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: [], flags: [], usage: editorUsage, terminal)
    guard arguments.positional.count == 2, arguments.positional[0] == "vscode" else {
      terminal.error("请写 jixiao editor vscode 文件夹\n\n\(editorUsage)")
      return 2
    }
    let folder = arguments.positional[1].hasSuffix("/") ? arguments.positional[1] : arguments.positional[1] + "/"
    do {
      for (path, text) in VSCodeExtension.files {
        try Files.makeFolder(for: folder + path)
        try Files.write(text, to: folder + path)
      }
    } catch {
      terminal.error(error.message)
      return 1
    }
    terminal.error("已生成 VS Code 扩展：\(folder)（重启 VS Code 后打开 .rules 文件即可使用）")
    return 0
  }
}
