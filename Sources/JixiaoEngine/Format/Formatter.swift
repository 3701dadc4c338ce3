/// `jixiao fmt`: rewrites a rules file in the canonical layout below. It works on the token stream
/// (with comments), so the file's meaning cannot change; a file with lexical or syntax errors is not
/// formatted, its diagnostics are returned instead.
///
/// Canonical layout
/// ----------------
/// Text. Every token keeps its text exactly as written: names (quotes inside, `“三公经费”变动率`),
/// numbers (`18,779.46`, `95%`), dates (`2024-06-30`, `2024年6月30日`),
/// strings with their quotes (`"…"` or `“…”`, escapes and line breaks inside them included),
/// keywords in the language they were written in (`指标` stays `指标`, `indicator` stays
/// `indicator`) and punctuation in the width it was written in (`（` stays `（`, `(` stays `(`).
/// Comments (`#` or `//` to the end of the line) keep their text; only trailing whitespace goes.
///
/// Lines. The author's line breaks between tokens are kept: a token that began a line still begins
/// one, and no line is joined or split. Runs of blank lines become one blank line; blank lines at
/// the start and end of the file, right after a line ending in `{` and right before a line starting
/// with `}` are removed. Trailing whitespace is removed, lines end in `\n` (CRLF input is
/// accepted) and the file ends with exactly one line break.
///
/// Indentation. Two spaces per level. The contents of a `{ … }` block that spans lines are indented
/// one level deeper than the line holding its `{`; a line starting with `}` is indented like the
/// line holding the matching `{` (with several leading `}`, the last one decides). Inside a block,
/// a line is at the block's level when it starts an item:
///   - a declaration or member: 规则集 满分 精度 等级 输入 评审 设 指标 说明 标准 得分 测试 期望 逐行
///     行评分 方法 选用 同义 未达成 换算 (or their English spellings);
///   - an arm or entry of 分档, 清单, 等级, 选用, 换算 or a 测试's 输入 block, or a word of 同义 or
///     未达成;
///   - a line starting with `{`.
/// Any other line continues the item begun above it (a formula broken across lines, the further
/// strings of a 说明 or 标准, a 缺省 on its own line, the `= 公式` of a 方法) and is indented one
/// level deeper than the block's level, however deep the author had indented it.
///
/// Spacing within a line. One space between tokens, except:
///   - none just inside brackets `( ) [ ] （ ） 【 】`, and none between a name and the `（`/`(` right
///     after it (a function call, `金额（万元）`, `选项（甲，乙）`, a declared range `百分比（-100%..）`);
///   - none before a separator `，；、,;`; one after a half-width `,` or `;`, none after a full-width
///     `，`, `；` or `、` (which carry their own space), as in `封顶（执行率，100%）`,
///     `{ 优 ≥ 90；良 ≥ 80；差 }` and `[75%, 90%)`;
///   - none on either side of the type colon `：` (`全年预算数：金额（万元）`), none before and one after a
///     half-width `:` (`budget: amount(万元)`), and none on either side of the range `..`/`~`
///     (`0..1 分`);
///   - none between a unary minus and its operand (`-1`, `－甲`);
///   - none between a full-width closing bracket `）】］` and an operator symbol after it, which it
///     already sets apart: `（甲 + 乙）× 2`, `封顶（…）＋ 1`;
///   - a block on one line has one space inside its braces: `{ 逐行 }`, `{ "甲" → 1；"乙" → 0 }`.
/// So binary operators (`+ - × ÷ = ≠ < ≤ > ≥ →`, half- or full-width or ASCII spellings) and keywords
/// have one space on each side.
///
/// Arrow alignment. In a 分档 block whose braces are on different lines and whose arms each start
/// a line of their own with their `→` on that line, the arrows line up: each pattern is padded to
/// 15 columns (display width, a Chinese character counting two), or to one more than the widest
/// pattern when that is wider.
///
/// Comments. A comment after code on the same line stays there, four spaces after the code. A
/// comment on a line of its own is indented like the next line of code (like the block's items
/// when that line is the closing `}`).
///
/// The result formats to itself: format(format(x)) == format(x).
public enum Formatter {
  public static func format(_ source: SourceFile) -> Result<String, [Diagnostic]> {
    let (syntax, diagnostics) = Parser.parse(source)
    guard !diagnostics.hasErrors else { return .failure(diagnostics) }
    let (allTokens, comments, _) = Lexer.tokenize(source, keepComments: true)
    let tokens = allTokens.filter { $0.kind != .endOfFile }
    let layout = FormatLayout(source: source, tokens: tokens, comments: comments, syntax: syntax)
    let text = layout.render()

    // The layout only moves whitespace; make sure of it before handing the text back.
    let (newTokens, newComments, newDiagnostics) = Lexer.tokenize(
      SourceFile(path: source.path, text: text), keepComments: true)
    let sameTokens = newTokens.filter { $0.kind != .endOfFile }.map(\.kind) == tokens.map(\.kind)
    let sameComments = newComments.map(\.text) == comments.map { FormatLayout.trimmingTrailingWhitespace($0.text) }
    guard newDiagnostics.isEmpty, sameTokens, sameComments else {
      return .failure([
        Diagnostic(
          .syntax, at: .unknown(source.path), "格式化后文件的含义会改变，文件没有格式化",
          notes: ["这是格式化程序的缺陷，请把这个规则文件报告给维护人员"])
      ])
    }
    return .success(text)
  }
}

/// So that `Formatter.format` can return every diagnostic of a file as its failure.
extension Array: @retroactive Error where Element == Diagnostic {}

/// The tokens and comments of one source line.
private struct SourceLine {
  var tokens: Range<Int>
  var comment: CommentTrivia?
  /// At least one blank line separated it from the line above in the source.
  var blankBefore: Bool
}

/// Where items start and where the 分档 blocks are, read from the syntax tree.
private struct SyntaxMarks {
  /// Offsets of the first token of every arm or entry: band arms, checklist items, grades, method
  /// choices, conversions and a test's inputs.
  var itemStarts: Set<Int> = []
  /// Each 分档: where its subject ends (its `{` is the next brace) and where its arms start.
  var bands: [(subjectEnd: Int, arms: [Int])] = []

  init(_ file: RulesFileSyntax) {
    var expressions: [Expression] = []
    func add(_ inputs: [InputSyntax]) { expressions += inputs.compactMap(\.defaultValue) }
    func add(_ definitions: [DefinitionSyntax]) { expressions += definitions.map(\.value) }
    var indicators: [IndicatorSyntax] = []
    for ruleset in file.rulesets {
      itemStarts.formUnion((ruleset.grades ?? []).map(\.span.start.offset))
      add(ruleset.inputs)
      add(ruleset.definitions)
      indicators += ruleset.indicators
      if let scoring = ruleset.rowScoring {
        expressions += scoring.methods.compactMap(\.formula)
        itemStarts.formUnion(scoring.methods.flatMap(\.judgment).map(\.span.start.offset))
        itemStarts.formUnion(scoring.choices.map(\.span.start.offset))
        itemStarts.formUnion(scoring.conversions.map(\.span.start.offset))
      }
    }
    while let indicator = indicators.popLast() {
      add(indicator.inputs)
      add(indicator.definitions)
      if let score = indicator.score { expressions.append(score) }
      indicators += indicator.children
    }
    for test in file.tests {
      itemStarts.formUnion(test.inputs.map(\.span.start.offset))
      add(test.inputs)
      add(test.expectations)
    }
    while let expression = expressions.popLast() {
      switch expression.kind {
      case .bands(let subject, let arms):
        bands.append((subject.span.end.offset, arms.map(\.span.start.offset)))
        itemStarts.formUnion(arms.map(\.span.start.offset))
        expressions.append(subject)
        for arm in arms {
          expressions.append(arm.result)
          switch arm.pattern {
          case .compare(_, let bound): expressions.append(bound)
          case .interval(let lower, _, let upper, _): expressions += [lower, upper]
          case .option, .otherwise: break
          }
        }
      case .checklist(let items):
        itemStarts.formUnion(items.map(\.span.start.offset))
        expressions += items.flatMap { [$0.condition, $0.points] }
      default:
        expressions += expression.children
      }
    }
  }
}

/// Lays out one parsed file; see `Formatter` for the rules.
struct FormatLayout {
  static let indentWidth = 2
  static let commentGap = 4
  static let arrowColumn = 15

  private let tokens: [Token]
  private var lines: [SourceLine] = []
  private var lineOf: [Int] = []
  /// Spaces before each token that does not start its line.
  private var gaps: [Int] = []
  /// Indentation level of each line.
  private var levels: [Int] = []

  init(source: SourceFile, tokens: [Token], comments: [CommentTrivia], syntax: RulesFileSyntax) {
    self.tokens = tokens
    let marks = SyntaxMarks(syntax)
    splitLines(source: source, comments: comments)
    computeGaps()
    alignBands(marks)
    computeLevels(marks)
  }

  // MARK: Lines

  private mutating func splitLines(source: SourceFile, comments: [CommentTrivia]) {
    let scalars = source.scalars
    var previousEnd: Int?
    var tokenIndex = 0
    var commentIndex = 0
    lineOf = Array(repeating: 0, count: tokens.count)
    while tokenIndex < tokens.count || commentIndex < comments.count {
      let takeComment =
        commentIndex < comments.count
        && (tokenIndex >= tokens.count || comments[commentIndex].start < tokens[tokenIndex].start)
      let start = takeComment ? comments[commentIndex].start : tokens[tokenIndex].start
      let end = takeComment ? comments[commentIndex].end : tokens[tokenIndex].end
      var breaks = 0
      if let previousEnd {
        for offset in previousEnd..<start where scalars[offset] == "\n" { breaks += 1 }
      }
      if previousEnd == nil || breaks > 0 {
        lines.append(SourceLine(tokens: tokenIndex..<tokenIndex, comment: nil, blankBefore: breaks > 1))
      }
      if takeComment {
        lines[lines.count - 1].comment = comments[commentIndex]
        commentIndex += 1
      } else {
        lineOf[tokenIndex] = lines.count - 1
        tokenIndex += 1
        lines[lines.count - 1].tokens = lines[lines.count - 1].tokens.lowerBound..<tokenIndex
      }
      previousEnd = end
    }
  }

  // MARK: Spacing

  private func isSymbol(_ index: Int, _ symbols: Symbol...) -> Bool {
    guard case .symbol(let symbol) = tokens[index].kind else { return false }
    return symbols.contains(symbol)
  }

  private func isWord(_ index: Int) -> Bool {
    switch tokens[index].kind {
    case .name, .keyword: true
    default: false
    }
  }

  /// A value or a closing bracket ends here, so a minus after it subtracts.
  private func endsOperand(_ index: Int) -> Bool {
    switch tokens[index].kind {
    case .name, .number, .string, .keyword(.yes), .keyword(.no): true
    case .symbol(let symbol): [.rightParen, .rightBracket, .rightBrace].contains(symbol)
    default: false
    }
  }

  private func isUnaryMinus(_ index: Int) -> Bool {
    isSymbol(index, .minus) && (index == 0 || !endsOperand(index - 1))
  }

  private func isOperator(_ index: Int) -> Bool {
    isSymbol(
      index, .plus, .minus, .times, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .arrow)
  }

  private mutating func computeGaps() {
    gaps = Array(repeating: 0, count: tokens.count)
    for index in tokens.indices.dropFirst() where lineOf[index] == lineOf[index - 1] {
      gaps[index] = spaces(between: index - 1, and: index)
    }
  }

  /// Spaces between two tokens on one line.
  private func spaces(between left: Int, and right: Int) -> Int {
    let leftText = tokens[left].text
    if isSymbol(left, .leftBrace) || isSymbol(right, .rightBrace) || isSymbol(right, .leftBrace) { return 1 }
    if isSymbol(left, .leftParen, .leftBracket) || isSymbol(right, .rightParen, .rightBracket) { return 0 }
    // 、 right after a word would be read as part of that word.
    if isSymbol(right, .comma, .semicolon) { return tokens[right].text == "、" && isWord(left) ? 1 : 0 }
    if isSymbol(left, .comma, .semicolon) { return leftText == "," || leftText == ";" ? 1 : 0 }
    // English style keeps a space after a half-width colon: `input budget: amount(万元)`.
    if isSymbol(left, .colon) && leftText == ":" { return 1 }
    if isSymbol(left, .colon, .range) || isSymbol(right, .colon, .range) { return 0 }
    if isUnaryMinus(left) { return 0 }
    if isSymbol(right, .leftParen), case .name = tokens[left].kind { return 0 }
    if isSymbol(left, .rightParen, .rightBracket), leftText != ")", leftText != "]", isOperator(right) { return 0 }
    return 1
  }

  // MARK: Arrow alignment

  private mutating func alignBands(_ marks: SyntaxMarks) {
    var indexAt: [Int: Int] = [:]
    for (index, token) in tokens.enumerated() { indexAt[token.start] = index }
    var matching: [Int: Int] = [:]
    var open: [Int] = []
    for index in tokens.indices {
      if isSymbol(index, .leftBrace) { open.append(index) }
      if isSymbol(index, .rightBrace), let opener = open.popLast() { matching[opener] = index }
    }
    let lineStarts = Set(lines.map(\.tokens.lowerBound))
    for band in marks.bands {
      guard
        let brace = tokens.indices.first(where: { tokens[$0].start >= band.subjectEnd && isSymbol($0, .leftBrace) }),
        let close = matching[brace], lineOf[brace] != lineOf[close]
      else { continue }
      var arms: [(start: Int, arrow: Int, width: Int)] = []
      for offset in band.arms {
        guard let start = indexAt[offset], lineStarts.contains(start), let arrow = arrow(after: start),
          lineOf[arrow] == lineOf[start]
        else {
          arms = []
          break
        }
        var pattern = tokens[start].text
        for index in (start + 1)..<arrow {
          pattern += String(repeating: " ", count: gaps[index]) + tokens[index].text
        }
        arms.append((start, arrow, DisplayWidth.of(pattern)))
      }
      guard let widest = arms.map(\.width).max() else { continue }
      let column = max(FormatLayout.arrowColumn, widest + 1)
      for arm in arms { gaps[arm.arrow] = column - arm.width }
    }
  }

  /// The → of the arm starting at `start`, outside any block nested in its pattern.
  private func arrow(after start: Int) -> Int? {
    var depth = 0
    for index in start..<tokens.count {
      if isSymbol(index, .leftBrace) { depth += 1 }
      if isSymbol(index, .rightBrace) {
        if depth == 0 { return nil }
        depth -= 1
      }
      if depth == 0, isSymbol(index, .arrow) { return index }
    }
    return nil
  }

  // MARK: Indentation

  private static let memberKeywords: Set<Keyword> = [
    .ruleset, .fullMarks, .precision, .grades, .input, .assess, .letBinding, .indicator, .description, .standard,
    .score, .test, .expect, .rows, .rowScoring, .method, .choose, .synonyms, .failing, .conversions,
  ]

  /// Members written with a plain word rather than a keyword.
  private static let memberWords: Set<String> = ["删除", "remove", "表头", "columns"]

  private mutating func computeLevels(_ marks: SyntaxMarks) {
    struct Block {
      /// Level of the line holding the `{`.
      var level: Int
      /// 同义 { … } or 未达成 { … }: every word is an item.
      var isWordList: Bool
    }
    var blocks: [Block] = []
    levels = Array(repeating: 0, count: lines.count)
    /// For each line of code, the level of a comment line right above it.
    var commentLevels: [Int?] = Array(repeating: nil, count: lines.count)
    for (number, line) in lines.enumerated() where !line.tokens.isEmpty {
      var index = line.tokens.lowerBound
      let itemLevel = blocks.last.map { $0.level + 1 } ?? 0
      var level: Int
      if isSymbol(index, .rightBrace) {
        var closed = blocks.last
        while index < line.tokens.upperBound, isSymbol(index, .rightBrace) {
          closed = blocks.popLast() ?? closed
          index += 1
        }
        level = closed?.level ?? 0
        commentLevels[number] = itemLevel
      } else {
        let first = tokens[index]
        var startsItem = marks.itemStarts.contains(first.start) || isSymbol(index, .leftBrace)
        if case .keyword(let keyword) = first.kind, FormatLayout.memberKeywords.contains(keyword) { startsItem = true }
        if case .name(let word) = first.kind, FormatLayout.memberWords.contains(word) { startsItem = true }
        // Outside every block each line is a top-level item: 适用 "…", 规则集, 测试.
        if blocks.last?.isWordList == true || blocks.isEmpty { startsItem = true }
        level = itemLevel + (startsItem ? 0 : 1)
        commentLevels[number] = level
      }
      for index in index..<line.tokens.upperBound {
        if isSymbol(index, .leftBrace) {
          let wordList =
            index > 0 && (tokens[index - 1].kind == .keyword(.synonyms) || tokens[index - 1].kind == .keyword(.failing))
          blocks.append(Block(level: level, isWordList: wordList))
        } else if isSymbol(index, .rightBrace) {
          _ = blocks.popLast()
        }
      }
      levels[number] = level
    }
    // A comment line takes the level of the next line of code.
    var next = 0
    for number in lines.indices.reversed() {
      if let level = commentLevels[number] { next = level } else { levels[number] = next }
    }
  }

  // MARK: Output

  static func trimmingTrailingWhitespace(_ text: String) -> String {
    var scalars = text.unicodeScalars
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }

  func render() -> String {
    var output: [String] = []
    for (number, line) in lines.enumerated() {
      if line.blankBefore, number > 0, !output.isEmpty {
        let previous = lines[number - 1].tokens
        let afterBrace = !previous.isEmpty && isSymbol(previous.upperBound - 1, .leftBrace)
        let beforeBrace = !line.tokens.isEmpty && isSymbol(line.tokens.lowerBound, .rightBrace)
        if !afterBrace && !beforeBrace { output.append("") }
      }
      var text = String(repeating: " ", count: levels[number] * FormatLayout.indentWidth)
      for index in line.tokens {
        if index != line.tokens.lowerBound { text += String(repeating: " ", count: gaps[index]) }
        text += tokens[index].text
      }
      if let comment = line.comment {
        if !line.tokens.isEmpty { text += String(repeating: " ", count: FormatLayout.commentGap) }
        text += FormatLayout.trimmingTrailingWhitespace(comment.text)
      }
      output.append(FormatLayout.trimmingTrailingWhitespace(text))
    }
    return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
  }
}
