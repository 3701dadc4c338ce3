/// Reads tokens into a syntax tree. On a mistake it records a diagnostic, skips to the next
/// declaration and goes on, so that one run reports every syntax error of a file.
public struct Parser {
  struct Failure: Error { var diagnostic: Diagnostic }

  static let maximumNesting = 64

  private let source: SourceFile
  private let tokens: [Token]
  /// Braces opened and not yet closed before each token (one more entry, for the end), counted
  /// once, so that recovering from an error or opening an indicator costs no rescan.
  private let openBracesBefore: [Int32]
  private var position = 0
  private var nesting = 0
  private var diagnostics: [Diagnostic] = []
  private var unreadDeclarations: Set<String> = []
  /// The first indicator whose closing brace is not indented like its opening line.
  private var misalignedClose: (name: String, line: Int)?
  /// The file is a revision (基于 …): an indicator may leave its points out.
  private var isRevision = false

  private func indentation(of token: Token) -> Int {
    source.lineScalars(source.position(at: token.start).line).prefix { $0 == " " || $0 == "\t" }.count
  }

  public static func parse(_ source: SourceFile) -> (syntax: RulesFileSyntax, diagnostics: [Diagnostic]) {
    let (tokens, lexical) = Lexer.tokenize(source)
    var parser = Parser(source: source, tokens: tokens)
    let syntax = parser.parseFile()
    let cascade = LexicalCascade(lexical, tokens: tokens)
    let own = parser.diagnostics.filter { !cascade.repeats($0) }
    return (syntax, lexical + own)
  }

  private init(source: SourceFile, tokens: [Token]) {
    self.source = source
    self.tokens = tokens
    var depth: Int32 = 0
    var before: [Int32] = [0]
    before.reserveCapacity(tokens.count + 1)
    for token in tokens {
      switch token.kind {
      case .symbol(.leftBrace): depth += 1
      case .symbol(.rightBrace): depth = max(0, depth - 1)
      default: break
      }
      before.append(depth)
    }
    openBracesBefore = before
  }

  // MARK: Token access

  private var current: Token { tokens[min(position, tokens.count - 1)] }
  private var previous: Token { tokens[max(0, min(position, tokens.count) - 1)] }

  private func span(of token: Token) -> SourceSpan { source.span(token.start, token.end) }
  private func span(from start: Token) -> SourceSpan { source.span(start.start, previous.end) }

  private mutating func advance() -> Token {
    let token = current
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private func check(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }
  private func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

  private mutating func accept(_ symbol: Symbol) -> Bool {
    guard check(symbol) else { return false }
    position += 1
    return true
  }

  private mutating func accept(_ keyword: Keyword) -> Bool {
    guard check(keyword) else { return false }
    position += 1
    return true
  }

  private mutating func expect(_ symbol: Symbol, _ what: String) throws(Failure) {
    guard accept(symbol) else { throw failure("这里应有\(what)") }
  }

  private func failure(_ expectation: String, notes: [String] = []) -> Failure {
    let found = current.kind == .endOfFile ? "文件结尾" : "“\(current.text)”"
    var notes = notes
    // “1,00”: digits, a comma and digits written together were meant as one number.
    if case .symbol(.comma) = current.kind, case .number = previous.kind, previous.end == current.start,
      position + 1 < tokens.count, case .number = tokens[position + 1].kind, tokens[position + 1].start == current.end
    {
      if current.text == "，" {
        notes.append(
          "全角逗号“，”不能作千位分隔符：请写成 \(previous.text),\(tokens[position + 1].text)（半角逗号），或不写分隔符")
      } else if current.text == "," {
        notes.append("千位分隔符只能每 3 位一组（如 18,779.46）；这里的逗号把一个数分成了两个")
      }
    }
    if case .name(let word) = current.kind, Parser.follows(previous) {
      // “执行率 x 3”, “3x10”: a letter x for ×.
      if let first = word.unicodeScalars.first, first == "x" || first == "X",
        word.unicodeScalars.dropFirst().allSatisfy({ ("0"..."9").contains($0) })
      {
        notes.append("字母“\(first)”不是乘号：乘法请写 × 或 *")
      }
      // “3.67 万”: the rules' numbers carry no unit; an amount's unit is in its declaration.
      if case .number = previous.kind, ["万", "亿", "元", "千元", "万元", "百万元", "千万元", "亿元"].contains(word) {
        notes.append(
          "规则中的数不带单位：金额的单位写在输入的声明中，如 输入 预算数：金额（万元），公式中写 \(previous.text) 即 \(previous.text) 万元")
      }
    }
    return Failure(
      diagnostic: Diagnostic(.syntax, at: span(of: current), "\(expectation)，但遇到了\(found)", notes: notes))
  }

  /// A token a value ends with, so that a word right after it is no new member but a slip in
  /// the middle of an expression.
  private static func follows(_ token: Token) -> Bool {
    switch token.kind {
    case .number, .name, .symbol(.rightParen): true
    default: false
    }
  }

  /// “关键字前后需要空格” only where a name has swallowed the keyword (如果 甲 > 乙则 5, 则5).
  private func spacingNote(_ keyword: String) -> [String] {
    let glued = [previous, current].contains { token in
      guard case .name(let word) = token.kind else { return false }
      return word.hasPrefix(keyword) || word.hasSuffix(keyword)
    }
    return glued ? ["关键字前后需要空格"] : []
  }

  /// `{ item；item … }`: items up to the closing brace, with separators between them optional.
  private mutating func parseBraced<Item>(
    opening: String = "左花括号 {", closing: String = "右花括号 }", _ item: (inout Parser) throws(Failure) -> Item
  ) throws(Failure) -> [Item] {
    try expect(.leftBrace, opening)
    var items: [Item] = []
    while !check(.rightBrace) && current.kind != .endOfFile {
      items.append(try item(&self))
      acceptSeparator()
    }
    try expect(.rightBrace, closing)
    return items
  }

  private mutating func acceptSeparator() {
    while accept(.semicolon) || accept(.comma) {}
  }

  // MARK: Declarations

  private mutating func parseFile() -> RulesFileSyntax {
    var file = RulesFileSyntax()
    while current.kind != .endOfFile {
      let memberStart = position
      do throws(Failure) {
        if case .name(let word) = current.kind, word == "基于" || word == "based_on" {
          position += 1
          guard case .string(let path) = current.kind else { throw failure("“基于”后面应是带引号的规则文件路径") }
          if file.base != nil { throw failure("一个文件只能“基于”一个规则文件") }
          file.base = Located(value: path, span: span(of: advance()))
          isRevision = true
        } else if case .name(let word) = current.kind, word == "适用" || word == "uses" {
          position += 1
          guard case .string(let path) = current.kind else { throw failure("“适用”后面应是带引号的规则文件路径") }
          file.uses = Located(value: path, span: span(of: advance()))
        } else if accept(.ruleset) {
          file.rulesets.append(try parseRuleset(start: previous))
        } else if accept(.test) {
          file.tests.append(try parseTest(start: previous))
        } else if isRevision, current.kind == .name("删除") || current.kind == .name("remove"),
          tokens[min(position + 1, tokens.count - 1)].kind == .keyword(.test)
        {
          position += 2
          file.removedTests.append(try parseTitle("要删除的测试"))
        } else if current.kind == .name("基准") || current.kind == .name("baseline") {
          position += 1
          file.baseCases.append(try parseTest(start: previous))
        } else {
          throw failure("文件顶层应是“规则集”或“测试”")
        }
      } catch {
        diagnostics.append(error.diagnostic)
        synchronize(from: memberStart, level: 0)
      }
    }
    return file
  }

  /// Braces opened and not yet closed before a token.
  private func openBraces(before index: Int) -> Int {
    Int(openBracesBefore[max(0, min(index, tokens.count))])
  }

  /// After a mistake in a declaration that began at `memberStart` inside `level` open braces,
  /// skips to the next declaration at that level, or to the brace that closes it.
  private mutating func synchronize(from memberStart: Int, level: Int) {
    var depth = openBraces(before: position)
    var moved = position > memberStart
    while current.kind != .endOfFile {
      switch current.kind {
      case .symbol(.leftBrace):
        depth += 1
      case .symbol(.rightBrace):
        if depth <= level && moved { return }
        depth -= 1
      case .keyword(let keyword) where depth == level && moved && Parser.startsDeclaration(keyword, level: level):
        return
      default: break
      }
      position += 1
      moved = true
    }
  }

  private static func startsDeclaration(_ keyword: Keyword, level: Int) -> Bool {
    switch keyword {
    case .ruleset, .test: true
    case .input, .assess, .letBinding, .indicator, .description, .standard, .score, .fullMarks, .precision, .grades,
      .expect, .rows, .rowScoring, .method, .choose, .synonyms, .failing, .conversions:
      level > 0
    default: false
    }
  }

  private mutating func parseTitle(_ what: String) throws(Failure) -> Located<String> {
    let token = advance()
    switch token.kind {
    case .name(let text), .string(let text): return Located(value: text, span: span(of: token))
    default:
      position -= 1
      throw failure("这里应有\(what)的名称")
    }
  }

  private mutating func parseRuleset(start: Token) throws(Failure) -> RulesetSyntax {
    let title = try parseTitle("规则集")
    var ruleset = RulesetSyntax(name: title.value, span: title.span)
    try expect(.leftBrace, "左花括号 {")
    let level = openBraces(before: position)
    while !check(.rightBrace) && current.kind != .endOfFile {
      let memberStart = position
      do throws(Failure) {
        try parseRulesetMember(into: &ruleset)
      } catch {
        ruleset.hasUnreadMembers = true
        diagnostics.append(error.diagnostic)
        synchronize(from: memberStart, level: level)
      }
    }
    do {
      try expect(.rightBrace, "右花括号 } 来结束规则集")
    } catch {
      // The brace missing at the end is usually one that an indicator further up lacks.
      var failure = error
      if let (name, line) = misalignedClose {
        failure.diagnostic.notes.append("指标\(name.quotedName)（第 \(line) 行）的右花括号 } 与它的开头没有对齐，可能是它少了一个 }")
      }
      throw failure
    }
    ruleset.span = span(from: start)
    ruleset.unreadDeclarations = unreadDeclarations
    unreadDeclarations = []
    return ruleset
  }

  private mutating func parseRulesetMember(into ruleset: inout RulesetSyntax) throws(Failure) {
    let start = current
    // A second 满分, 精度 or 等级 would silently replace the first.
    let settings: [(Keyword, Bool)] = [
      (.fullMarks, ruleset.fullMarks != nil), (.precision, ruleset.precision != nil), (.grades, ruleset.grades != nil),
    ]
    if case .keyword(let keyword) = start.kind, settings.contains(where: { $0.0 == keyword && $0.1 }) {
      throw Failure(diagnostic: Diagnostic(.badHeader, at: span(of: start), "“\(start.text)”写了两次，只能写一次"))
    }
    if accept(.fullMarks) {
      let marks = try parseNumberLiteral()
      try rejectSplitNumber()
      ruleset.fullMarks = Located(value: marks, span: span(from: start))
      skipPointsUnit()
    } else if accept(.precision) {
      ruleset.precision = try parsePrecision(start: start)
    } else if accept(.grades) {
      ruleset.grades = try parseGrades()
      ruleset.gradesSpan = span(from: start)
    } else if check(.input) || check(.assess) {
      ruleset.inputs.append(try parseInput())
    } else if accept(.letBinding) {
      ruleset.definitions.append(try parseDefinition(start: start))
    } else if accept(.indicator) {
      ruleset.indicators.append(try parseIndicator(start: start))
    } else if let removed = try parseRemoval() {
      ruleset.removals.append(removed)
    } else if current.kind == .name("表头") || current.kind == .name("columns") {
      position += 1
      ruleset.columnLabels += try parseBraced { (parser: inout Parser) throws(Failure) in
        let start = parser.current
        let column = try parser.parseTitle("列")
        try parser.expect(.arrow, "箭头 → 和表中的列名")
        guard case .string(let label) = parser.current.kind else { throw parser.failure("这里应有带引号的列名") }
        parser.position += 1
        return ColumnLabelSyntax(column: column, label: label, span: parser.span(from: start))
      }
    } else if accept(.rowScoring) {
      if ruleset.rowScoring != nil {
        throw Failure(diagnostic: Diagnostic(.duplicateName, at: span(of: start), "一个规则集只能有一个“行评分”"))
      }
      ruleset.rowScoring = RowScoringSyntax(span: span(of: start), incomplete: true)
      ruleset.rowScoring = try parseRowScoring(start: start)
    } else {
      throw unknownMember(
        "规则集中应是“满分”“精度”“等级”“输入”“评审”“设”“指标”“行评分”或“表头”",
        keywords: [.fullMarks, .precision, .grades, .input, .assess, .letBinding, .indicator, .rowScoring])
    }
  }

  private mutating func parseGrades() throws(Failure) -> [GradeSyntax] {
    try parseBraced(closing: "右花括号 } 来结束等级表") { (parser: inout Parser) throws(Failure) in
      let start = parser.current
      let name = try parser.parseTitle("等级")
      var threshold: ExactDecimal?
      if parser.accept(.greaterEqual) {
        if case .number(_, percent: true) = parser.current.kind {
          throw parser.failure("等级的分数线是总分，不能带 %（如 优 ≥ 90）")
        }
        threshold = try parser.parseNumberLiteral()
        parser.skipPointsUnit()
      } else if parser.check(.greater) || parser.check(.less) || parser.check(.lessEqual) {
        throw parser.failure("等级的分数线请写成“≥ 分数”（达到该分数即为此等级）")
      }
      return GradeSyntax(name: name.value, threshold: threshold, span: parser.span(from: start))
    }
  }

  private mutating func parseInput() throws(Failure) -> InputSyntax {
    let start = advance()
    let isAssessment = start.kind == .keyword(.assess)
    let name = try parseTitle(isAssessment ? "评审项" : "输入")
    return try declaring(name) { parser throws(Failure) in
      try parser.parseInputBody(name: name, start: start, isAssessment: isAssessment)
    }
  }

  private mutating func parseInputBody(name: Located<String>, start: Token, isAssessment: Bool) throws(Failure)
    -> InputSyntax
  {
    try expect(.colon, "冒号 ：和类型（如 百分比、金额（万元）、数量、是否）")
    let kind = try parseInputKind()
    let range = try parseDeclaredRange(after: kind)
    var length: Int?
    if accept(.times) {
      let count = try parseNumberLiteral()
      guard count.isInteger, count >= .one, count <= ExactDecimal(1000), let value = Int(count.description)
      else { throw Failure(diagnostic: Diagnostic(.badRange, at: span(of: previous), "列表长度应是 1 到 1000 的整数")) }
      length = value
    }
    var input = InputSyntax(
      name: name, kind: kind, length: length, isAssessment: isAssessment, defaultValue: nil,
      description: nil, span: span(of: start), range: range)
    while true {
      if case .string = current.kind {
        input.description = parseStrings()
      } else if accept(.defaultKeyword) {
        input.defaultValue = try parseFormula()
      } else {
        break
      }
    }
    input.span = span(from: start)
    return input
  }

  private mutating func parseInputKind() throws(Failure) -> InputKind {
    if case .number = current.kind { return try parsePointsRange() }
    if check(.minus) { return try parsePointsRange() }
    return try parseNamedKind()
  }

  /// `（-100%..）`, `（0..10）`, `（..200%）` after 百分比, 数值 or 数量. 金额's parentheses hold its unit.
  private mutating func parseDeclaredRange(after kind: InputKind) throws(Failure) -> DeclaredRange? {
    guard [.percent, .number, .count].contains(kind), check(.leftParen) else { return nil }
    let start = advance()
    var ends: [ExactDecimal?] = []
    var signs: [Bool] = []
    for position in 0..<2 {
      if position == 1 { try expect(.range, "范围符号 ..（如 百分比（-100%..）、数值（0..10））") }
      var atNumber = check(.minus)
      if case .number = current.kind { atNumber = true }
      guard atNumber else {
        ends.append(nil)
        continue
      }
      ends.append(try parseSignedNumber())
      if case .number(_, let percent) = previous.kind { signs.append(percent) }
    }
    try expect(.rightParen, "右括号 ）")
    guard ends[0] != nil || ends[1] != nil else {
      throw Failure(
        diagnostic: Diagnostic(.badRange, at: span(from: start), "取值范围至少要写出下限或上限，如 百分比（-100%..）"))
    }
    return DeclaredRange(
      lower: ends[0], upper: ends[1], allPercent: !signs.contains(false), anyPercent: signs.contains(true),
      span: span(from: start))
  }

  private mutating func parsePointsRange() throws(Failure) -> InputKind {
    let low = try parseSignedNumber()
    try expect(.range, "范围符号 ..（如 0..1 分）")
    let high = try parseSignedNumber()
    skipPointsUnit()
    return .points(low, high)
  }

  private mutating func parseNamedKind() throws(Failure) -> InputKind {
    let typeToken = current
    guard case .name(let typeName) = advance().kind else {
      throw failure("这里应有类型：金额、数量、百分比、数值、是否、选项，或分值范围如 0..1 分")
    }
    switch typeName {
    case "金额", "amount":
      var unit: String?
      if accept(.leftParen) {
        unit = try parseTitle("单位").value
        try expect(.rightParen, "右括号 ）")
      }
      return .amount(unit: unit)
    case "数量", "人数", "个数", "count": return .count
    case "百分比", "比率", "percent": return .percent
    case "数值", "number": return .number
    case "日期", "date": return .date
    case "是否", "boolean": return .boolean
    case "选项", "choice":
      try expect(.leftParen, "左括号 （ 和各个选项")
      var options: [String] = []
      repeat {
        // 、 reads as part of a name elsewhere; between options it separates them.
        options += try parseTitle("选项").value.split(separator: "、").map(String.init)
      } while accept(.comma) || accept(.semicolon)
      try expect(.rightParen, "右括号 ）")
      return .choice(options)
    default:
      throw Failure(
        diagnostic: Diagnostic(
          .syntax, at: span(of: typeToken), "不认识的类型“\(typeName)”",
          notes: ["可用的类型：金额（单位）、数量、百分比、数值、日期、是否、选项（甲，乙）、分值范围如 0..1 分"]))
    }
  }

  /// “满分 1,00”: a comma written right between digits where no list can follow.
  private func rejectSplitNumber() throws(Failure) {
    guard case .symbol(.comma) = current.kind, previous.end == current.start else { return }
    throw failure("这里应是一个完整的数")
  }

  private mutating func skipPointsUnit() {
    if current.kind == .name("分") || current.kind == .name("points") { position += 1 }
  }

  private mutating func parseDefinition(start: Token) throws(Failure) -> DefinitionSyntax {
    let name = try parseTitle("定义")
    return try declaring(name) { parser throws(Failure) in
      try parser.expect(.equal, "等号 =")
      let value = try parser.parseFormula()
      return DefinitionSyntax(name: name, value: value, span: parser.span(from: start))
    }
  }

  /// Reads the rest of a declaration of `name`; if that fails, later uses of the name are not
  /// reported as undefined on top of the syntax error.
  private mutating func declaring<T>(_ name: Located<String>, _ body: (inout Parser) throws(Failure) -> T)
    throws(Failure) -> T
  {
    do {
      return try body(&self)
    } catch {
      unreadDeclarations.insert(name.value)
      throw error
    }
  }

  /// A member that starts with an unknown word, such as a misspelt keyword. In “输人 满意度：百分比”
  /// the name after it was meant to be declared, so its uses are not reported as undefined.
  private mutating func unknownMember(_ expectation: String, keywords: [Keyword]) -> Failure {
    if position + 2 < tokens.count, case .name = current.kind, case .name(let declared) = tokens[position + 1].kind,
      [.symbol(.colon), .symbol(.equal)].contains(tokens[position + 2].kind)
    {
      unreadDeclarations.insert(declared)
    }
    return failure(expectation, notes: keywordSuggestion(keywords))
  }

  /// “是否指“指标”？” when the word in place of a keyword is a near miss of one.
  private func keywordSuggestion(_ keywords: [Keyword]) -> [String] {
    guard case .name(let word) = current.kind else { return [] }
    let spellings = keywords.flatMap(\.spellings)
    return NameSuggestion.closest(to: word, among: spellings).map { ["是否指\($0.quotedName)？"] } ?? []
  }

  private mutating func parseIndicator(start: Token) throws(Failure) -> IndicatorSyntax {
    try enterNesting()
    defer { nesting -= 1 }
    let name = try parseTitle("指标")
    let weightStart = current
    let fromTable = current.kind == .name("表定") || current.kind == .name("from_table")
    let weight: ExactDecimal
    let weightWritten = !(isRevision && check(.leftBrace))
    if fromTable {
      position += 1
      weight = .zero
    } else if !weightWritten {
      weight = .zero
    } else {
      weight = try parseNumberLiteral()
      try rejectSplitNumber()
      skipPointsUnit()
    }
    var indicator = IndicatorSyntax(
      name: name, weight: Located(value: weight, span: span(from: weightStart)), span: name.span)
    indicator.weightFromTable = fromTable
    indicator.weightWritten = weightWritten || fromTable
    try expect(.leftBrace, "左花括号 { 来开始指标内容")
    let level = openBraces(before: position)
    while !check(.rightBrace) && current.kind != .endOfFile {
      let memberIndex = position
      let memberStart = current
      do throws(Failure) {
        if let removed = try parseRemoval() {
          indicator.removals.append(removed)
        } else if accept(.rows) {
          indicator.fromRows = true
        } else if accept(.description) {
          indicator.description = try parseRequiredStrings("说明")
        } else if accept(.standard) {
          indicator.standard = try parseRequiredStrings("评分标准")
        } else if check(.input) || check(.assess) {
          indicator.inputs.append(try parseInput())
        } else if accept(.letBinding) {
          indicator.definitions.append(try parseDefinition(start: memberStart))
        } else if accept(.indicator) {
          indicator.children.append(try parseIndicator(start: memberStart))
        } else if accept(.score) {
          indicator.scoreWritten = true
          try expect(.equal, "等号 =")
          if indicator.score != nil {
            throw Failure(
              diagnostic: Diagnostic(.misplacedScore, at: span(of: memberStart), "指标\(name.value.quotedName)写了两个得分公式"))
          }
          indicator.score = try parseFormula()
        } else {
          throw unknownMember(
            "指标中应是“说明”“标准”“输入”“评审”“设”“指标”“逐行”或“得分 =”",
            keywords: [.description, .standard, .input, .assess, .letBinding, .indicator, .rows, .score])
        }
      } catch {
        indicator.hasUnreadMembers = true
        diagnostics.append(error.diagnostic)
        synchronize(from: memberIndex, level: level)
      }
    }
    try expect(.rightBrace, "右花括号 } 来结束指标\(name.value.quotedName)")
    if misalignedClose == nil, indentation(of: previous) != indentation(of: start) {
      misalignedClose = (name.value, source.position(at: start.start).line)
    }
    indicator.span = span(from: start)
    return indicator
  }

  private mutating func parsePrecision(start: Token) throws(Failure) -> Located<Int> {
    let digits = try parseNumberLiteral()
    guard digits.isInteger, digits >= .zero, digits <= ExactDecimal(10), let places = Int(digits.description) else {
      throw Failure(diagnostic: Diagnostic(.badHeader, at: span(from: start), "精度应是 0 到 10 之间的整数（保留的小数位数）"))
    }
    return Located(value: places, span: span(from: start))
  }

  private mutating func parseRowScoring(start: Token) throws(Failure) -> RowScoringSyntax {
    var scoring = RowScoringSyntax(span: span(of: start))
    try expect(.leftBrace, "左花括号 {")
    while !check(.rightBrace) && current.kind != .endOfFile {
      let memberStart = current
      if accept(.precision) {
        scoring.precision = try parsePrecision(start: memberStart)
      } else if accept(.method) {
        let name = try parseTitle("评分方法")
        var description: String?
        if case .string = current.kind { description = parseStrings() }
        if accept(.assess) {
          let bands = try parseBraced { (parser: inout Parser) throws(Failure) in try parser.parseJudgmentBand() }
          scoring.methods.append(MethodSyntax(name: name, description: description, judgment: bands))
        } else {
          try expect(.equal, "等号 = 和该方法的得分公式（或“评审 { … }”列出评审人可评定的档次）")
          scoring.methods.append(MethodSyntax(name: name, description: description, formula: try parseFormula()))
        }
      } else if accept(.choose) {
        let chooseStart = previous
        defer { scoring.choicesSpan = span(from: chooseStart) }
        scoring.choices += try parseBraced { (parser: inout Parser) throws(Failure) in try parser.parseMethodChoice() }
      } else if accept(.synonyms) {
        let synonymsStart = previous
        let words = try parseWordList()
        scoring.synonyms.append(Located(value: words, span: span(from: synonymsStart)))
      } else if accept(.failing) {
        scoring.failing += try parseWordList()
      } else if accept(.conversions) {
        scoring.conversions += try parseBraced { (parser: inout Parser) throws(Failure) in
          let conversionStart = parser.current
          let amount = try parser.parseNumberLiteral()
          let unit = try parser.parseTitle("单位").value
          try parser.expect(.equal, "等号 =")
          let equals = try parser.parseNumberLiteral()
          let other = try parser.parseTitle("单位").value
          return ConversionSyntax(
            amount: amount, unit: unit, equals: equals, otherUnit: other, span: parser.span(from: conversionStart))
        }
      } else {
        throw failure("行评分中应是“精度”“方法”“选用”“同义”“未达成”或“换算”")
      }
      acceptSeparator()
    }
    try expect(.rightBrace, "右花括号 } 来结束行评分")
    scoring.span = span(from: start)
    return scoring
  }

  /// `删除 指标 名称` (or `删除 名称`) in a revision: nil when the member is something else.
  private mutating func parseRemoval() throws(Failure) -> Located<String>? {
    guard current.kind == .name("删除") || current.kind == .name("remove") else { return nil }
    guard isRevision else {
      throw failure("只有“基于”另一个规则文件的修订文件才能“删除”指标", notes: ["在文件开头写：基于 \"上一年的规则文件.rules\""])
    }
    position += 1
    _ = accept(.indicator)
    return try parseTitle("要删除的指标")
  }

  /// `[二级指标] 形式 [单位] → 方法`, or `单值 [单位] → ≥` for how a bare target reads.
  private mutating func parseMethodChoice() throws(Failure) -> MethodChoice {
    let start = current
    var level2: Located<String>?
    if Parser.targetForm(current.kind) == nil, case .name = current.kind {
      level2 = try parseTitle("二级指标")
    } else if case .string = current.kind {
      level2 = try parseTitle("二级指标")
    }
    guard let form = Parser.targetForm(advance().kind) else {
      position -= 1
      throw failure("这里应是年度指标值的形式：≥、>、≤、<、=、单值、文字、不适用 或 空白")
    }
    var unit: Located<String>?
    if case .name = current.kind { unit = try parseTitle("单位") }
    try expect(.arrow, "箭头 → 和评分方法名称")
    var choice = MethodChoice(level2: level2, form: form, unit: unit, span: span(from: start))
    if form == .bare, let reading = Parser.targetForm(current.kind), reading.isComparison {
      position += 1
      choice.reading = reading
    } else {
      choice.method = try parseTitle("评分方法")
    }
    choice.span = span(from: start)
    return choice
  }

  private static func targetForm(_ kind: TokenKind) -> TargetForm? {
    switch kind {
    case .symbol(.greaterEqual): .atLeast
    case .symbol(.greater): .greater
    case .symbol(.lessEqual): .atMost
    case .symbol(.less): .less
    case .symbol(.equal): .equal
    case .name("单值"), .name("bare"): .bare
    case .name("文字"), .name("text"): .text
    case .name("不适用"), .name("not_applicable"): .notApplicable
    case .name("空白"), .name("blank"): .blank
    default: nil
    }
  }

  /// `基本达成 → [50%, 80%)` or `达成 → 100%`: shares of the row's points.
  private mutating func parseJudgmentBand() throws(Failure) -> JudgmentBandSyntax {
    let start = current
    let name = try parseTitle("档次")
    try expect(.arrow, "箭头 → 和该档的得分比例")
    if accept(.leftBracket) || accept(.leftParen) {
      let lowerClosed = previous.kind == .symbol(.leftBracket)
      let lower = try parseNumberLiteral()
      acceptSeparator()
      let upper = try parseNumberLiteral()
      guard accept(.rightBracket) || accept(.rightParen) else { throw failure("这里应有 ] 或 ) 来结束区间") }
      let upperClosed = previous.kind == .symbol(.rightBracket)
      guard lowerClosed else {
        throw Failure(
          diagnostic: Diagnostic(
            .badRange, at: span(from: start), "评审档次的下限应含端点，写成 [下限, 上限) 或 [下限, 上限]"))
      }
      return JudgmentBandSyntax(
        name: name, lower: lower, upper: upper, upperClosed: upperClosed, span: span(from: start))
    }
    let share = try parseNumberLiteral()
    return JudgmentBandSyntax(name: name, lower: share, upper: share, upperClosed: true, span: span(from: start))
  }

  /// { 满足，满意，是 }: words as names or quoted texts.
  private mutating func parseWordList() throws(Failure) -> [String] {
    try parseBraced { (parser: inout Parser) throws(Failure) -> String in
      // 是、否 and other keywords are words here.
      guard case .keyword = parser.current.kind else { return try parser.parseTitle("词语").value }
      return parser.advance().text
    }
  }

  private mutating func parseTest(start: Token) throws(Failure) -> TestSyntax {
    let name = try parseTitle("测试")
    var test = TestSyntax(name: name.value, span: name.span)
    if current.kind == .name("基于") || current.kind == .name("based_on") {
      position += 1
      guard case .string(let baseName) = current.kind else { throw failure("“基于”后面应是带引号的基准名称") }
      test.baseCase = Located(value: baseName, span: span(of: advance()))
    }
    try expect(.leftBrace, "左花括号 {")
    while !check(.rightBrace) && current.kind != .endOfFile {
      let memberStart = current
      if accept(.input) {
        test.inputs += try parseBraced { (parser: inout Parser) throws(Failure) in
          try parser.parseDefinition(start: parser.current)
        }
      } else if accept(.expect) {
        test.expectations.append(try parseExpectation(start: memberStart))
      } else if accept(.rows) {
        let cells = try parseBraced(opening: "左花括号 { 和一行的各栏：一级、二级、三级、年度指标值、实际完成值、分值") {
          (parser: inout Parser) throws(Failure) in try parser.parseExpression()
        }
        test.rows.append(Located(value: cells, span: span(from: memberStart)))
      } else {
        throw failure("测试中应是“输入 { … }”“逐行 { … }”或“期望 指标 = 分数”")
      }
      acceptSeparator()
    }
    try expect(.rightBrace, "右花括号 } 来结束测试")
    test.span = span(from: start)
    return test
  }

  /// 期望 指标 = 分数, or 期望 等级 = "优", where 等级 is otherwise the grade table's keyword.
  private mutating func parseExpectation(start: Token) throws(Failure) -> DefinitionSyntax {
    guard case .keyword(.grades) = current.kind else { return try parseDefinition(start: start) }
    let grade = Located(value: "等级", span: span(of: advance()))
    try expect(.equal, "等号 =")
    return DefinitionSyntax(name: grade, value: try parseFormula(), span: span(from: start))
  }

  private mutating func parseRequiredStrings(_ what: String) throws(Failure) -> String {
    guard case .string = current.kind else { throw failure("这里应有带引号的\(what)原文") }
    return parseStrings()
  }

  /// Adjacent strings join with line breaks, so long standard texts can be written line by line.
  private mutating func parseStrings() -> String {
    var parts: [String] = []
    while case .string(let text) = current.kind {
      parts.append(text)
      position += 1
    }
    return parts.joined(separator: "\n")
  }

  private mutating func parseNumberLiteral() throws(Failure) -> ExactDecimal {
    let token = current
    guard case .number(let digits, let percent) = token.kind else { throw failure("这里应有数字") }
    position += 1
    guard let value = ExactDecimal(parsing: percent ? digits + "%" : digits) else {
      throw Failure(
        diagnostic: Diagnostic(.badNumber, at: span(of: token), "数字“\(token.text)”超出可表示的范围：小数最多 18 位，整数最多 20 位"))
    }
    return value
  }

  private mutating func parseSignedNumber() throws(Failure) -> ExactDecimal {
    let negative = accept(.minus)
    let value = try parseNumberLiteral()
    guard negative else { return value }
    do { return try value.negated() } catch { throw failure("数字超出范围") }
  }

  private mutating func enterNesting() throws(Failure) {
    nesting += 1
    if nesting > Parser.maximumNesting {
      // The caller's `defer` that lowers the count is not set up yet when this throws.
      nesting -= 1
      throw Failure(
        diagnostic: Diagnostic(
          .nestingTooDeep, at: span(of: current), "嵌套超过 \(Parser.maximumNesting) 层",
          notes: ["请用“设”把复杂的式子拆成几步"]))
    }
  }

  // MARK: Expressions

  static let maximumFormulaDepth = 200

  /// A whole formula (of 设, 得分, 缺省 or a test): later passes walk it recursively, so its depth
  /// is bounded here, whatever made it deep (brackets or a long chain like 1 + 1 + … + 1).
  mutating func parseFormula() throws(Failure) -> Expression {
    let formula = try parseExpression()
    if formula.depth > Parser.maximumFormulaDepth {
      throw Failure(
        diagnostic: Diagnostic(
          .nestingTooDeep, at: formula.span, "公式嵌套超过 \(Parser.maximumFormulaDepth) 层",
          notes: ["请用“设”把复杂的式子拆成几步"]))
    }
    return formula
  }

  /// A chain such as 1 + 1 + … grows the tree one level per operator; bounding it here keeps the
  /// tree small enough to build and free without deep recursion.
  private func guardChain(_ length: inout Int) throws(Failure) {
    length += 1
    if length > Parser.maximumFormulaDepth {
      throw Failure(
        diagnostic: Diagnostic(
          .nestingTooDeep, at: span(of: current), "一个式子里连续的运算超过 \(Parser.maximumFormulaDepth) 个",
          notes: ["请用“设”把复杂的式子拆成几步"]))
    }
  }

  mutating func parseExpression() throws(Failure) -> Expression {
    try enterNesting()
    defer { nesting -= 1 }
    let start = current
    if accept(.ifKeyword) {
      let condition = try parseExpression()
      guard accept(.thenKeyword) else { throw failure("“如果 条件”之后应有“则”", notes: spacingNote("则")) }
      let whenTrue = try parseExpression()
      guard accept(.elseKeyword) else {
        throw failure("“如果 … 则 …”之后应有“否则”", notes: keywordSuggestion([.elseKeyword]) + ["每个“如果”都要写出“否则”的情况"])
      }
      let whenFalse = try parseExpression()
      return Expression(kind: .conditional(condition, then: whenTrue, else: whenFalse), span: span(from: start))
    }
    return try parseOr()
  }

  /// The operators of one precedence level, by the token that spells them.
  private static let orOperators: [TokenKind: BinaryOperator] = [.keyword(.or): .or]
  private static let andOperators: [TokenKind: BinaryOperator] = [.keyword(.and): .and]
  private static let additiveOperators: [TokenKind: BinaryOperator] = [
    .symbol(.plus): .add, .symbol(.minus): .subtract,
  ]
  private static let multiplicativeOperators: [TokenKind: BinaryOperator] = [
    .symbol(.times): .multiply, .symbol(.divide): .divide,
  ]

  /// operand (operator operand)*, grouped to the left: one loop for every binary precedence level.
  private mutating func parseChain(
    _ operators: [TokenKind: BinaryOperator], _ operand: (inout Parser) throws(Failure) -> Expression
  ) throws(Failure) -> Expression {
    let start = current
    var left = try operand(&self)
    var length = 0
    while let operation = operators[current.kind] {
      try guardChain(&length)
      position += 1
      let right = try operand(&self)
      left = Expression(kind: .binary(operation, left, right), span: span(from: start))
    }
    return left
  }

  private mutating func parseOr() throws(Failure) -> Expression {
    try parseChain(Parser.orOperators) { (parser: inout Parser) throws(Failure) in try parser.parseAnd() }
  }

  private mutating func parseAnd() throws(Failure) -> Expression {
    try parseChain(Parser.andOperators) { (parser: inout Parser) throws(Failure) in try parser.parseNot() }
  }

  private mutating func parseNot() throws(Failure) -> Expression {
    let start = current
    if accept(.not) {
      try enterNesting()
      defer { nesting -= 1 }
      let operand = try parseNot()
      return Expression(kind: .not(operand), span: span(from: start))
    }
    return try parseComparison()
  }

  private static let comparisons: [Symbol: BinaryOperator] = [
    .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual, .greater: .greater,
    .greaterEqual: .greaterEqual,
  ]

  private mutating func parseComparison() throws(Failure) -> Expression {
    let start = current
    let left = try parseAdditive()
    guard case .symbol(let symbol) = current.kind, let comparison = Parser.comparisons[symbol] else {
      return left
    }
    position += 1
    let right = try parseAdditive()
    if case .symbol(let next) = current.kind, Parser.comparisons[next] != nil {
      throw failure(
        "比较不能连写", notes: ["请写成两个比较，如：1 < x 且 x < 3；分档中的区间可以写成 [1, 3)"])
    }
    return Expression(kind: .binary(comparison, left, right), span: span(from: start))
  }

  private mutating func parseAdditive() throws(Failure) -> Expression {
    try parseChain(Parser.additiveOperators) { (parser: inout Parser) throws(Failure) in
      try parser.parseMultiplicative()
    }
  }

  private mutating func parseMultiplicative() throws(Failure) -> Expression {
    try parseChain(Parser.multiplicativeOperators) { (parser: inout Parser) throws(Failure) in try parser.parseUnary() }
  }

  private mutating func parseUnary() throws(Failure) -> Expression {
    let start = current
    if accept(.minus) {
      try enterNesting()
      defer { nesting -= 1 }
      let operand = try parseUnary()
      return Expression(kind: .negate(operand), span: span(from: start))
    }
    return try parsePrimary()
  }

  private mutating func parsePrimary() throws(Failure) -> Expression {
    let start = current
    switch current.kind {
    case .number(_, let percent):
      let value = try parseNumberLiteral()
      let number = Expression(kind: .number(value, percent: percent), span: span(from: start))
      // “→ 15 分”, “则 30 分”: editors write points as the standard does.
      if !percent { skipPointsUnit() }
      return number
    case .string(let text):
      position += 1
      return Expression(kind: .string(text), span: span(from: start))
    case .date(let year, let month, let day):
      position += 1
      guard let date = CivilDate(year: year, month: month, day: day) else {
        throw Failure(
          diagnostic: Diagnostic(
            .impossibleDate, at: span(of: start),
            "日期“\(start.text)”不存在：\(CivilDate.problem(year: year, month: month, day: day))"))
      }
      return Expression(kind: .date(date), span: span(from: start))
    case .keyword(.yes), .keyword(.no):
      position += 1
      return Expression(kind: .boolean(start.kind == .keyword(.yes)), span: span(from: start))
    case .name(let name):
      position += 1
      // A call's bracket stands on the name's line; one on the next line starts something new.
      let sameLine = source.position(at: current.start).line == source.position(at: start.start).line
      guard sameLine, accept(.leftParen) else { return Expression(kind: .name(name), span: span(from: start)) }
      var arguments: [Expression] = []
      if !check(.rightParen) {
        repeat { arguments.append(try parseExpression()) } while accept(.comma)
      }
      try expect(.rightParen, "右括号 ） 来结束\(name.quotedName)的参数")
      let callee = Located(value: name, span: span(of: start))
      return Expression(kind: .call(callee, arguments), span: span(from: start))
    case .symbol(.leftParen):
      position += 1
      let inner = try parseExpression()
      try expect(.rightParen, "右括号 ）")
      return Expression(kind: inner.kind, span: span(from: start))
    case .symbol(.leftBracket):
      position += 1
      var elements: [Expression] = []
      if !check(.rightBracket) {
        repeat { elements.append(try parseExpression()) } while accept(.comma)
      }
      try expect(.rightBracket, "右方括号 ] 来结束列表")
      return Expression(kind: .list(elements), span: span(from: start))
    case .keyword(.bands):
      position += 1
      return try parseBands(start: start)
    case .keyword(.checklist):
      position += 1
      return try parseChecklist(start: start)
    case .keyword(.ifKeyword):
      throw failure(
        "这里应有数值、名称或式子", notes: ["“如果 … 则 … 否则 …”在式子中间时要加括号，如：0 ＋（如果 甲 则 1 否则 0）"])
    default:
      throw failure("这里应有数值、名称或式子")
    }
  }

  private mutating func parseBands(start: Token) throws(Failure) -> Expression {
    try enterNesting()
    defer { nesting -= 1 }
    let subject = try parseAdditive()
    let arms = try parseBraced(opening: "左花括号 { 来列出各档", closing: "右花括号 } 来结束分档") {
      (parser: inout Parser) throws(Failure) in
      let armStart = parser.current
      let pattern = try parser.parseBandPattern()
      try parser.expect(.arrow, "箭头 → 和该档的分数")
      let result = try parser.parseArmResult()
      return BandArm(pattern: pattern, result: result, span: parser.span(from: armStart))
    }
    return Expression(kind: .bands(subject, arms), span: span(from: start))
  }

  /// What follows → in a band or checklist: a number-valued formula. Comparisons are left out
  /// so that the next line's "< 60% → 0" starts a new band instead of continuing this one.
  private mutating func parseArmResult() throws(Failure) -> Expression {
    let start = current
    guard accept(.ifKeyword) else { return try parseAdditive() }
    try enterNesting()
    defer { nesting -= 1 }
    let condition = try parseExpression()
    guard accept(.thenKeyword) else { throw failure("“如果 条件”之后应有“则”", notes: spacingNote("则")) }
    let whenTrue = try parseArmResult()
    guard accept(.elseKeyword) else {
      throw failure("“如果 … 则 …”之后应有“否则”", notes: keywordSuggestion([.elseKeyword]))
    }
    let whenFalse = try parseArmResult()
    return Expression(kind: .conditional(condition, then: whenTrue, else: whenFalse), span: span(from: start))
  }

  private mutating func parseBandPattern() throws(Failure) -> BandPattern {
    switch current.kind {
    case .symbol(let symbol) where Parser.comparisons[symbol] != nil:
      position += 1
      let bound = try parseAdditive()
      return .compare(Parser.comparisons[symbol] ?? .equal, bound)
    case .symbol(.leftBracket), .symbol(.leftParen):
      let lowerClosed = advance().kind == .symbol(.leftBracket)
      let lower = try parseAdditive()
      try expect(.comma, "逗号 ，分隔区间两端")
      let upper = try parseAdditive()
      guard check(.rightBracket) || check(.rightParen) else {
        throw failure("区间应以 ] （含端点）或 ) （不含端点）结束")
      }
      let upperClosed = advance().kind == .symbol(.rightBracket)
      return .interval(lower: lower, lowerClosed: lowerClosed, upper: upper, upperClosed: upperClosed)
    case .string(let option):
      position += 1
      return .option(option)
    case .name("其他"), .name("otherwise"), .keyword(.elseKeyword):
      position += 1
      return .otherwise
    default:
      throw failure(
        "这里应有一档的条件", notes: ["写法如：≥ 95% → 6，[90%, 95%) → 4，< 80% → 1，\"按规定公开\" → 1.5，其他 → 0"])
    }
  }

  private mutating func parseChecklist(start: Token) throws(Failure) -> Expression {
    try enterNesting()
    defer { nesting -= 1 }
    let items = try parseBraced(opening: "左花括号 { 来列出各项标准", closing: "右花括号 } 来结束清单") {
      (parser: inout Parser) throws(Failure) in
      let itemStart = parser.current
      let condition = try parser.parseExpression()
      try parser.expect(.arrow, "箭头 → 和该项的分值")
      let points = try parser.parseArmResult()
      return ChecklistItem(condition: condition, points: points, span: parser.span(from: itemStart))
    }
    return Expression(kind: .checklist(items), span: span(from: start))
  }
}
