/// The TextMate grammar editors colour rules files with, generated from the lexer's own tables
/// (keywords, functions, symbols, the full-width forms it reads as plain ones) so that it cannot
/// drift from the language.
public enum SyntaxGrammar {
  public static let scopeName = "source.jixiao"

  public static var textMate: JSONOutput {
    .object([
      ("name", .string("Jixiao 绩效规则")), ("scopeName", .string(scopeName)), ("fileTypes", .array([.string("rules")])),
      (
        "patterns",
        .array(
          ["comment", "string", "date", "number", "keyword", "function", "operator"].map {
            .object([("include", .string("#" + $0))])
          })
      ),
      (
        "repository",
        .object([
          ("comment", match("comment.line.jixiao", "(?:" + ["#", "//"].map(spelled).joined(separator: "|") + ").*$")),
          (
            "string",
            .object([
              (
                "patterns",
                .array([
                  .object([
                    ("name", .string("string.quoted.double.jixiao")), ("begin", .string("\"")), ("end", .string("\"")),
                    ("patterns", .array([match("constant.character.escape.jixiao", "\\\\.")])),
                  ]),
                  // “…” may hold “quotes” of its own.
                  .object([
                    ("name", .string("string.quoted.other.jixiao")), ("begin", .string("“")), ("end", .string("”")),
                    ("patterns", .array([.object([("include", .string("#string"))])])),
                  ]),
                ])
              )
            ])
          ),
          (
            "date",
            match(
              "constant.numeric.date.jixiao",
              "\(digit){4}(?:-\(digit){1,2}-\(digit){1,2}|年\(digit){1,2}月\(digit){1,2}日)")
          ),
          ("number", match("constant.numeric.jixiao", "\(digit)+(?:,\(digit){3})*(?:\\.\(digit)+)?[%％]?")),
          ("keyword", match("keyword.control.jixiao", words(Keyword.allCases.flatMap(\.spellings)))),
          ("function", match("support.function.jixiao", words(Builtin.allCases.flatMap(\.spellings)))),
          (
            "operator",
            match("keyword.operator.jixiao", "(?:" + operatorSpellings.map(spelled).joined(separator: "|") + ")")
          ),
        ])
      ),
    ])
  }

  /// Every spelling of a symbol the lexer reads, longest first so that `>=` wins over `>`.
  static var operatorSpellings: [String] {
    let pairs = Lexer.symbolPairs.map { String($0.0) + String($0.1) }
    let singles = Lexer.singleSymbols.keys.map { String($0) }
    return Set(pairs + singles + ["【", "】"]).sorted { ($0.count, $0) > ($1.count, $1) }
  }

  /// The brackets the lexer reads, each in its plain and full-width form, and 【】.
  public static var bracketPairs: [(String, String)] {
    let plain: [(Unicode.Scalar, Unicode.Scalar)] = [("(", ")"), ("[", "]"), ("{", "}")]
    return plain.flatMap { open, close in
      [(String(open), String(close)), (String(fullWidth(open)), String(fullWidth(close)))]
    } + [("【", "】")]
  }

  private static let digit = "[0-9０-９]"

  private static func match(_ name: String, _ pattern: String) -> JSONOutput {
    .object([("name", .string(name)), ("match", .string(pattern))])
  }

  /// Whole words only: a keyword inside a longer name (得分率) is part of the name.
  private static func words(_ spellings: [String]) -> String {
    let sorted = spellings.sorted { ($0.count, $0) > ($1.count, $1) }
    return "(?<![\\p{L}\\p{N}_、])(?:" + sorted.map { $0.unicodeScalars.map(escape).joined() }.joined(separator: "|")
      + ")(?![\\p{L}\\p{N}_、])"
  }

  /// A spelling as a pattern: each character escaped, and a printable ASCII one also matched in
  /// its full-width form (＞＝ for >=), as the lexer reads it.
  static func spelled(_ spelling: String) -> String {
    spelling.unicodeScalars.map { scalar in
      let escaped = escape(scalar)
      guard (0x21...0x7E).contains(scalar.value), !scalar.properties.isAlphabetic else { return escaped }
      return "[" + escaped + String(fullWidth(scalar)) + "]"
    }.joined()
  }

  private static func fullWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    "\\^$.|?*+()[]{}".unicodeScalars.contains(scalar) ? "\\" + String(scalar) : String(scalar)
  }
}
