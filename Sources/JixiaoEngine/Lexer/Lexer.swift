/// Turns rule source text into tokens. Full-width and half-width punctuation read alike; a
/// problem becomes a diagnostic and lexing goes on, so one run reports every problem.
public struct Lexer {
  private let source: SourceFile
  private var scalars: [Unicode.Scalar] { source.scalars }
  private var index = 0
  private var tokens: [Token] = []
  public private(set) var diagnostics: [Diagnostic] = []
  /// Collected only when `keepComments` is set; the tokens are the same either way.
  private var keepComments = false
  private var comments: [CommentTrivia] = []

  public init(_ source: SourceFile) { self.source = source }

  public static func tokenize(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(source)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
  }

  /// The same tokens and diagnostics as `tokenize(_:)`, and with `keepComments` also every
  /// comment in source order (for the formatter).
  public static func tokenize(_ source: SourceFile, keepComments: Bool)
    -> (tokens: [Token], comments: [CommentTrivia], diagnostics: [Diagnostic])
  {
    var lexer = Lexer(source)
    lexer.keepComments = keepComments
    lexer.run()
    return (lexer.tokens, lexer.comments, lexer.diagnostics)
  }

  /// Full-width forms (U+FF01…U+FF5E) and a few other look-alikes, as their plain counterparts.
  static func normalized(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
    case 0x3000: " "
    case 0x2212: "-"  // the minus sign −, as in a 变动率 of −12.5%
    case 0x3010: "["
    case 0x3011: "]"
    default: scalar
    }
  }

  private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
    let position = index + ahead
    return position < scalars.count ? Lexer.normalized(scalars[position]) : nil
  }

  private mutating func run() {
    while let scalar = peek() {
      let start = index
      if Lexer.isWhitespace(scalar) {
        index += 1
      } else if scalar == "#" || (scalar == "/" && peek(1) == "/") {
        while let next = peek(), next != "\n" { index += 1 }
        if keepComments { comments.append(CommentTrivia(start: start, end: index, text: text(start, index))) }
      } else if isDigit(scalar) {
        lexNumber()
      } else if isNameStart(scalar) || quotedPartOfName(at: index, afterLetters: false) != nil {
        lexName()
      } else if scalar == "\"" || scalars[index] == "“" {
        lexString()
      } else if let symbol = lexSymbol() {
        add(.symbol(symbol), from: start)
      } else {
        index += 1
        diagnostics.append(
          Diagnostic(
            .unknownCharacter, at: source.span(start, index),
            "无法识别的字符“\(Lexer.visible(scalar))”",
            notes: [Lexer.hint(for: scalar, before: index < scalars.count ? scalars[index] : nil)]))
      }
    }
    tokens.append(Token(kind: .endOfFile, start: scalars.count, end: scalars.count, text: ""))
  }

  private mutating func add(_ kind: TokenKind, from start: Int) {
    tokens.append(Token(kind: kind, start: start, end: index, text: text(start, index)))
  }

  private func text(_ start: Int, _ end: Int) -> String {
    // Most tokens are one character ({, 1, ×): made directly, so a long file lexes fast.
    if end == start + 1 { return String(Character(scalars[start])) }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    return String(view)
  }

  /// A name, or a keyword. A name may hold quoted parts glued to its letters, as in “三公经费”变动率
  /// or 本级“三公”经费: the quotes are part of the name.
  private mutating func lexName() {
    let start = index
    while index < scalars.count {
      // A keyword such as 如果 does not take a quote after it: 如果“甲” is 如果 and a text.
      if scalars[index] == "“", index == start || Keyword.bySpelling[text(start, index)] == nil,
        let end = quotedPartOfName(at: index, afterLetters: index > start)
      {
        index = end
      } else if let next = peek(), isNameContinue(next) {
        index += 1
      } else {
        break
      }
    }
    let word = text(start, index)
    if let keyword = Keyword.bySpelling[word] {
      add(.keyword(keyword), from: start)
    } else {
      add(.name(word), from: start)
    }
  }

  /// Where a “…” at `position` ends when it belongs to a name: it closes on the same line, holds no
  /// other quote, and the letters of a name touch it, before it (`afterLetters`) or right after it
  /// (not a keyword such as 且, so `“按规定公开”且 …` stays a text and a keyword).
  private func quotedPartOfName(at position: Int, afterLetters: Bool) -> Int? {
    guard position < scalars.count, scalars[position] == "“" else { return nil }
    var end = position + 1
    while end < scalars.count, scalars[end] != "”" {
      if scalars[end] == "“" || scalars[end] == "\n" { return nil }
      end += 1
    }
    guard end < scalars.count, end > position + 1 else { return nil }
    end += 1
    var wordAfter = end
    while wordAfter < scalars.count, isNameContinue(Lexer.normalized(scalars[wordAfter])) { wordAfter += 1 }
    let letterAfter =
      end < scalars.count && isNameStart(Lexer.normalized(scalars[end]))
      && Keyword.bySpelling[text(end, wordAfter)] == nil
    return afterLetters || letterAfter ? end : nil
  }

  /// Whitespace, answered without the Unicode property tables for the usual ASCII characters.
  private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? scalar == " " || ("\t"..."\r").contains(scalar) : scalar.properties.isWhitespace
  }

  private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

  private func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "_" || (scalar.properties.isAlphabetic && !isDigit(scalar))
  }

  private func isNameContinue(_ scalar: Unicode.Scalar) -> Bool {
    isNameStart(scalar) || isDigit(scalar) || scalar == "、"
  }

  /// Digits with optional thousands separators (only half-width commas in groups of three),
  /// an optional fraction and an optional percent sign.
  private mutating func lexNumber() {
    let start = index
    if let end = dateEnd(),
      let parts = CivilDate.parts(of: String(String.UnicodeScalarView(scalars[start..<end].map(Lexer.normalized))))
    {
      index = end
      add(.date(year: parts.year, month: parts.month, day: parts.day), from: start)
      return
    }
    var digits = ""
    func takeDigits() {
      while let next = peek(), isDigit(next) {
        digits.unicodeScalars.append(next)
        index += 1
      }
    }
    takeDigits()
    while index < scalars.count, scalars[index] == ",", groupOfThreeFollows() {
      index += 1
      takeDigits()
    }
    if peek() == ".", let next = peek(1), isDigit(next) {
      digits += "."
      index += 1
      takeDigits()
    }
    let percent = peek() == "%"
    if percent { index += 1 }
    add(.number(digits, percent: percent), from: start)
  }

  /// Where a date written from here ends: four digits, then `-` or 年, month, `-` or 月, day, and 日
  /// after 月. Half-width digits only, so that the date's text is the date.
  private func dateEnd() -> Int? {
    var end = index
    func digits(_ most: Int) -> Bool {
      let start = end
      while end < scalars.count, end - start < most, isDigit(Lexer.normalized(scalars[end])) { end += 1 }
      return end > start && (end - start == most || most == 2)
    }
    guard digits(4), end < scalars.count else { return nil }
    let chinese = scalars[end] == "年"
    guard chinese || Lexer.normalized(scalars[end]) == "-" else { return nil }
    end += 1
    guard digits(2), end < scalars.count, Lexer.normalized(scalars[end]) == (chinese ? "月" : "-") else { return nil }
    end += 1
    guard digits(2) else { return nil }
    if chinese {
      guard end < scalars.count, scalars[end] == "日" else { return nil }
      end += 1
    } else if end < scalars.count, isDigit(Lexer.normalized(scalars[end])) || Lexer.normalized(scalars[end]) == "." {
      return nil
    }
    return end
  }

  private func groupOfThreeFollows() -> Bool {
    for ahead in 1...3 {
      guard let digit = peek(ahead), isDigit(digit) else { return false }
    }
    if let after = peek(4), isDigit(after) { return false }
    return true
  }

  /// "…" strings take backslash escapes; “…” strings may nest “quotes” and take none.
  /// What the writer probably meant by a character the rules do not use.
  static func hint(for scalar: Unicode.Scalar, before next: Unicode.Scalar?) -> String {
    switch scalar {
    case "." where next.map { ("0"..."9").contains($0) } == true: "小数点前要有数字，如 0.5"
    case "≧": "请写 ≥ 或 >="
    case "≦": "请写 ≤ 或 <="
    default: "规则中只能出现名称、数字、字符串和运算符号；说明文字请放在引号里，注释以 # 开头"
    }
  }

  /// A character as a message can show it: an invisible one (zero-width space, NUL, BOM) by its code.
  static func visible(_ scalar: Unicode.Scalar) -> String {
    let invisible =
      scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control
      || scalar.properties.isWhitespace
    return invisible
      ? scalar.codePoint + "（不可见字符）" : String(scalar)
  }

  private mutating func lexString() {
    let start = index
    let chinese = scalars[index] == "“"
    index += 1
    var value = String.UnicodeScalarView()
    var depth = 1
    while index < scalars.count {
      let scalar = scalars[index]
      if chinese {
        if scalar == "“" { depth += 1 }
        if scalar == "”" {
          depth -= 1
          if depth == 0 { break }
        }
      } else if scalar == "\"" {
        break
      } else if scalar == "\\", index + 1 < scalars.count {
        index += 1
        let escaped = scalars[index]
        let meanings: [Unicode.Scalar: Unicode.Scalar] = ["n": "\n", "t": "\t", "\"": "\"", "\\": "\\"]
        if let meaning = meanings[escaped] {
          value.append(meaning)
        } else {
          diagnostics.append(
            Diagnostic(
              .unknownCharacter, at: source.span(index - 1, index + 1), "无法识别的转义写法“\\\(escaped)”",
              notes: ["字符串中只能用 \\\"、\\\\、\\n、\\t；要写反斜杠本身请写 \\\\"]))
          value.append(escaped)
        }
        index += 1
        continue
      }
      if scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" && scalar != "\r" {
        // A NUL or an escape character would reach every sheet that quotes this text.
        diagnostics.append(
          Diagnostic(
            .unknownCharacter, at: source.span(index, index + 1), "字符串中有控制字符“\(Lexer.visible(scalar))”",
            notes: ["控制字符看不见，多半是从别处复制来的；请删去它（换行和制表可以写 \\n、\\t）"]))
      }
      value.append(scalar)
      index += 1
    }
    if index >= scalars.count {
      diagnostics.append(
        Diagnostic(
          .unterminatedString, at: source.span(start, start + 1), "字符串没有结束",
          notes: [chinese ? "在文件末尾前补上右引号 ”" : "在文件末尾前补上右引号 \""]))
    } else {
      index += 1
    }
    tokens.append(Token(kind: .string(String(value)), start: start, end: index, text: text(start, index)))
  }

  private mutating func lexSymbol() -> Symbol? {
    guard let first = peek() else { return nil }
    let second = peek(1)
    for (a, b, symbol) in Lexer.symbolPairs where first == a && second == b {
      index += 2
      return symbol
    }
    guard let symbol = Lexer.singleSymbols[first] else { return nil }
    index += 1
    return symbol
  }

  /// Two-character spellings of symbols (after full-width forms are read as plain ones); the
  /// editor grammar is generated from these tables too.
  static let symbolPairs: [(Unicode.Scalar, Unicode.Scalar, Symbol)] = [
    (">", "=", .greaterEqual), ("<", "=", .lessEqual), ("!", "=", .notEqual), ("<", ">", .notEqual),
    ("=", "=", .equal), ("-", ">", .arrow), ("=", ">", .arrow), (".", ".", .range),
  ]

  static let singleSymbols: [Unicode.Scalar: Symbol] = [
    "(": .leftParen, ")": .rightParen, "[": .leftBracket, "]": .rightBracket, "{": .leftBrace,
    "}": .rightBrace, ",": .comma, "、": .comma, ";": .semicolon, ":": .colon, "+": .plus, "-": .minus,
    "−": .minus, "×": .times, "*": .times, "÷": .divide, "/": .divide, "=": .equal, "≠": .notEqual,
    "<": .less, "≤": .lessEqual, "⩽": .lessEqual, ">": .greater, "≥": .greaterEqual,
    "⩾": .greaterEqual, "→": .arrow, "⇒": .arrow, "~": .range,
  ]
}
