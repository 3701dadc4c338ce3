import Testing

@testable import JixiaoEngine

// MARK: - Helpers

/// Token kinds of a text, without the final end-of-file token.
private func kinds(_ text: String) -> [TokenKind] {
  let (tokens, _) = Lexer.tokenize(SourceFile(path: "t.rules", text: text))
  return tokens.filter { $0.kind != .endOfFile }.map(\.kind)
}

private func number(_ digits: String, percent: Bool = false) -> TokenKind { .number(digits, percent: percent) }
private func symbol(_ symbol: Symbol) -> TokenKind { .symbol(symbol) }

private func decimal(_ text: String) throws -> ExactDecimal { try #require(ExactDecimal(parsing: text)) }

private func parse(_ text: String) -> (syntax: RulesFileSyntax, diagnostics: [Diagnostic]) {
  Parser.parse(SourceFile(path: "t.rules", text: text))
}

/// Parses a body inside the minimal header and returns its only ruleset.
private func parseBody(_ body: String) throws -> (ruleset: RulesetSyntax, diagnostics: [Diagnostic]) {
  let (syntax, diagnostics) = parse(testRuleset(body))
  try #require(syntax.rulesets.count == 1)
  return (syntax.rulesets[0], diagnostics)
}

/// The score formula of a single indicator `甲 10`, parsed without diagnostics.
private func parseScore(_ formula: String) throws -> Expression {
  let (ruleset, diagnostics) = try parseBody("  指标 甲 10 { 得分 = \(formula) }")
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  let indicator = try #require(ruleset.indicators.first)
  return try #require(indicator.score)
}

/// A compact, language-neutral rendering of an expression tree: builtins by their internal
/// name, operators by their canonical symbol, so trees written with Chinese and English
/// keywords render alike.
private func shape(_ expression: Expression) -> String {
  switch expression.kind {
  case .number(let value, let percent): return percent ? value.percentDescription : value.description
  case .string(let text): return "\"\(text)\""
  case .date(let date): return date.description
  case .boolean(let truth): return truth ? "是" : "否"
  case .name(let name): return name
  case .list(let elements): return "[" + elements.map(shape).joined(separator: " ") + "]"
  case .negate(let operand): return "(- \(shape(operand)))"
  case .not(let operand): return "(非 \(shape(operand)))"
  case .binary(let operation, let left, let right): return "(\(operation.rawValue) \(shape(left)) \(shape(right)))"
  case .conditional(let condition, let whenTrue, let whenFalse):
    return "(如果 \(shape(condition)) \(shape(whenTrue)) \(shape(whenFalse)))"
  case .call(let callee, let arguments):
    let name = Builtin.bySpelling[callee.value]?.rawValue ?? callee.value
    return "(\(name)" + arguments.map { " " + shape($0) }.joined() + ")"
  case .bands(let subject, let arms):
    return "(分档 \(shape(subject))" + arms.map { " {\(shape($0.pattern)) → \(shape($0.result))}" }.joined() + ")"
  case .checklist(let items):
    return "(清单" + items.map { " {\(shape($0.condition)) → \(shape($0.points))}" }.joined() + ")"
  }
}

private func shape(_ pattern: BandPattern) -> String {
  switch pattern {
  case .compare(let operation, let bound): return "\(operation.rawValue) \(shape(bound))"
  case .interval(let lower, let lowerClosed, let upper, let upperClosed):
    return (lowerClosed ? "[" : "(") + shape(lower) + ", " + shape(upper) + (upperClosed ? "]" : ")")
  case .option(let option): return "\"\(option)\""
  case .otherwise: return "其他"
  }
}

/// Everything a ruleset says, in one comparable text.
private func summary(_ ruleset: RulesetSyntax) -> [String] {
  var lines = [
    "规则集 \(ruleset.name)", "满分 \(ruleset.fullMarks?.value.description ?? "-")",
    "精度 \(ruleset.precision.map { String($0.value) } ?? "-")",
    "等级 " + (ruleset.grades ?? []).map { "\($0.name)\($0.threshold.map { "≥\($0)" } ?? "")" }.joined(separator: " "),
  ]
  func add(inputs: [InputSyntax], definitions: [DefinitionSyntax], indent: String) {
    for input in inputs {
      lines.append(
        "\(indent)\(input.isAssessment ? "评审" : "输入") \(input.name.value) \(input.kind) ×\(input.length.map(String.init) ?? "-") "
          + "缺省 \(input.defaultValue.map(shape) ?? "-") 说明 \(input.description ?? "-")")
    }
    for definition in definitions { lines.append("\(indent)设 \(definition.name.value) = \(shape(definition.value))") }
  }
  func add(_ indicator: IndicatorSyntax, indent: String) {
    lines.append(
      "\(indent)指标 \(indicator.name.value) \(indicator.weight.value) 说明 \(indicator.description ?? "-") "
        + "标准 \(indicator.standard ?? "-") 得分 \(indicator.score.map(shape) ?? "-")")
    add(inputs: indicator.inputs, definitions: indicator.definitions, indent: indent + "  ")
    for child in indicator.children { add(child, indent: indent + "  ") }
  }
  add(inputs: ruleset.inputs, definitions: ruleset.definitions, indent: "")
  for indicator in ruleset.indicators { add(indicator, indent: "") }
  return lines
}

private func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.rawValue) }

@Suite("Lexer and parser")
struct LexerParserTests {
  // MARK: Punctuation

  @Test func fullWidthPunctuationReadsLikeHalfWidth() {
    let expected: [TokenKind] = [
      symbol(.leftParen), symbol(.rightParen), symbol(.colon), symbol(.comma), symbol(.semicolon), symbol(.plus),
      symbol(.minus), symbol(.times), symbol(.divide), symbol(.greaterEqual), symbol(.lessEqual), symbol(.less),
      symbol(.greater), symbol(.equal), symbol(.leftBracket), symbol(.rightBracket), symbol(.leftBrace),
      symbol(.rightBrace),
    ]
    #expect(kinds("（）：，；＋－×÷≥≤＜ ＞ ＝［］｛｝") == expected)
    // Like their half-width forms, ＜＞ together read as <> (≠) and ＞＝ as >=.
    #expect(kinds("＜＞ ＞＝ －＞") == [symbol(.notEqual), symbol(.greaterEqual), symbol(.arrow)])
    #expect(kinds("( ) : , ; + - × ÷ ≥ ≤ < > = [ ] { }") == expected)
    // Lenticular brackets, the ideographic space and the minus sign U+2212 too.
    #expect(
      kinds("【1　−　2】") == [symbol(.leftBracket), number("1"), symbol(.minus), number("2"), symbol(.rightBracket)])
  }

  @Test func fullWidthPunctuationParsesLikeHalfWidth() throws {
    let full = try parseScore("封顶（（x＋1）×2－y÷3，10）")
    let half = try parseScore("封顶((x+1)×2-y÷3,10)")
    #expect(shape(full) == "(cap (- (× (+ x 1) 2) (÷ y 3)) 10)")
    #expect(shape(half) == shape(full))
  }

  @Test func asciiAlternativesOfOperators() {
    #expect(
      kinds(">= <= != <> == -> => * / ~ ..") == [
        symbol(.greaterEqual), symbol(.lessEqual), symbol(.notEqual), symbol(.notEqual), symbol(.equal),
        symbol(.arrow), symbol(.arrow), symbol(.times), symbol(.divide), symbol(.range), symbol(.range),
      ])
    #expect(
      kinds("≠ ⩽ ⩾ → ⇒") == [
        symbol(.notEqual), symbol(.lessEqual), symbol(.greaterEqual), symbol(.arrow), symbol(.arrow),
      ])
  }

  @Test func asciiOperatorsParseLikeTheirChineseForms() throws {
    let ascii = try parseScore("分档 x { >= 90% -> a * 2 / 3; <= 10% => 0; 其他 -> 1 }")
    let chinese = try parseScore("分档 x { ≥ 90% → a × 2 ÷ 3；≤ 10% → 0；其他 → 1 }")
    #expect(shape(ascii) == "(分档 x {≥ 90% → (÷ (× a 2) 3)} {≤ 10% → 0} {其他 → 1})")
    #expect(shape(chinese) == shape(ascii))
    #expect(try shape(parseScore("如果 a != b 则 1 否则 0")) == "(如果 (≠ a b) 1 0)")
  }

  // MARK: Numbers

  @Test(arguments: [
    ("18,779.46", [number("18779.46")]),
    ("1,234,567", [number("1234567")]),
    ("1,2345", [number("1"), symbol(.comma), number("2345")]),
    ("1,23", [number("1"), symbol(.comma), number("23")]),
    ("1，234", [number("1"), symbol(.comma), number("234")]),
    ("1, 234", [number("1"), symbol(.comma), number("234")]),
    ("95%", [number("95", percent: true)]),
    ("95％", [number("95", percent: true)]),
    ("12.5%", [number("12.5", percent: true)]),
    ("１２．５", [number("12.5")]),
    ("0..1", [number("0"), symbol(.range), number("1")]),
    ("3.x", [number("3"), .name("x")]),
  ])
  func numberTokens(text: String, expected: [TokenKind]) {
    #expect(kinds(text) == expected)
  }

  @Test func numberTokenKeepsItsSourceText() throws {
    let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "t.rules", text: "x = 18,779.46"))
    #expect(diagnostics.isEmpty)
    let token = try #require(tokens.first { if case .number = $0.kind { true } else { false } })
    #expect(token.kind == number("18779.46"))
    #expect(token.text == "18,779.46")
    #expect(token.start == 4)
    #expect(token.end == 13)
  }

  @Test func percentLiteralsAreHundredths() throws {
    let expression = try parseScore("95% × 18,779.46")
    guard case .binary(.multiply, let left, let right) = expression.kind else {
      Issue.record("expected a product, got \(shape(expression))")
      return
    }
    guard case .number(let rate, percent: true) = left.kind, case .number(let amount, percent: false) = right.kind
    else {
      Issue.record("expected 95% × 18779.46, got \(shape(expression))")
      return
    }
    #expect(rate == (try decimal("0.95")))
    #expect(amount == (try decimal("18779.46")))
    #expect(try shape(parseScore("95％")) == "95%")
  }

  // MARK: Names, strings and comments

  @Test func enumerationCommaInsideANameAndAsListSeparator() throws {
    #expect(kinds("社会效益、经济效益") == [.name("社会效益、经济效益")])
    #expect(kinds("甲 、乙") == [.name("甲"), symbol(.comma), .name("乙")])
    #expect(
      kinds("[1、2、3]") == [
        symbol(.leftBracket), number("1"), symbol(.comma), number("2"), symbol(.comma), number("3"),
        symbol(.rightBracket),
      ])
    #expect(try shape(parseScore("求和（[1、2、3]）")) == "(sum [1 2 3])")
    // Between the options of a choice, 、 separates them like ，.
    let (ruleset, diagnostics) = try parseBody(
      "  输入 c：选项（按规定公开、公开但有缺陷，未公开）\n  指标 甲 10 { 得分 = 1 }")
    #expect(diagnostics.isEmpty)
    #expect(ruleset.inputs.first?.kind == .choice(["按规定公开", "公开但有缺陷", "未公开"]))
  }

  @Test func chineseQuotesNestAndTakeNoEscapes() {
    #expect(kinds("““三公”经费控制率”") == [.string("“三公”经费控制率")])
    #expect(kinds("“他说“a“b”c”。”") == [.string("他说“a“b”c”。")])
    #expect(kinds(#"“a\n”"#) == [.string(#"a\n"#)])
    #expect(kinds("\"1.“三公”经费\"") == [.string("1.“三公”经费")])
  }

  @Test func asciiStringsTakeBackslashEscapes() {
    #expect(kinds(#""a\"b\nc\td\\""#) == [.string("a\"b\nc\td\\")])
  }

  @Test func commentsRunToTheEndOfTheLine() {
    #expect(
      kinds("1 # 注释 2 “x”\n3 // 注释 4\n5 / 6 ＃ 全角 7") == [
        number("1"), number("3"), number("5"), symbol(.divide), number("6"),
      ])
    #expect(kinds("\"# 不是注释 // 也不是\"") == [.string("# 不是注释 // 也不是")])
  }

  /// Documented behaviour: keywords are whole words. A keyword written without spaces next
  /// to Chinese text is part of a longer name (the checker then explains it, see CheckerTests).
  @Test func keywordGluedToChineseTextBecomesPartOfAName() throws {
    #expect(kinds("如果x则1否则0") == [.name("如果x则1否则0")])
    #expect(kinds("设甲 = 1") == [.name("设甲"), symbol(.equal), number("1")])
    #expect(
      kinds("如果 x 则 1 否则 0") == [
        .keyword(.ifKeyword), .name("x"), .keyword(.thenKeyword), number("1"), .keyword(.elseKeyword), number("0"),
      ])
    // A number ends at the first non-digit, so a keyword right after a number is still a keyword.
    #expect(kinds("1否则") == [number("1"), .keyword(.elseKeyword)])
    // “是否” is a type name, not 是 followed by 否.
    #expect(kinds("是否 是 否") == [.name("是否"), .keyword(.yes), .keyword(.no)])

    let (_, diagnostics) = try parseBody("  输入 涉密单位：是否\n  指标 甲 10 { 得分 = 如果 涉密单位则 3 否则 0 }")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.code == .syntax)
    #expect(diagnostic.message == "“如果 条件”之后应有“则”，但遇到了“3”")
    #expect(diagnostic.notes == ["关键字前后需要空格"])
    #expect(diagnostic.span.start.line == 6)
    #expect(diagnostic.span.start.column == 27)
  }

  @Test func englishKeywordAliasesParseTheSameTree() throws {
    let chinese = """
      规则集 "t" {
        满分 10 分
        精度 1
        等级 { A ≥ 9；B ≥ 6；C }
        输入 x：百分比
        评审 r：0..2 分 "评审说明"
        输入 ok：是否 缺省 是
        输入 q：数值 × 4
        设 y = 如果 x ≥ 90% 且 非 ok 则 x × 2 否则 四舍五入（x ÷ 3，2）
        指标 a 6 {
          指标 a1 4 { 得分 = 分档 x { ≥ 90% → 4；[60%, 90%) → 2；其他 → 0 } }
          指标 a2 2 { 得分 = 清单 { ok → 1；x > 50% 或 r = 2 → 1 } }
        }
        指标 b 4 { 说明 "d" 标准 "s1" "s2" 得分 = 封顶（y ＋ r + 平均(q)，4） }
      }
      """
    let english = """
      ruleset "t" {
        full_marks 10 points
        precision 1
        grades { A >= 9; B >= 6; C }
        input x: percent
        assess r: 0..2 points "评审说明"
        input ok: boolean default true
        input q: number * 4
        let y = if x >= 90% and not ok then x * 2 else round(x / 3, 2)
        indicator a 6 {
          indicator a1 4 { score = bands x { >= 90% -> 4; [60%, 90%) -> 2; otherwise -> 0 } }
          indicator a2 2 { score = checklist { ok -> 1; x > 50% or r = 2 -> 1 } }
        }
        indicator b 4 { description "d" standard "s1" "s2" score = cap(y + r + average(q), 4) }
      }
      """
    let (chineseSyntax, chineseDiagnostics) = parse(chinese)
    let (englishSyntax, englishDiagnostics) = parse(english)
    #expect(chineseDiagnostics.isEmpty)
    #expect(englishDiagnostics.isEmpty)
    let chineseRuleset = try #require(chineseSyntax.rulesets.first)
    let englishRuleset = try #require(englishSyntax.rulesets.first)

    #expect(englishRuleset.indicators.map(\.name.value) == ["a", "b"])
    #expect(englishRuleset.indicators.map(\.weight.value) == [ExactDecimal(6), ExactDecimal(4)])
    #expect(englishRuleset.indicators[0].children.map(\.name.value) == ["a1", "a2"])
    #expect(englishRuleset.indicators[1].standard == "s1\ns2")
    #expect(
      englishRuleset.definitions.map { shape($0.value) } == [
        "(如果 (且 (≥ x 90%) (非 ok)) (× x 2) (round (÷ x 3) 2))"
      ])
    #expect(
      englishRuleset.indicators[0].children.compactMap { $0.score.map(shape) } == [
        "(分档 x {≥ 90% → 4} {[60%, 90%) → 2} {其他 → 0})",
        "(清单 {ok → 1} {(或 (> x 50%) (= r 2)) → 1})",
      ])
    #expect(summary(englishRuleset) == summary(chineseRuleset))

    // Both spellings also pass the checker.
    #expect(Compiler.compile(SourceFile(path: "zh.rules", text: chinese), staticChecks: false).diagnostics.isEmpty)
    #expect(Compiler.compile(SourceFile(path: "en.rules", text: english), staticChecks: false).diagnostics.isEmpty)
  }

  @Test func adjacentStringsJoinWithLineBreaks() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 甲 10 {
          说明 "一" “二”
          标准 "1.第一条；"
            "2.第二条。"
            “3.“三公”经费。”
          输入 x：数值 "甲" "乙"
          得分 = x
        }
      """)
    #expect(diagnostics.isEmpty)
    let indicator = try #require(ruleset.indicators.first)
    #expect(indicator.description == "一\n二")
    #expect(indicator.standard == "1.第一条；\n2.第二条。\n3.“三公”经费。")
    #expect(indicator.inputs.first?.description == "甲\n乙")
  }

  // MARK: Expressions

  @Test func operatorPrecedence() throws {
    #expect(try shape(parseScore("1 + 2 × 3 - 4 ÷ 2")) == "(- (+ 1 (× 2 3)) (÷ 4 2))")
    #expect(try shape(parseScore("（1 + 2）× 3")) == "(× (+ 1 2) 3)")
    #expect(try shape(parseScore("- x × 2")) == "(× (- x) 2)")
    #expect(try shape(parseScore("如果 a 或 b 且 非 c 则 1 否则 0")) == "(如果 (或 a (且 b (非 c))) 1 0)")
    #expect(
      try shape(parseScore("如果 x + 1 ≥ y × 2 且 z = \"甲\" 则 1 否则 0")) == "(如果 (且 (≥ (+ x 1) (× y 2)) (= z \"甲\")) 1 0)")
    #expect(
      try shape(parseScore("如果 a 则 如果 b 则 1 否则 2 否则 3")) == "(如果 a (如果 b 1 2) 3)")
  }

  @Test func intervalPatternsRecordWhichEndsAreClosed() throws {
    let expression = try parseScore("分档 x { [90%, 95%) → 4；(1, 2] → 1；【0，1】 → 0；（-1，0） → 0 }")
    guard case .bands(_, let arms) = expression.kind else {
      Issue.record("expected bands, got \(shape(expression))")
      return
    }
    let ends: [(Bool, Bool)] = arms.compactMap {
      if case .interval(_, let lowerClosed, _, let upperClosed) = $0.pattern { (lowerClosed, upperClosed) } else { nil }
    }
    #expect(ends.count == 4)
    #expect(ends.map(\.0) == [true, false, true, false])
    #expect(ends.map(\.1) == [false, true, true, false])
    #expect(arms.map { shape($0.pattern) } == ["[90%, 95%)", "(1, 2]", "[0, 1]", "((- 1), 0)"])
  }

  @Test func intervalMustEndWithBracketOrParenthesis() throws {
    let (_, diagnostics) = try parseBody("  输入 x：数值\n  指标 甲 10 { 得分 = 分档 x { [1, 2} → 1 } }")
    let first = try #require(diagnostics.first)
    #expect(first.code == .syntax)
    #expect(first.message == "区间应以 ] （含端点）或 ) （不含端点）结束，但遇到了“}”")
    #expect(first.span.start.line == 6)
  }

  /// Regression: a band's result is read without comparisons, so the next line's "< 60%" is
  /// a new band and not "0.7 < 60%".
  @Test func bandResultStopsBeforeNextLineComparison() throws {
    let expression = try parseScore(
      """
      分档 x {
            ≥ 90%          → 1
            [75%, 90%)     → 0.7
            = 70%          → a × 2
            < 60%          → 0
            > 100%         → 0
            其他           → 0.5
          }
      """)
    #expect(
      shape(expression)
        == "(分档 x {≥ 90% → 1} {[75%, 90%) → 0.7} {= 70% → (× a 2)} {< 60% → 0} {> 100% → 0} {其他 → 0.5})")
  }

  @Test func choiceBandsUseQuotedOptions() throws {
    let expression = try parseScore("分档 c { \"按规定公开\" → 1.5；“公开但有缺陷” → 1；否则 → 0 }")
    #expect(shape(expression) == "(分档 c {\"按规定公开\" → 1.5} {\"公开但有缺陷\" → 1} {其他 → 0})")
  }

  /// A band whose result is a conditional still ends before the next line's comparison: its
  /// branches are band results too, which take no comparison.
  @Test func conditionalBandResultStopsBeforeNextLineComparison() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 甲 10 {
          得分 = 分档 x {
            ≥ 90% → 如果 y 则 2 否则 1
            < 60% → 0
            其他 → 1
          }
        }
      """)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    let score = try #require(ruleset.indicators.first?.score)
    #expect(shape(score) == "(分档 x {≥ 90% → (如果 y 2 1)} {< 60% → 0} {其他 → 1})")
  }

  @Test func checklistItems() throws {
    let expression = try parseScore(
      """
      清单 {
            编制符合职责 → 1
            a 且 非 b → 0.5；c 或 d ≥ 1 → 2
            信访件数 = 0 或 回复件数 ≥ 信访件数 → 1
          }
      """)
    guard case .checklist(let items) = expression.kind else {
      Issue.record("expected a checklist, got \(shape(expression))")
      return
    }
    #expect(items.count == 4)
    #expect(
      shape(expression)
        == "(清单 {编制符合职责 → 1} {(且 a (非 b)) → 0.5} {(或 c (≥ d 1)) → 2} {(或 (= 信访件数 0) (≥ 回复件数 信访件数)) → 1})")
    #expect(items.map(\.span.start.line) == [6, 7, 7, 8])
  }

  // MARK: Declarations

  @Test func headerAndGrades() throws {
    let (syntax, diagnostics) = parse(
      """
      规则集 “测试（2024）” {
        满分 100 分
        精度 3
        等级 { 优 ≥ 90 分；良 ≥ 80，中 ≥ 60.5
               差 }
        指标 甲 100 { 得分 = 1 }
      }
      """)
    #expect(diagnostics.isEmpty)
    let ruleset = try #require(syntax.rulesets.first)
    #expect(ruleset.name == "测试（2024）")
    #expect(ruleset.fullMarks?.value == ExactDecimal(100))
    #expect(ruleset.fullMarks?.span.start.line == 2)
    #expect(ruleset.precision?.value == 3)
    let grades = try #require(ruleset.grades)
    #expect(grades.map(\.name) == ["优", "良", "中", "差"])
    let sixtyAndAHalf = try decimal("60.5")
    #expect(grades.map(\.threshold) == [ExactDecimal(90), ExactDecimal(80), sixtyAndAHalf, nil])
    #expect(ruleset.gradesSpan?.start.line == 4)
  }

  @Test func inputDeclarations() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        输入 金：金额（万元） "说明"
        输入 元额：金额
        输入 n：数量
        输入 人：人数
        输入 p：百分比 × 4 缺省 [1, 2, 3, 4]
        输入 v：数值 缺省 -1
        输入 b：是否 缺省 否
        输入 c：选项（甲，乙；丙）
        评审 r：0..1 分 "评审"
        评审 t：是否
        指标 甲 10 { 得分 = 1 }
      """)
    #expect(diagnostics.isEmpty)
    let inputs = ruleset.inputs
    #expect(inputs.map(\.name.value) == ["金", "元额", "n", "人", "p", "v", "b", "c", "r", "t"])
    #expect(
      inputs.map(\.kind) == [
        .amount(unit: "万元"), .amount(unit: nil), .count, .count, .percent, .number, .boolean,
        .choice(["甲", "乙", "丙"]), .points(.zero, .one), .boolean,
      ])
    #expect(inputs.map(\.length) == [nil, nil, nil, nil, 4, nil, nil, nil, nil, nil])
    #expect(inputs.map(\.isAssessment) == [false, false, false, false, false, false, false, false, true, true])
    #expect(
      inputs.map { $0.defaultValue.map(shape) } == [nil, nil, nil, nil, "[1 2 3 4]", "(- 1)", "否", nil, nil, nil])
    #expect(inputs.map(\.description) == ["说明", nil, nil, nil, nil, nil, nil, nil, "评审", nil])
    #expect(inputs.map(\.span.start.line) == Array(5...14))
  }

  /// A deduction range such as -5..0 分 has a negative lower bound.
  @Test func assessmentRangeWithNegativeLowerBound() throws {
    let (ruleset, diagnostics) = try parseBody("  指标 甲 10 { 评审 扣分：-5..0 分  得分 = 10 + 扣分 }")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    let input = try #require(ruleset.indicators.first?.inputs.first)
    #expect(input.kind == .points(ExactDecimal(-5), .zero))
  }

  @Test func nestedIndicatorsAndLocalDefinitions() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 上级 10 {
          输入 在编人数：数量
          设 比 = 在编人数 ÷ 2
          指标 "下级、一" 4 分 { 得分 = 比 }
          指标 下级二 6 { 得分 = 6 }
        }
      """)
    #expect(diagnostics.isEmpty)
    let parent = try #require(ruleset.indicators.first)
    #expect(parent.name.value == "上级")
    #expect(parent.score == nil)
    #expect(parent.inputs.map(\.name.value) == ["在编人数"])
    #expect(parent.definitions.map { "\($0.name.value)=\(shape($0.value))" } == ["比=(÷ 在编人数 2)"])
    #expect(parent.children.map(\.name.value) == ["下级、一", "下级二"])
    #expect(parent.children.map(\.weight.value) == [ExactDecimal(4), ExactDecimal(6)])
    #expect(parent.children.map(\.name.span.start.line) == [8, 9])
    #expect(parent.span.start.line == 5)
    #expect(parent.span.end.line == 10)
  }

  @Test func testBlocks() throws {
    let (syntax, diagnostics) = parse(
      testRuleset("  指标 甲 10 { 得分 = 1 }")
        + """

        测试 "样例" {
          输入 { x = 1；y = [1, 2]
                 z = "通过" }
          期望 甲 = 10
        }
        """)
    #expect(diagnostics.isEmpty)
    let test = try #require(syntax.tests.first)
    #expect(syntax.tests.count == 1)
    #expect(test.name == "样例")
    #expect(test.inputs.map { "\($0.name.value)=\(shape($0.value))" } == ["x=1", "y=[1 2]", "z=\"通过\""])
    #expect(test.expectations.map { "\($0.name.value)=\(shape($0.value))" } == ["甲=10"])
  }

  // MARK: Diagnostics

  @Test(arguments: [
    ("（", "1", "）"),
    ("[", "1", "]"),
    ("非 ", "是", ""),
    ("－", "1", ""),
    ("如果 是 则 ", "1", " 否则 0"),
    ("封顶（", "1", "，1）"),
  ])
  func nestingDeeperThan64IsAnErrorNotACrash(open: String, inner: String, close: String) throws {
    for depth in [200, 20_000] {
      let formula = String(repeating: open, count: depth) + inner + String(repeating: close, count: depth)
      let (_, diagnostics) = parse(testRuleset("  设 f = \(formula)\n  指标 甲 10 { 得分 = 1 }"))
      let nesting = diagnostics.filter { $0.code == .nestingTooDeep }
      #expect(nesting.count == 1, "depth \(depth): \(codes(diagnostics))")
      #expect(nesting.first?.message == "嵌套超过 64 层")
      #expect(nesting.first?.notes == ["请用“设”把复杂的式子拆成几步"])
      #expect(nesting.first?.span.start.line == 5)
      #expect(diagnostics.allSatisfy { $0.code == .nestingTooDeep }, "depth \(depth): \(codes(diagnostics))")
    }
  }

  @Test func nestingLimitIsExactly64() throws {
    func diagnostics(parentheses depth: Int) -> [String] {
      let formula = String(repeating: "（", count: depth) + "1" + String(repeating: "）", count: depth)
      return codes(parse(testRuleset("  设 f = \(formula)\n  指标 甲 10 { 得分 = f }")).diagnostics)
    }
    // The definition's own expression is level 1, each parenthesis one more.
    #expect(diagnostics(parentheses: 63) == [])
    #expect(diagnostics(parentheses: 64) == ["E005"])
  }

  @Test func deeplyNestedIndicatorsAreAnError() throws {
    let depth = 70
    let opening = (1...depth).map { "指标 甲\($0) 10 { " }.joined()
    let body = "  " + opening + "得分 = 1" + String(repeating: " }", count: depth)
    let (_, diagnostics) = try parseBody(body)
    #expect(diagnostics.filter { $0.code == .nestingTooDeep }.count == 1)
    #expect(diagnostics.first?.code == .nestingTooDeep)
    #expect(diagnostics.first?.message == "嵌套超过 64 层")
  }

  /// 分档 nested in a band's subject or result counts towards the nesting limit.
  @Test(arguments: [70, 500]) func nestedBandsCountTowardsTheNestingLimit(depth: Int) {
    let formula =
      String(repeating: "分档 ", count: depth) + "x" + String(repeating: " { 其他 → 1 }", count: depth)
    let (_, diagnostics) = parse(testRuleset("  输入 x：数值\n  指标 甲 10 { 得分 = \(formula) }"))
    #expect(codes(diagnostics).contains("E005"), "\(codes(diagnostics))")
  }

  @Test func unterminatedAsciiString() throws {
    let text = testRuleset("  指标 甲 10 {\n    说明 \"部门预算\n    得分 = 1\n  }")
    let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "t.rules", text: text))
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.code == .unterminatedString)
    #expect(diagnostic.severity == .error)
    #expect(diagnostic.message == "字符串没有结束")
    #expect(diagnostic.notes == ["在文件末尾前补上右引号 \""])
    #expect(diagnostic.span.start.line == 6)
    #expect(diagnostic.span.start.column == 8)
    // The string ran to the end of the file.
    #expect(tokens.dropLast().last?.kind == .string("部门预算\n    得分 = 1\n  }\n}"))
    // The string swallowed the closing braces; missing braces would only repeat E002.
    #expect(codes(parse(text).diagnostics) == ["E002"])
  }

  @Test func unterminatedChineseStringCountsNestedQuotes() throws {
    let (_, diagnostics) = Lexer.tokenize(SourceFile(path: "t.rules", text: "说明 ““三公”经费\n得分 = 1"))
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.code == .unterminatedString)
    #expect(diagnostic.notes == ["在文件末尾前补上右引号 ”"])
    #expect(diagnostic.span.start.line == 1)
    #expect(diagnostic.span.start.column == 4)
  }

  @Test func unknownCharactersAreReportedWithTheirPositionAndLexingGoesOn() throws {
    let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "t.rules", text: "x = 1 @ 2\n中文 ‘y’ $"))
    #expect(diagnostics.map(\.code) == [.unknownCharacter, .unknownCharacter, .unknownCharacter, .unknownCharacter])
    #expect(diagnostics.map(\.message) == ["无法识别的字符“@”", "无法识别的字符“‘”", "无法识别的字符“’”", "无法识别的字符“$”"])
    #expect(diagnostics.map { "\($0.span.start.line):\($0.span.start.column)" } == ["1:7", "2:4", "2:6", "2:8"])
    #expect(diagnostics.first?.notes == ["规则中只能出现名称、数字、字符串和运算符号；说明文字请放在引号里，注释以 # 开头"])
    #expect(
      tokens.map(\.kind) == [
        .name("x"), symbol(.equal), number("1"), number("2"), .name("中文"), .name("y"), .endOfFile,
      ])
  }

  @Test func numbersWrittenAsInReportsGetAHintThatSaysWhatTheyAre() {
    func notes(_ score: String) -> [String] {
      parse("规则集 \"x\" {\n  满分 10\n  指标 甲 10 { 输入 数：金额（万元）  得分 = \(score) }\n}").diagnostics
        .flatMap(\.notes)
    }
    // A full-width comma is no thousands separator: not “groups of three”, which it is.
    #expect(notes("如果 数 > 3，162.51 则 10 否则 0") == ["全角逗号“，”不能作千位分隔符：请写成 3,162.51（半角逗号），或不写分隔符"])
    // A unit after a number, as a report writes amounts; and no spacing hint for 则 it did not touch.
    #expect(
      notes("如果 数 > 3.67 万 则 10 否则 0") == [
        "规则中的数不带单位：金额的单位写在输入的声明中，如 输入 预算数：金额（万元），公式中写 3.67 即 3.67 万元"
      ])
    // The letter x for ×, never a keyword suggestion (x is not 设).
    for score in ["封顶（数 x 3，10）", "数 x 3", "封顶（数 × 3x10）"] {
      #expect(notes(score) == ["字母“x”不是乘号：乘法请写 × 或 *"], "\(score)")
    }
    // The spacing hint stays where a name swallowed the keyword.
    #expect(notes("如果 数 > 数则 10 否则 0") == ["关键字前后需要空格"])
  }

  @Test func unknownEscapesAndInvisibleCharactersAreNamed() {
    let (_, escapes) = Lexer.tokenize(
      SourceFile(path: "t.rules", text: #"说明 "甲\q乙\n丙\"丁\\" x\#u{200B}y\#u{E0001}"#))
    #expect(
      escapes.map(\.message) == [
        "无法识别的转义写法“\\q”", "无法识别的字符“U+200B（不可见字符）”", "无法识别的字符“U+E0001（不可见字符）”",
      ])
  }

  @Test func commonSlipsGetAHint() {
    func notes(_ body: String) -> [String] {
      parse("规则集 \"x\" {\n  满分 10\n\(body)\n}").diagnostics.flatMap(\.notes)
    }
    #expect(notes("  指标 甲 10 { 得分 = .5 }") == ["小数点前要有数字，如 0.5"])
    let split = parse("规则集 \"x\" {\n  满分 1,00\n  等级 { 优 ≥ 90；差 }\n  指标 甲 100 { 得分 = 1 }\n}")
    #expect(split.diagnostics.map(\.message) == ["这里应是一个完整的数，但遇到了“,”"])
    #expect(split.diagnostics.first?.notes == ["千位分隔符只能每 3 位一组（如 18,779.46）；这里的逗号把一个数分成了两个"])
    // 满分 was not read, so the grades are not also measured against a 满分 of 1.
    #expect(
      Compiler.compile(
        SourceFile(path: "t.rules", text: "规则集 \"x\" {\n  满分 1,00\n  等级 { 优 ≥ 90；差 }\n  指标 甲 100 { 得分 = 1 }\n}")
      ).diagnostics.count == 1)
    #expect(
      notes("  指标 甲 10 { 输入 x：数值  得分 = 如果 1 < x < 3 则 10 否则 0 }") == ["请写成两个比较，如：1 < x 且 x < 3；分档中的区间可以写成 [1, 3)"])
    #expect(notes("  指标 甲 10 { 输入 x：百分比  得分 = 分档 x { ≧ 90% → 10；其他 → 0 } }").first == "请写 ≥ 或 >=")
    #expect(
      notes("  指标 甲 10 { 输入 y：是否  得分 = 0 ＋ 如果 y 则 1 否则 0 }") == ["“如果 … 则 … 否则 …”在式子中间时要加括号，如：0 ＋（如果 甲 则 1 否则 0）"])
    // An indicator that lacks its closing brace swallows the ruleset's; the hint points back at it.
    let unclosed = parse(
      """
      规则集 "x" {
        满分 10
        指标 甲 5 {
          得分 = 5
        指标 乙 5 {
          得分 = 5
        }
      }
      """)
    #expect(unclosed.diagnostics.map(\.message) == ["这里应有右花括号 } 来结束规则集，但遇到了文件结尾"])
    #expect(unclosed.diagnostics.first?.notes == ["指标“甲”（第 3 行）的右花括号 } 与它的开头没有对齐，可能是它少了一个 }"])
  }

  @Test func unknownCharacterInARulesFile() throws {
    let (ruleset, diagnostics) = try parseBody("  指标 甲 10 { 得分 = 1 ＋ 2 ¥ }")
    let diagnostic = try #require(diagnostics.first)
    #expect(codes(diagnostics) == ["E001"])
    #expect(diagnostic.message == "无法识别的字符“¥”")
    #expect(diagnostic.span.start.line == 5)
    #expect(diagnostic.span.start.column == 24)
    #expect(ruleset.indicators.first?.score.map(shape) == "(+ 1 2)")
  }

  @Test func aSyntaxErrorRightAfterAnUnknownCharacterIsNotReportedTwice() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 甲 4 { 输入 x：百分比 得分 = 分档 x { ≧ 90% → 4；< 90% → 0 } }
        指标 乙 6 { 得分 = ） }
      """)
    // The error at “90%” only repeats the unknown “≧”; the one in 乙 is a mistake of its own.
    #expect(codes(diagnostics) == ["E001", "E004"])
    #expect(diagnostics.map { "\($0.span.start.line):\($0.span.start.column)" } == ["5:33", "6:17"])
    #expect(ruleset.indicators.map(\.name.value) == ["甲", "乙"])
  }

  @Test func pointsMayBeWrittenWithTheirUnitAsTheStandardDoes() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 甲 10 { 输入 x：百分比  得分 = 分档 x { ≥ 90% → 10分；其他 → 0 分 } }
        指标 乙 5 { 输入 y：是否  得分 = 如果 y 则 5 分 否则 0 分 }
        指标 丙 2 { 输入 z：是否  得分 = 清单 { z → 2 分 } }
      """)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(ruleset.indicators[1].score.map(shape) == "(如果 y 5 0)")
  }

  @Test func headerSettingsOnceAndGradeThresholdsInPoints() {
    for (text, message) in [
      ("  满分 10\n  满分 20", "“满分”写了两次，只能写一次"),
      ("  满分 10\n  精度 2\n  精度 1", "“精度”写了两次，只能写一次"),
      ("  满分 10\n  等级 { 优 ≥ 9；差 }\n  等级 { 优 ≥ 8；差 }", "“等级”写了两次，只能写一次"),
      ("  满分 10\n  等级 { 优 ≥ 90%；差 }", "等级的分数线是总分，不能带 %（如 优 ≥ 90），但遇到了“90%”"),
    ] {
      let (_, diagnostics) = parse("规则集 \"x\" {\n\(text)\n  指标 甲 10 { 得分 = 1 }\n}")
      #expect(diagnostics.map(\.message) == [message], "\(text)")
    }
  }

  @Test func twoSyntaxErrorsAreBothReportedAndParsingGoesOn() throws {
    let (ruleset, diagnostics) = try parseBody(
      """
        指标 甲 4 { 输入 x：数值 得分 = x × }
        指标 乙 3 { 得分 = ） }
        指标 丙 3 { 输入 z：数值 得分 = z ＋ 1 }
      """)
    #expect(codes(diagnostics) == ["E004", "E004"])
    #expect(diagnostics.map(\.message) == ["这里应有数值、名称或式子，但遇到了“}”", "这里应有数值、名称或式子，但遇到了“）”"])
    #expect(diagnostics.map { "\($0.span.start.line):\($0.span.start.column)" } == ["5:29", "6:17"])
    #expect(ruleset.indicators.map(\.name.value) == ["甲", "乙", "丙"])
    #expect(ruleset.indicators[0].inputs.map(\.name.value) == ["x"])
    #expect(ruleset.indicators[2].score.map(shape) == "(+ z 1)")
  }

  @Test func recoveryAtRulesetLevel() throws {
    let (syntax, diagnostics) = parse(
      """
      规则集 "测试" {
        满分 十
        精度 2
        等级 { 优 > 9；差 }
        指标 甲 10 { 得分 = 1 }
      }
      """)
    #expect(codes(diagnostics) == ["E004", "E004"])
    #expect(
      diagnostics.map(\.message) == [
        "这里应有数字，但遇到了“十”", "等级的分数线请写成“≥ 分数”（达到该分数即为此等级），但遇到了“>”",
      ])
    #expect(diagnostics.map(\.span.start.line) == [2, 4])
    let ruleset = try #require(syntax.rulesets.first)
    #expect(ruleset.precision?.value == 2)
    #expect(ruleset.indicators.map(\.name.value) == ["甲"])
  }

  @Test func topLevelMustBeRulesetOrTest() {
    let (syntax, diagnostics) = parse("指标 甲 10 { 得分 = 1 }\n" + testRuleset("  指标 乙 10 { 得分 = 1 }"))
    #expect(codes(diagnostics) == ["E004"])
    #expect(diagnostics.first?.message == "文件顶层应是“规则集”或“测试”，但遇到了“指标”")
    #expect(diagnostics.first?.span.start.line == 1)
    #expect(syntax.rulesets.first?.indicators.map(\.name.value) == ["乙"])
  }

  @Test func declarationErrors() throws {
    let cases: [(body: String, code: String, message: String, column: Int)] = [
      ("  指标 甲 10 { 输入 q：数值 × 0  得分 = 1 }", "E021", "列表长度应是 1 到 1000 的整数", 23),
      ("  指标 甲 10 { 输入 q：文本  得分 = 1 }", "E004", "不认识的类型“文本”", 18),
      ("  指标 甲 10 { 得分 = 1 得分 = 2 }", "E020", "指标“甲”写了两个得分公式", 20),
      ("  指标 甲 10 { 说明 得分 = 1 }", "E004", "这里应有带引号的说明原文，但遇到了“得分”", 16),
      ("  指标 甲 10 { 输入 x 数值  得分 = 1 }", "E004", "这里应有冒号 ：和类型（如 百分比、金额（万元）、数量、是否），但遇到了“数值”", 18),
      ("  指标 甲 { 得分 = 1 }", "E004", "这里应有数字，但遇到了“{”", 8),
    ]
    for (body, code, message, column) in cases {
      let (_, diagnostics) = try parseBody(body)
      #expect(codes(diagnostics) == [code], "\(body)")
      #expect(diagnostics.first?.message == message)
      #expect(diagnostics.first?.span.start.line == 5)
      #expect(diagnostics.first?.span.start.column == column, "\(body)")
    }
  }

  @Test func precisionOutOfRange() throws {
    let (syntax, diagnostics) = parse(
      """
      规则集 "测试" {
        满分 10
        精度 11
        指标 甲 10 { 得分 = 1 }
      }
      """)
    #expect(codes(diagnostics) == ["E019"])
    #expect(diagnostics.first?.message == "精度应是 0 到 10 之间的整数（保留的小数位数）")
    #expect(diagnostics.first?.span.start.line == 3)
    #expect(syntax.rulesets.first?.precision == nil)
    #expect(syntax.rulesets.first?.indicators.count == 1)
  }
}
