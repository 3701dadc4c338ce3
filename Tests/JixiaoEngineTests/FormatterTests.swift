import Foundation
import Testing

@testable import JixiaoEngine

// `Formatter` is spelled out with its module: Foundation has a `Formatter` class too.

// MARK: - Helpers

/// Every rule file in Rules/, test files included: all of them are kept formatted.
private let shippedRuleFiles: [String] = {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.rules)) ?? []
  return names.filter { $0.hasSuffix(".rules") }.sorted()
}()

private func shippedText(_ name: String) throws -> String {
  try readText(Repository.rules + name)
}

private func format(_ text: String, path: String = "t.rules") -> Result<String, [Diagnostic]> {
  JixiaoEngine.Formatter.format(SourceFile(path: path, text: text))
}

/// The formatted text, or a recorded issue and nil when the formatter refused.
private func formatted(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
  switch format(text) {
  case .success(let output): return output
  case .failure(let diagnostics):
    Issue.record("formatting failed: \(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return nil
  }
}

/// Formats `input`, expects exactly `expected`, and expects `expected` to format to itself.
private func expectFormat(_ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
  guard let output = formatted(input, sourceLocation: sourceLocation) else { return }
  #expect(output == expected, "got:\n\(output)", sourceLocation: sourceLocation)
  #expect(formatted(expected, sourceLocation: sourceLocation) == expected, sourceLocation: sourceLocation)
}

private func comments(_ text: String) -> [String] {
  Lexer.tokenize(SourceFile(path: "t.rules", text: text), keepComments: true).comments.map(\.text)
}

private func tokenKinds(_ text: String) -> [TokenKind] {
  Lexer.tokenize(SourceFile(path: "t.rules", text: text)).tokens.map(\.kind)
}

/// Everything the parser read, without source positions, so that two texts can be compared.
private func tree(_ text: String) -> String {
  let (syntax, diagnostics) = Parser.parse(SourceFile(path: "t.rules", text: text))
  var lines = diagnostics.map { "diagnostic \($0.code.rawValue) \($0.message)" }
  func expression(_ e: JixiaoEngine.Expression) -> String {
    switch e.kind {
    case .number(let value, let percent): return "\(value)\(percent ? "%" : "")"
    case .string(let text): return "“\(text)”"
    case .date(let date): return "date \(date)"
    case .boolean(let value): return "\(value)"
    case .name(let name): return name
    case .list(let elements): return "[" + elements.map(expression).joined(separator: ", ") + "]"
    case .negate(let operand): return "(-\(expression(operand)))"
    case .not(let operand): return "(not \(expression(operand)))"
    case .binary(let op, let left, let right): return "(\(expression(left)) \(op.rawValue) \(expression(right)))"
    case .conditional(let condition, let whenTrue, let whenFalse):
      return "(if \(expression(condition)) then \(expression(whenTrue)) else \(expression(whenFalse)))"
    case .call(let callee, let arguments):
      return callee.value + "(" + arguments.map(expression).joined(separator: ", ") + ")"
    case .bands(let subject, let arms):
      let armTexts = arms.map { arm -> String in
        let pattern: String
        switch arm.pattern {
        case .compare(let op, let bound): pattern = "\(op.rawValue) \(expression(bound))"
        case .interval(let lower, let lowerClosed, let upper, let upperClosed):
          pattern = "\(lowerClosed ? "[" : "(")\(expression(lower)), \(expression(upper))\(upperClosed ? "]" : ")")"
        case .option(let option): pattern = "“\(option)”"
        case .otherwise: pattern = "otherwise"
        }
        return "\(pattern) → \(expression(arm.result))"
      }
      return "bands \(expression(subject)) {\(armTexts.joined(separator: "; "))}"
    case .checklist(let items):
      return "checklist {"
        + items.map { "\(expression($0.condition)) → \(expression($0.points))" }.joined(separator: "; ") + "}"
    }
  }
  func input(_ i: InputSyntax) -> String {
    "\(i.isAssessment ? "assess" : "input") \(i.name.value) \(i.kind) ×\(i.length.map(String.init) ?? "-") "
      + "default \(i.defaultValue.map { expression($0) } ?? "-") “\(i.description ?? "")”"
  }
  func indicator(_ i: IndicatorSyntax, _ depth: Int) {
    let pad = String(repeating: " ", count: depth)
    lines.append("\(pad)indicator \(i.name.value) \(i.weight.value) rows=\(i.fromRows)")
    lines.append("\(pad) description “\(i.description ?? "-")” standard “\(i.standard ?? "-")”")
    lines += i.inputs.map { pad + " " + input($0) }
    lines += i.definitions.map { "\(pad) let \($0.name.value) = \(expression($0.value))" }
    lines.append("\(pad) score \(i.score.map { expression($0) } ?? "-")")
    for child in i.children { indicator(child, depth + 1) }
  }
  for ruleset in syntax.rulesets {
    lines.append(
      "ruleset \(ruleset.name) \(ruleset.fullMarks?.value.description ?? "-") \(ruleset.precision?.value ?? -1)")
    lines += (ruleset.grades ?? []).map { "grade \($0.name) \($0.threshold?.description ?? "-")" }
    lines += ruleset.inputs.map(input)
    lines += ruleset.definitions.map { "let \($0.name.value) = \(expression($0.value))" }
    for child in ruleset.indicators { indicator(child, 0) }
    if let scoring = ruleset.rowScoring {
      lines.append("row scoring \(scoring.precision?.value ?? -1)")
      for method in scoring.methods {
        let body =
          method.formula.map(expression)
          ?? method.judgment.map { "\($0.name.value) \($0.lower) \($0.upper) \($0.upperClosed)" }.joined(
            separator: "; ")
        lines.append("method \(method.name.value) “\(method.description ?? "")” = \(body)")
      }
      lines += scoring.choices.map { choice in
        let qualifiers = "\(choice.level2?.value ?? "-") \(choice.form.rawValue) \(choice.unit?.value ?? "-")"
        return "choose \(qualifiers) → \(choice.method?.value ?? choice.reading?.rawValue ?? "-")"
      }
      lines += scoring.synonyms.map { "synonyms \($0.value)" }
      lines.append("failing \(scoring.failing)")
      lines += scoring.conversions.map { "convert \($0.amount) \($0.unit) = \($0.equals) \($0.otherUnit)" }
    }
  }
  for test in syntax.tests {
    lines.append("test \(test.name)")
    lines += test.inputs.map { " input \($0.name.value) = \(expression($0.value))" }
    lines += test.expectations.map { " expect \($0.name.value) = \(expression($0.value))" }
  }
  return lines.joined(separator: "\n")
}

// MARK: - Shipped rule files

@Suite struct FormatterTests {
  @Test(arguments: shippedRuleFiles)
  func shippedFileFormatsToAFixedPoint(name: String) throws {
    let text = try shippedText(name)
    let once = try #require(formatted(text))
    let twice = try #require(formatted(once))
    #expect(twice == once)
    #expect(once.hasSuffix("}\n"))
    #expect(!once.contains(" \n"))
  }

  @Test(arguments: shippedRuleFiles)
  func shippedFileParsesToTheSameTreeAfterFormatting(name: String) throws {
    let text = try shippedText(name)
    let output = try #require(formatted(text))
    let before = tree(text)
    #expect(before.contains(name.hasSuffix(".test.rules") ? "test " : "indicator "))
    #expect(!before.contains("diagnostic"))
    #expect(tree(output) == before)
    #expect(tokenKinds(output) == tokenKinds(text))
    // The summary does see a change of meaning.
    #expect(tree(text.replacingOccurrences(of: "5", with: "6")) != before)
  }

  @Test(arguments: shippedRuleFiles)
  func shippedFileKeepsEveryComment(name: String) throws {
    let text = try shippedText(name)
    let output = try #require(formatted(text))
    let before = comments(text)
    #expect(before.count >= 5)
    #expect(comments(output) == before)
    #expect(output.components(separatedBy: "#").count == text.components(separatedBy: "#").count)
  }

  /// The shipped files are written in the canonical layout: formatting leaves them nearly alone.
  @Test(arguments: shippedRuleFiles)
  func shippedFileIsNearlyUnchanged(name: String) throws {
    let text = try shippedText(name)
    let output = try #require(formatted(text))
    let old = text.components(separatedBy: "\n")
    let new = output.components(separatedBy: "\n")
    #expect(old.count == new.count)
    let changed = zip(old, new).filter { $0 != $1 }
    #expect(changed.count <= 2, "changed lines: \(changed)")
  }

  /// Only the line breaks and blank lines of the input matter: respacing and reindenting every
  /// line of a shipped file at random gives the same output.
  @Test(arguments: shippedRuleFiles)
  func horizontalWhitespaceDoesNotMatter(name: String) throws {
    let text = try shippedText(name)
    let source = SourceFile(path: name, text: text)
    let lexed = Lexer.tokenize(source, keepComments: true)
    let items =
      (lexed.tokens.filter { $0.kind != .endOfFile }.map { ($0.start, $0.end) }
      + lexed.comments.map { ($0.start, $0.end) }).sorted { $0.0 < $1.0 }
    var seed: UInt64 = 2024
    func random(_ count: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(count))
    }
    func slice(_ start: Int, _ end: Int) -> String {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: source.scalars[start..<end])
      return String(view)
    }
    var respaced = ""
    var previousEnd = 0
    for (start, end) in items {
      let breaks = source.scalars[previousEnd..<start].filter { $0 == "\n" }.count
      if breaks > 0 || previousEnd == 0 {
        respaced += String(repeating: "\n", count: breaks) + String(repeating: " ", count: random(9))
      } else {
        respaced += String(repeating: " ", count: 1 + random(3))
      }
      respaced += slice(start, end)
      previousEnd = end
    }
    #expect(respaced != text)
    let expected = try #require(formatted(text))
    #expect(formatted(respaced) == expected)
  }

  /// Breaking and joining lines at random: whatever still parses formats without changing its
  /// meaning, and formats to a fixed point.
  @Test(arguments: shippedRuleFiles)
  func randomLineBreaksFormatToAFixedPoint(name: String) throws {
    let text = try shippedText(name)
    let source = SourceFile(path: name, text: text)
    let tokens = Lexer.tokenize(source).tokens.filter { $0.kind != .endOfFile }
    var seed: UInt64 = 7
    func random(_ count: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(count))
    }
    var formattedVariants = 0
    for _ in 0..<30 {
      // Comments are left out here: a line break inserted before one would move it.
      // Gaps are kept as they were three times in four, else become spaces, breaks or blank lines.
      var variant = ""
      for (index, token) in tokens.enumerated() {
        if index > 0 {
          let gaps = ["\n", "\n\n", " ", " ", " ", "  ", "\n      "]
          let original = source.scalars[tokens[index - 1].end..<token.start].contains("\n") ? "\n" : " "
          // A bracket right after a name on the next line would no longer be a call.
          let call = token.kind == .symbol(.leftParen) && original == " "
          variant += random(4) == 0 && !call ? gaps[random(gaps.count)] : original
        }
        variant += token.text
      }
      guard case .success(let once) = format(variant) else { continue }
      formattedVariants += 1
      #expect(formatted(once) == once, "not a fixed point:\n\(once)")
      #expect(tree(once) == tree(variant))
    }
    #expect(formattedVariants >= 20, "only \(formattedVariants) variants parsed")
  }

  @Test func keepingCommentsLeavesTheTokensAlone() throws {
    for name in shippedRuleFiles {
      let source = SourceFile(path: name, text: try shippedText(name))
      let plain = Lexer.tokenize(source)
      let withComments = Lexer.tokenize(source, keepComments: true)
      #expect(withComments.tokens == plain.tokens)
      #expect(withComments.diagnostics == plain.diagnostics)
      #expect(Lexer.tokenize(source, keepComments: false).comments.isEmpty)
      #expect(withComments.comments.allSatisfy { $0.text.hasPrefix("#") })
    }
  }

  // MARK: - Layout

  @Test func messyEnglishInputFormatsToTheCanonicalLayout() {
    let input = """


      # messy header   \t
      ruleset   "Demo"{
      full_marks 10 points
          precision 2      # two places   
        grades {A>=9; B >= 6;C}



       input budget : amount(万元) "budget"
      input  spent:amount( 万元 )"spent"   default   budget*0.5
        assess ok: boolean "ok?"
         assess   mark : 0 .. 2 points "mark"
      let rate=if budget=0 then 100% else spent/budget
        indicator   Execution 6 {

            description "line one"
         "line two"
              score = bands rate { >=95%->6 ; [80%,95%) -> 4;otherwise->0 }
       }
      indicator Quality 4{
       score=checklist{
      ok -> 1
         mark>=1 and not ok->1
        }+ -1*( 1-1 )   // glue

         }
         # closing note
      }
      test "t" { input { budget = 1, spent = 1 } expect Execution = 6 }



      """
    let expected = """
      # messy header
      ruleset "Demo" {
        full_marks 10 points
        precision 2    # two places
        grades { A >= 9; B >= 6; C }

        input budget: amount(万元) "budget"
        input spent: amount(万元) "spent" default budget * 0.5
        assess ok: boolean "ok?"
        assess mark: 0..2 points "mark"
        let rate = if budget = 0 then 100% else spent / budget
        indicator Execution 6 {
          description "line one"
            "line two"
          score = bands rate { >= 95% -> 6; [80%, 95%) -> 4; otherwise -> 0 }
        }
        indicator Quality 4 {
          score = checklist {
            ok -> 1
            mark >= 1 and not ok -> 1
          } + -1 * (1 - 1)    // glue
        }
        # closing note
      }
      test "t" { input { budget = 1, spent = 1 } expect Execution = 6 }

      """
    expectFormat(input, expected)
  }

  @Test func messyChineseInputFormatsToTheCanonicalLayout() {
    let input = """
      规则集 “示例” {
      满分 10 分
        等级 {优 ≥ 9 ；良≥8； 差}
      指标 过程 6 {
              指标 预算执行率 3 {
          说明 "项目全年执行数与全年预算数的比率。"   # 原文
                输入 全年预算数 ： 金额 （ 万元 ）  "全年预算数"
        输入 全年执行数：金额（万元）"全年实际支出数"
       # 读法：全年预算为 0 的，执行率视为 100%。
      设 执行率=如果 全年预算数＝0 则 100％ 否则 全年执行数÷全年预算数
            得分 = 封顶 （ 执行率×3 ， 3 ）
        }
          指标 管理规范性 3{
      评审 资金使用合规：0～2 分 "酌情扣分"
      得分 = 清单 { 资金使用合规 ≥ 1 → 1 ；资金使用合规＜1→ 0 } ＋（ 1 － 1 ）×2
      }
      }
        指标 效果 4 { 得分 = 分档 18,779.46 { ≥ 1,000 → 4 ； 其他 → 0 } }
      }
      """
    let expected = """
      规则集 “示例” {
        满分 10 分
        等级 { 优 ≥ 9；良 ≥ 8；差 }
        指标 过程 6 {
          指标 预算执行率 3 {
            说明 "项目全年执行数与全年预算数的比率。"    # 原文
            输入 全年预算数：金额（万元） "全年预算数"
            输入 全年执行数：金额（万元） "全年实际支出数"
            # 读法：全年预算为 0 的，执行率视为 100%。
            设 执行率 = 如果 全年预算数 ＝ 0 则 100％ 否则 全年执行数 ÷ 全年预算数
            得分 = 封顶（执行率 × 3，3）
          }
          指标 管理规范性 3 {
            评审 资金使用合规：0～2 分 "酌情扣分"
            得分 = 清单 { 资金使用合规 ≥ 1 → 1；资金使用合规 ＜ 1 → 0 } ＋ （1 － 1）× 2
          }
        }
        指标 效果 4 { 得分 = 分档 18,779.46 { ≥ 1,000 → 4；其他 → 0 } }
      }

      """
    expectFormat(input, expected)
  }

  @Test func continuationLinesAreOneLevelDeeperThanTheirItem() {
    let input = """
      规则集 "甲" {
      满分 10
      行评分 {
      方法 多 "说明"
      = 如果 实际值 ≥ 目标值 则 分值
                否则 0
      选用 {
      ≥ → 多
         > → 多
      }
      }
      指标 乙 10 {
      标准 "一"
      "二"
      输入 甲：数值 "甲"
      缺省 1
      得分 = 如果 甲 > 0 则 1
              否则 分档 甲 {
      ≥ 5 → 1
      其他 → 如果 甲 > 1
      则 0 否则 0
      }
      ＋ 0
      }
      }
      """
    let expected = """
      规则集 "甲" {
        满分 10
        行评分 {
          方法 多 "说明"
            = 如果 实际值 ≥ 目标值 则 分值
            否则 0
          选用 {
            ≥ → 多
            > → 多
          }
        }
        指标 乙 10 {
          标准 "一"
            "二"
          输入 甲：数值 "甲"
            缺省 1
          得分 = 如果 甲 > 0 则 1
            否则 分档 甲 {
              ≥ 5            → 1
              其他           → 如果 甲 > 1
                则 0 否则 0
            }
            ＋ 0
        }
      }

      """
    expectFormat(input, expected)
  }

  @Test func bandArmsOnTheirOwnLinesLineUpTheirArrows() {
    let input = """
      规则集 "甲" {
        满分 10
        指标 乙 10 {
          输入 率：百分比
          输入 公开：选项（按规定公开，公开但有缺陷）
          设 丙 = 分档 公开 {
         "按规定公开" → 1.5
                "公开但有缺陷"→1
          }
          设 丁 = 分档 率 {
            ≥ 95% → 6
            [1,000%, 2,000.5%) →   4
           其他→ 0
          }
          设 戊 = 分档 率 {
            ≥ 95%   → 6；其他 → 0
          }
          得分 = 分档 率 {
            ≥ 90%          → 1
            [75%, 90%)     → 0.7
            < 75%    → 0
          }
        }
      }
      """
    let expected = """
      规则集 "甲" {
        满分 10
        指标 乙 10 {
          输入 率：百分比
          输入 公开：选项（按规定公开，公开但有缺陷）
          设 丙 = 分档 公开 {
            "按规定公开"   → 1.5
            "公开但有缺陷" → 1
          }
          设 丁 = 分档 率 {
            ≥ 95%              → 6
            [1,000%, 2,000.5%) → 4
            其他               → 0
          }
          设 戊 = 分档 率 {
            ≥ 95% → 6；其他 → 0
          }
          得分 = 分档 率 {
            ≥ 90%          → 1
            [75%, 90%)     → 0.7
            < 75%          → 0
          }
        }
      }

      """
    expectFormat(input, expected)
  }

  @Test func blankLinesAndCommentsArePlacedPredictably() {
    let input = """

      // 文件头注释


      规则集 "甲" {    # 规则集


        满分 10
      # 关于指标



        指标 乙 10 {
        得分 = 1
            # 块末注释

      }

      }
      # 文件末注释\t


      """
    let expected = """
      // 文件头注释

      规则集 "甲" {    # 规则集
        满分 10
        # 关于指标

        指标 乙 10 {
          得分 = 1
          # 块末注释
        }
      }
      # 文件末注释

      """
    expectFormat(input, expected)
  }

  @Test func spacingKeepsTokensApartWhereJoiningWouldChangeThem() {
    let input = """
      规则集 "甲" {
      满分 10
      评审 丁：- 1 .. 1 分 "丁"
      设 甲 = - 丁 × ( 1 + - 2 ) - -3
      设 乙 = [ 1 , 2 ] ＋ 保底 ( 甲 , 0 )
      行评分 {
      同义 { 满足 、满意，是 }
      未达成 {
      不满足
      否 }
      换算 { 1 小时 = 60 分钟 ; 1 项=1 份 }
      }
      指标 丙 10 { 得分 = 非 是 且 甲 ≠ 乙 或 否 }
      }
      """
    let expected = """
      规则集 "甲" {
        满分 10
        评审 丁：-1..1 分 "丁"
        设 甲 = -丁 × (1 + -2) - -3
        设 乙 = [1, 2] ＋ 保底(甲, 0)
        行评分 {
          同义 { 满足 、满意，是 }
          未达成 {
            不满足
            否 }
          换算 { 1 小时 = 60 分钟; 1 项 = 1 份 }
        }
        指标 丙 10 { 得分 = 非 是 且 甲 ≠ 乙 或 否 }
      }

      """
    expectFormat(input, expected)
    // 满足 、满意 must not become 满足、满意, which reads as one word.
    #expect(tree(expected).contains("synonyms [\"满足\", \"满意\", \"是\"]"))
  }

  @Test func bracesOnTheirOwnLineAndStringsOverSeveralLines() {
    let input = """
      测试 "甲"
      {
      输入
      {
      甲 = 1
        乙 = 2 }
      期望 丙 = 3
      }
      规则集 "乙" {
      满分 10
      指标 丁 10 {
            说明 "第一行
         第二行  "   "第三行"
      得分 = 1
      }
      }
      """
    let expected = """
      测试 "甲"
      {
        输入
        {
          甲 = 1
          乙 = 2 }
        期望 丙 = 3
      }
      规则集 "乙" {
        满分 10
        指标 丁 10 {
          说明 "第一行
         第二行  " "第三行"
          得分 = 1
        }
      }

      """
    expectFormat(input, expected)
  }

  // MARK: - Inputs the formatter takes or refuses

  @Test func crlfInputFormatsLikeLFInput() throws {
    for name in shippedRuleFiles {
      let text = try shippedText(name)
      let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
      #expect(crlf.contains("#") && crlf.contains("\r\n"))
      let output = try #require(formatted(crlf))
      #expect(output == formatted(text))
      #expect(!output.unicodeScalars.contains("\r"))
    }
    expectFormat("规则集 \"甲\" {\r\n满分 10   # 注释\r\n\r\n\r\n}\r\n", "规则集 \"甲\" {\n  满分 10    # 注释\n}\n")
  }

  @Test(arguments: [
    ("规则集 \"甲\" {\n  满分 10\n", "E004"),
    ("规则集 \"甲\" {\n  满分 10\n  指标 乙 10 { 得分 = 1 ≧ 2 }\n}\n", "E001"),
    ("规则集 \"甲\" {\n  满分 10\n  指标 乙 10 { 说明 \"没有结束 }\n}\n", "E002"),
    ("规则集 \"甲\" {\n  满分 10\n  指标 乙 10 { 得分 = 如果 甲 则 1 }\n}\n", "E004"),
  ])
  func filesWithErrorsAreNotFormatted(text: String, code: String) {
    switch format(text, path: "坏.rules") {
    case .success(let output): Issue.record("formatted a broken file:\n\(output)")
    case .failure(let diagnostics):
      #expect(diagnostics.contains { $0.code.rawValue == code && $0.severity == .error })
      #expect(diagnostics.allSatisfy { $0.span.file == "坏.rules" })
      #expect(diagnostics == Parser.parse(SourceFile(path: "坏.rules", text: text)).diagnostics)
    }
  }

  @Test func testFileHeaderStaysAtTheLeftMargin() {
    expectFormat(
      "  适用   \"x.rules\"\n\n\n  测试 \"a\" {\n期望 总分 = 1 }\n",
      "适用 \"x.rules\"\n\n测试 \"a\" {\n  期望 总分 = 1 }\n")
  }

  @Test func emptyAndCommentOnlyFiles() {
    expectFormat("", "")
    expectFormat("\n \n\t\n", "")
    expectFormat("   # 只有注释  \r\n\r\n\r\n  // 第二条", "# 只有注释\n\n// 第二条\n")
  }
}
