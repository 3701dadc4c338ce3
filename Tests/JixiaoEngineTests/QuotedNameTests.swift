import Testing

@testable import JixiaoEngine

/// Names that hold quotation marks, “三公经费”变动率 or 本级“三公”经费, work wherever a name does:
/// declarations, formulas, data keys, test files, diagnostics, explanations and `jixiao fmt`.
@Suite struct QuotedNameTests {
  static func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(SourceFile(path: "t.rules", text: text)).tokens.map(\.kind).dropLast()
  }

  @Test func quotesGluedToLettersArePartOfTheName() {
    #expect(Self.kinds("“三公经费”变动率") == [.name("“三公经费”变动率")])
    #expect(Self.kinds("本级“三公”经费 ≥ 0") == [.name("本级“三公”经费"), .symbol(.greaterEqual), .number("0", percent: false)])
    #expect(Self.kinds("“三公”经费“控制”率") == [.name("“三公”经费“控制”率")])
    // A quote on its own, or only next to a keyword, punctuation or a digit, is a text.
    #expect(Self.kinds("“按规定公开”") == [.string("按规定公开")])
    #expect(Self.kinds("“按规定公开”且 甲") == [.string("按规定公开"), .keyword(.and), .name("甲")])
    #expect(Self.kinds("如果“甲”") == [.keyword(.ifKeyword), .string("甲")])
    #expect(Self.kinds("“甲”，乙") == [.string("甲"), .symbol(.comma), .name("乙")])
    #expect(Self.kinds("“甲”2") == [.string("甲"), .number("2", percent: false)])
    // A quote that does not close on its line, or nests, stays a (multi-line or nested) text.
    #expect(Self.kinds("“三公\n经费”率") == [.string("三公\n经费"), .name("率")])
    #expect(Self.kinds("““三公”经费”率").first == .string("“三公”经费"))
  }

  static let rules = """
    规则集 "引号" {
      满分 10
      等级 { 优 ≥ 9；差 }
      指标 “三公”经费控制 10 {
        输入 “三公经费”变动率：百分比（-100%..） "本年“三公”经费比上年的变动率"
        输入 本级“三公”经费：金额（万元）
        设 下降幅度 = 保底（－“三公经费”变动率，0%）
        得分 = 如果 本级“三公”经费 = 0 则 10 否则 封顶（下降幅度 × 100，10）
      }
    }
    测试 "“三公”经费下降 5% 得 5 分" {
      输入 { “三公经费”变动率 = -5%；本级“三公”经费 = 3 }
      期望 “三公”经费控制 = 5
    }

    """

  @Test func declaredUsedScoredAndTestedByTheirQuotedNames() throws {
    let compiled = Compiler.compile(SourceFile(path: "q.rules", text: Self.rules))
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    let plan = try #require(compiled.plan)
    #expect(plan.program.cells.map(\.name).prefix(2) == ["“三公经费”变动率", "本级“三公”经费"])
    #expect(TestChecker.diagnostics(compiled.syntax.tests, against: plan).isEmpty)
    #expect(TestRunner.run(compiled.syntax.tests, with: plan).map(\.passed) == [true])

    let data = #"{"subject": "s", "inputs": {"“三公经费”变动率": "-12.5%", "本级“三公”经费": 3}}"#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "d.json", text: data), with: plan, explain: true)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(sheet?.rows.first?.name == "“三公”经费控制")
    #expect(sheet?.total?.description == "10")
    let explanation = sheet?.rows.first?.explanation.joined(separator: "\n") ?? ""
    #expect(explanation.contains("设 下降幅度 = 保底（－“三公经费”变动率，0%） = 保底（-（-12.5%），0%） = 12.5%"))
  }

  @Test func diagnosticsNameAndSuggestQuotedNames() {
    let misspelt = Self.rules.replacingOccurrences(of: "封顶（下降幅度", with: "封顶（“三公经费”变动 × 下降幅度")
    let diagnostics = Compiler.compile(SourceFile(path: "q.rules", text: misspelt)).diagnostics
    #expect(diagnostics.map(\.message) == ["未定义的名称“三公经费”变动"])
    #expect(diagnostics.first?.notes == ["是否指“三公经费”变动率？"])
    let plan = Compiler.compile(SourceFile(path: "q.rules", text: Self.rules)).plan
    let data = #"{"subject": "s", "inputs": {"三公经费变动率": "-12.5%", "本级“三公”经费": 3}}"#
    let messages = plan.map { Compiler.score(SourceFile(path: "d.json", text: data), with: $0).1.map(\.message) }
    #expect(messages?.first == "规则“引号”中没有名为“三公经费变动率”的输入")
  }

  /// A name that holds its own quotes is not wrapped in another pair: ““三公经费”变动率” reads as a typo.
  @Test func quotedNamesAreNotQuotedTwiceInMessages() throws {
    func lines(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.flatMap { [$0.message] + $0.notes } }
    let plan = try #require(Compiler.compile(SourceFile(path: "q.rules", text: Self.rules)).plan)
    func score(_ inputs: String) -> [String] {
      let data = #"{"subject": "s", "inputs": {"# + inputs + "}}"
      return lines(Compiler.score(SourceFile(path: "d.json", text: data), with: plan).1)
    }
    let missing = score(#""本级“三公”经费": 3"#)
    #expect(missing.first == "缺少输入“三公经费”变动率，指标“三公”经费控制需要它")
    #expect(missing.contains { $0.hasPrefix("在 inputs 中填写“三公经费”变动率（") })
    let outOfRange = score(#""“三公经费”变动率": "-103%", "本级“三公”经费": 3"#)
    #expect(outOfRange.first == "“三公经费”变动率的值 -103% 超出规则声明的取值范围 -100%..")

    let unscored = Self.rules.replacingOccurrences(of: "得分 = 如果", with: "设 无用 = 如果")
    let checked = lines(Compiler.compile(SourceFile(path: "q.rules", text: unscored)).diagnostics)
    #expect(checked.contains("指标“三公”经费控制既没有下级指标，也没有得分公式"))

    for line in missing + outOfRange + checked {
      #expect(!line.contains("““") && !line.contains("””"), "\(line)")
    }
  }

  @Test func formattingKeepsQuotedNamesWhole() throws {
    let messy = Self.rules.replacingOccurrences(of: "设 下降幅度 = 保底（", with: "设 下降幅度=保底 （ ")
    guard case .success(let once) = Formatter.format(SourceFile(path: "q.rules", text: messy)) else {
      Issue.record("not formatted")
      return
    }
    #expect(once == Self.rules)
  }
}
