/// The files of a ready-to-install VS Code extension for rules files: the grammar, the language
/// configuration (comments, brackets including full-width ones, auto-closing “”), a manifest and
/// a client script with no npm dependency that starts `jixiao lsp`.
public enum VSCodeExtension {
  public static var files: [(path: String, text: String)] {
    [
      ("package.json", manifest.rendered() + "\n"),
      ("language-configuration.json", languageConfiguration.rendered() + "\n"),
      ("syntaxes/jixiao.tmLanguage.json", SyntaxGrammar.textMate.rendered() + "\n"),
      ("extension.js", clientScript + "\n"),
    ]
  }

  static var manifest: JSONOutput {
    .object([
      ("name", .string("jixiao-rules")), ("displayName", .string("Jixiao 绩效规则")),
      ("description", .string("预算绩效评价规则文件（.rules）的语法着色、即时检查、悬停说明、跳转、补全与格式化")),
      ("version", .string(Compiler.version)), ("publisher", .string("jixiao")),
      ("engines", .object([("vscode", .string("^1.75.0"))])),
      ("categories", .array([.string("Programming Languages")])),
      ("activationEvents", .array([.string("onLanguage:jixiao")])), ("main", .string("./extension.js")),
      (
        "contributes",
        .object([
          (
            "languages",
            .array([
              .object([
                ("id", .string("jixiao")), ("aliases", .array([.string("绩效规则"), .string("Jixiao")])),
                ("extensions", .array([.string(".rules")])),
                ("configuration", .string("./language-configuration.json")),
              ])
            ])
          ),
          (
            "grammars",
            .array([
              .object([
                ("language", .string("jixiao")), ("scopeName", .string(SyntaxGrammar.scopeName)),
                ("path", .string("./syntaxes/jixiao.tmLanguage.json")),
              ])
            ])
          ),
          (
            "configuration",
            .object([
              ("title", .string("Jixiao")),
              (
                "properties",
                .object([
                  (
                    "jixiao.path",
                    .object([
                      ("type", .string("string")), ("default", .string("jixiao")),
                      ("description", .string("jixiao 可执行文件的路径；不在 PATH 中时填写完整路径")),
                    ])
                  )
                ])
              ),
            ])
          ),
        ])
      ),
    ])
  }

  static var languageConfiguration: JSONOutput {
    let brackets = SyntaxGrammar.bracketPairs
    let closing = brackets + [("“", "”"), ("\"", "\"")]
    func pairs(_ list: [(String, String)]) -> JSONOutput {
      .array(list.map { .object([("open", .string($0.0)), ("close", .string($0.1))]) })
    }
    return .object([
      ("comments", .object([("lineComment", .string("#"))])),
      ("brackets", .array(brackets.map { .array([.string($0.0), .string($0.1)]) })),
      ("autoClosingPairs", pairs(closing)), ("surroundingPairs", pairs(closing)),
    ])
  }
}
