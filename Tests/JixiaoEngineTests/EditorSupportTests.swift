import Testing

@testable import JixiaoEngine

/// The protocol-independent editor support: UTF-16 positions, quick fixes from hints, and the
/// symbol index behind hover, definition, references and completion.
@Suite struct EditorSupportTests {
  @Test func positionsCountUTF16Units() {
    // 𠮷 is one scalar and two UTF-16 units; 满 is one of each.
    let source = SourceFile(path: "x.rules", text: "ab\n𠮷满x\r\n末")
    let x = 5  // a b \n 𠮷 满 x
    #expect(source.utf16Position(at: x) == UTF16Position(line: 1, character: 3))
    #expect(source.offset(at: UTF16Position(line: 1, character: 3)) == x)
    #expect(source.offset(at: UTF16Position(line: 1, character: 2)) == 4)  // 满
    // Inside the surrogate pair: the scalar it encodes.
    #expect(source.offset(at: UTF16Position(line: 1, character: 1)) == 3)
    // Past the line's end stops before its line break; past the last line, the end of the text.
    #expect(source.offset(at: UTF16Position(line: 1, character: 99)) == 7)
    #expect(source.offset(at: UTF16Position(line: 7, character: 0)) == source.scalars.count)
    #expect(source.endPosition == UTF16Position(line: 2, character: 1))
  }

  static let misspelt = """
    ruleset "示例" {
      满分 3
      输入 满意度：百分比 "调查结果"
      指标 服务对象满意度 3 {
        得分 = 分档 满意度 { ≧ 90% → 3；其他 → .5 }
      }
    }
    """

  @Test func hintsThatAreReplacementsBecomeQuickFixes() {
    let source = SourceFile(path: "x.rules", text: Self.misspelt)
    let fixes = Compiler.compile(source).diagnostics.compactMap { $0.quickFix(in: source) }
    #expect(fixes.map(\.replacement) == ["≥", "0."])
    #expect(fixes.map { source.text($0.span) } == ["≧", "."])
    #expect(fixes.first?.title == "改为“≥”")
  }

  @Test func aNoteThatIsNoReplacementGivesNoFix() {
    let source = SourceFile(path: "x.rules", text: "规则集 \"示例\" { 满分 1 }")
    let diagnostic = Diagnostic(.undefinedName, at: source.span(0, 3), "x", notes: ["名称须先用“输入”“评审”或“设”声明"])
    #expect(diagnostic.quickFix(in: source) == nil)
  }

  @Test func theIndexKnowsDeclarationsUsesAndTheFilesLanguage() {
    let source = SourceFile(path: "x.rules", text: Self.misspelt)
    let index = SymbolIndex(source)
    #expect(index.symbols.map(\.name) == ["满意度", "服务对象满意度"])
    #expect(index.symbol(named: "满意度")?.hover == "**输入 满意度**：百分比\n\n说明：调查结果")
    #expect(index.references(to: "满意度").map(\.start.line) == [3, 5])
    #expect(index.outline.map(\.detail) == ["3 分"])
    // The file writes ruleset, so English spellings are offered beside the Chinese ones.
    let words = index.completions().map(\.text)
    #expect(words.contains("满意度") && words.contains("分档") && words.contains("bands") && words.contains("cap"))
    let chineseOnly = SymbolIndex(SourceFile(path: "y.rules", text: "规则集 \"示例\" { 满分 1 }")).completions()
    #expect(chineseOnly.contains { $0.text == "分档" } && !chineseOnly.contains { $0.text == "bands" })
  }

  @Test func completionOffersALocalDefinitionOnlyInsideItsIndicatorAndIndicatorsOnlyToTests() {
    let text = """
      规则集 "示例" {
        满分 2
        输入 甲：数值
        指标 一 1 {
          设 局部 = 甲
          得分 = 局部
        }
        指标 二 1 {
          得分 = 1
        }
      }
      """
    let source = SourceFile(path: "x.rules", text: text)
    let index = SymbolIndex(source)
    func names(atLine line: Int) -> [String] {
      index.completions(at: source.offset(at: UTF16Position(line: line, character: 10))).filter { $0.kind == .name }
        .map(\.text)
    }
    #expect(names(atLine: 5) == ["甲", "局部"])
    #expect(names(atLine: 8) == ["甲"])
    let tests = SymbolIndex(SourceFile(path: "x.test.rules", text: "适用 \"x.rules\"\n测试 \"t\" { 期望 一 = 1 }"))
    #expect(tests.completions(bases: [index]).filter { $0.kind == .name }.map(\.text) == ["甲", "一", "二"])
  }

  @Test func hoversOfTheShippedDepartmentRulesGiveTheTreePathAndTheInputsDeclaration() throws {
    let source = SourceFile(path: "r.rules", text: try readText(Repository.rules + "shenzhen-department-2019.rules"))
    let index = SymbolIndex(source)
    let indicator = index.symbol(named: "预算执行率")?.hover ?? ""
    #expect(indicator.hasPrefix("**指标 预算执行率**（6 分）\n\n部门绩效 › 效率性 › 预算执行率\n\n说明："))
    #expect(
      index.symbol(named: "季度执行率")?.hover
        == "**输入 季度执行率**：百分比，共 4 项\n\n缺省：季度支出进度 ÷ 序时进度\n\n说明：各季度支出进度 ÷ 序时进度")
    #expect(index.symbol(named: "实际政府采购金额")?.hover.hasPrefix("**输入 实际政府采购金额**：金额（万元）") == true)
    #expect(index.outline.map(\.detail) == ["25 分", "20 分", "55 分"])
  }

  /// The alternatives of a generated `(?<!…)(?:a|b|…)(?!…)` or `(?:a|b|…)` pattern.
  static func alternatives(_ rule: String) throws -> [String] {
    let grammar = try JSON.parse(SyntaxGrammar.textMate.rendered())
    let pattern = grammar["repository"]?[rule]?["match"]?.stringValue ?? ""
    guard let open = pattern.firstRange(of: "(?:"), let close = pattern.lastIndex(of: ")") else { return [] }
    var inner = pattern[open.upperBound..<close]
    if let lookahead = inner.firstRange(of: ")(?!") { inner = inner[..<lookahead.lowerBound] }
    return inner.split(separator: "|").map(String.init)
  }

  @Test func everyKeywordAndFunctionSpellingOfTheLexerIsInTheGrammar() throws {
    let keywords = Set(try Self.alternatives("keyword"))
    for keyword in Keyword.allCases {
      for spelling in keyword.spellings { #expect(keywords.contains(spelling), "\(spelling)") }
    }
    #expect(keywords.count == Keyword.allCases.flatMap(\.spellings).count)
    let functions = Set(try Self.alternatives("function"))
    #expect(functions == Set(Builtin.allCases.flatMap(\.spellings)))
  }

  @Test func everySymbolSpellingIsInTheGrammarInPlainAndFullWidthForm() throws {
    let operators = Set(try Self.alternatives("operator"))
    #expect(operators.contains("[>＞][=＝]"))  // >= and ＞＝, as the lexer reads both
    #expect(operators.contains("≥") && operators.contains("÷") && operators.contains("[\\(（]"))
    for (first, second, _) in Lexer.symbolPairs {
      #expect(operators.contains(SyntaxGrammar.spelled(String(first) + String(second))))
    }
    for single in Lexer.singleSymbols.keys { #expect(operators.contains(SyntaxGrammar.spelled(String(single)))) }
  }
}
