import Foundation
import Testing

@testable import JixiaoEngine

// MARK: - Helpers

/// The checker's own findings: the Analyzer's guarantees have their own tests (AnalyzerTests).
private func compile(_ text: String) -> CompiledRules {
  Compiler.compile(SourceFile(path: "t.rules", text: text), staticChecks: false)
}

private func compileBody(_ body: String) -> CompiledRules { compile(testRuleset(body)) }

private func listing(_ diagnostics: [Diagnostic]) -> String {
  diagnostics.map { "\($0.span.start.line):\($0.span.start.column) \($0.code.rawValue) \($0.message) \($0.notes)" }
    .joined(separator: "\n")
}

/// Expects exactly one diagnostic, an error, with this code, place, message and (if given) notes,
/// and no plan.
private func expectOnly(
  _ compiled: CompiledRules, _ code: DiagnosticCode, line: Int, column: Int? = nil, _ message: String,
  notes: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  let diagnostics = compiled.diagnostics
  #expect(diagnostics.count == 1, "\(listing(diagnostics))", sourceLocation: sourceLocation)
  #expect(compiled.plan == nil, sourceLocation: sourceLocation)
  guard let diagnostic = diagnostics.first else { return }
  #expect(diagnostic.code == code, sourceLocation: sourceLocation)
  #expect(diagnostic.severity == .error, sourceLocation: sourceLocation)
  #expect(diagnostic.span.start.line == line, sourceLocation: sourceLocation)
  if let column { #expect(diagnostic.span.start.column == column, sourceLocation: sourceLocation) }
  #expect(diagnostic.message == message, sourceLocation: sourceLocation)
  if let notes { #expect(diagnostic.notes == notes, sourceLocation: sourceLocation) }
}

/// (code, line, message) of every diagnostic, in the order reported.
private func summary(_ compiled: CompiledRules) -> [String] {
  compiled.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line) \($0.message)" }
}

@Suite("Checker")
struct CheckerTests {
  // MARK: Valid rules

  @Test(arguments: ["shenzhen-department-2019.rules", "shenzhen-department-2022.rules"])
  func shippedRuleFilesCompileCleanly(file: String) throws {
    let text = try readText(Repository.rules + file)
    let compiled = Compiler.compile(SourceFile(path: file, text: text))
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
    let plan = try #require(compiled.plan)
    #expect(plan.program.fullMarks == ExactDecimal(100))
    #expect(plan.program.precision == 2)
    #expect(plan.program.grades.map(\.name) == ["优", "良", "中", "差"])
    #expect(plan.program.indicators.map(\.name) == ["部门决策", "部门管理", "部门绩效"])
  }

  @Test func everyRulesFileInRulesCompilesCleanly() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Repository.rules)
      .filter { $0.hasSuffix(".rules") }.sorted()
    #expect(files.contains("shenzhen-department-2019.rules"))
    #expect(files.contains("shenzhen-department-2022.rules"))
    for file in files {
      let text = try readText(Repository.rules + file)
      let compiled = Compiler.compile(SourceFile(path: file, text: text))
      #expect(compiled.diagnostics.isEmpty, "\(file):\n\(listing(compiled.diagnostics))")
      // A *.test.rules file holds tests for another file's ruleset and has no plan of its own.
      #expect((compiled.plan != nil) == !file.hasSuffix(".test.rules"), "\(file)")
    }
  }

  @Test func minimalRulesetCompiles() throws {
    let compiled = compileBody("  指标 甲 10 { 输入 x：数值  得分 = x }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
    let plan = try #require(compiled.plan)
    #expect(plan.program.name == "测试")
    #expect(plan.program.fullMarks == ExactDecimal(10))
    #expect(plan.program.grades.map(\.threshold) == [ExactDecimal(9), nil])
    #expect(plan.program.cells.map(\.name) == ["x"])
  }

  @Test func diagnosticsComeInSourceOrder() {
    let compiled = compile(
      """
      规则集 "测试" {
        满分 10
        等级 { 优 ≥ 11；差 }
        输入 x：数值
        指标 甲 10 {
          得分 = y
        }
        指标 乙 0 { 得分 = x @ }
      }
      规则集 "二" {
        满分 1
        指标 丙 1 { 得分 = 1 }
      }
      """)
    // Found by the lexer (E001), the compiler (E019) and the checker (E018, E010), in that
    // order; reported by position.
    #expect(
      compiled.diagnostics.map { "\($0.code.rawValue)@\($0.span.start.line):\($0.span.start.column)" } == [
        "E018@3:8", "E010@6:10", "E001@8:19", "E019@10:1",
      ])
    #expect(compiled.plan == nil)
  }

  @Test func checkerDiagnosticsFollowSourceNotEvaluationOrder() {
    // Neither definition depends on anything, so the checker may visit them in any order.
    let compiled = compileBody("  设 a = 未知甲\n  设 b = 未知乙\n  指标 甲 10 { 得分 = 求和（[未知丁, 未知丙]） }")
    #expect(
      compiled.diagnostics.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" } == [
        "5:9 未定义的名称“未知甲”", "6:9 未定义的名称“未知乙”", "7:22 未定义的名称“未知丁”", "7:27 未定义的名称“未知丙”",
      ])
  }

  // MARK: E010 undefined names

  @Test func undefinedNameWithNearMissSuggestion() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 收入：数值  得分 = 收人 }"), .undefinedName, line: 5, column: 28,
      "未定义的名称“收人”", notes: ["是否指“收入”？"])
  }
  @Test func enumerationCommaGluedToANameIsExplained() {
    // 、 right after a name is part of it: 执行率、3 is one name, and “declare it” would mislead.
    expectOnly(
      compileBody("  指标 甲 10 { 输入 执行率：百分比  得分 = 封顶（执行率、3） }"), .undefinedName, line: 5,
      "未定义的名称“执行率、3”",
      notes: ["紧跟在名称后的顿号“、”算作名称的一部分，“执行率、3”被读成了一个名称；参数之间、列表各项之间请用逗号“，”"])
    // A name that merely contains 、 keeps the usual hint.
    expectOnly(
      compileBody("  指标 甲 10 { 得分 = 社会效益、经济效益 }"), .undefinedName, line: 5, "未定义的名称“社会效益、经济效益”",
      notes: ["名称须先用“输入”“评审”或“设”声明"])
  }

  @Test func undefinedNameWithoutSuggestion() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 收入：数值  得分 = 完全不同的名字 }"), .undefinedName, line: 5, column: 28,
      "未定义的名称“完全不同的名字”", notes: ["名称须先用“输入”“评审”或“设”声明"])
  }

  @Test func undefinedNameMadeOfGluedKeywords() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 如果x则1否则0 }"), .undefinedName, line: 5, column: 27,
      "未定义的名称“如果x则1否则0”",
      notes: ["名称须先用“输入”“评审”或“设”声明", "关键字（如果、则、否则、且、或、非）与名称之间需要空格"])
    expectOnly(
      compileBody("  输入 涉密单位：是否\n  指标 甲 10 { 得分 = 如果 非涉密单位 则 0 否则 3 }"), .undefinedName, line: 6,
      column: 21, "未定义的名称“非涉密单位”",
      notes: ["是否指“涉密单位”？", "关键字（如果、则、否则、且、或、非）与名称之间需要空格"])
  }

  @Test func indicatorNameInAFormula() {
    expectOnly(
      compileBody("  指标 甲 5 { 得分 = 1 }\n  指标 乙 5 { 得分 = 甲 × 2 }"), .undefinedName, line: 6, column: 17,
      "“甲”是指标，公式中不能直接引用指标的得分", notes: ["请引用输入或“设”定义的值"])
  }

  @Test func unknownFunction() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 求合（x） }"), .undefinedName, line: 5, column: 27,
      "没有名为“求合”的函数",
      notes: ["是否指“求和”？", "可用的函数：封顶、保底、最小、最大、四舍五入、向下取整、向上取整、求和、平均、绝对值、天数"])
  }

  @Test func functionNameWithoutParentheses() {
    expectOnly(
      compileBody("  指标 甲 10 { 得分 = 封顶 }"), .undefinedName, line: 5, column: 18,
      "“封顶”是函数，要带括号使用，如 封顶（x，1）")
  }

  @Test func definitionsAreLocalToTheirIndicator() {
    expectOnly(
      compileBody("  指标 甲 5 { 设 a = 1  得分 = a }\n  指标 乙 5 { 得分 = a }"), .undefinedName, line: 6, column: 17,
      "未定义的名称“a”")
    // Inputs are global wherever they are declared.
    let compiled = compileBody("  指标 甲 5 { 输入 b：数值  得分 = b }\n  指标 乙 5 { 得分 = b }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  /// “Every problem is reported, not only the first”: both operands of a binary operation are
  /// checked before giving up.
  @Test func everyUndefinedOperandOfABinaryOperationIsReported() {
    let compiled = compileBody("  指标 甲 10 { 得分 = 未知甲 + 未知乙 }")
    #expect(summary(compiled) == ["E010 5 未定义的名称“未知甲”", "E010 5 未定义的名称“未知乙”"])
  }

  // MARK: E011 duplicate names

  @Test func duplicateInput() {
    expectOnly(
      compileBody("  输入 x：数值\n  指标 甲 10 { 输入 x：百分比  得分 = x }"), .duplicateName, line: 6, column: 16,
      "名称“x”已经定义过", notes: ["第一次定义在第 5 行；同一规则集中的输入和“设”不能重名"])
  }

  @Test func duplicateDefinition() {
    expectOnly(
      compileBody("  设 y = 1\n  指标 甲 10 {\n    设 y = 2\n    得分 = y\n  }"), .duplicateName, line: 7, column: 7,
      "名称“y”已经定义过", notes: ["第一次定义在第 5 行；同一规则集中的输入和“设”不能重名"])
  }

  @Test func duplicateIndicator() {
    expectOnly(
      compileBody("  指标 甲 5 { 得分 = 1 }\n  指标 乙 5 {\n    指标 甲 5 { 得分 = 2 }\n  }"), .duplicateName, line: 7,
      column: 8, "指标“甲”重名", notes: ["第一次出现在第 5 行；数据文件按名称找指标，名称必须唯一"])
  }

  @Test func builtinNameAsDefinitionOrInput() {
    expectOnly(
      compileBody("  设 封顶 = 3\n  指标 甲 10 { 得分 = 1 }"), .duplicateName, line: 5, column: 5,
      "“封顶”是内置函数的名称，请换一个名称")
    expectOnly(
      compileBody("  指标 甲 10 { 输入 average：数值  得分 = 1 }"), .duplicateName, line: 5, column: 16,
      "“average”是内置函数的名称，请换一个名称")
  }

  @Test func duplicateChoiceOption() {
    expectOnly(
      compileBody("  输入 c：选项（甲，乙，甲）\n  指标 丙 10 { 得分 = 1 }"), .duplicateName, line: 5, column: 3,
      "“c”的选项有重复")
  }

  // MARK: E012 types

  @Test func booleanPlusNumber() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 是 + x }"), .typeMismatch, line: 5, column: 27,
      "“+”两边应是数值（或等长的数值列表），这里是是否值和数值")
  }

  @Test func conditionThatIsNotBoolean() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 如果 x 则 1 否则 0 }"), .typeMismatch, line: 5, column: 30,
      "“如果”后面应是条件（是否），这里是数值")
  }

  @Test func branchesOfDifferentTypes() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 如果 x > 1 则 1 否则 是 }"), .typeMismatch, line: 5, column: 27,
      "“则”和“否则”两个分支的结果类型不同：数值 与 是否值")
  }

  @Test func scoreThatIsNotANumber() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = x > 1 }"), .typeMismatch, line: 5, column: 27,
      "指标“甲”的得分应是数值，但公式的结果是是否值")
    expectOnly(
      compileBody("  指标 甲 10 { 输入 q：数值 × 4  得分 = q × 2 }"), .typeMismatch, line: 5, column: 31,
      "指标“甲”的得分应是数值，但公式的结果是4 个数值的列表")
  }

  @Test func listLengthMismatchInArithmetic() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 q：数值 × 4  设 r = [1, 2, 3]  得分 = 求和（q × r） }"), .typeMismatch, line: 5,
      column: 51, "“×”两边应是数值（或等长的数值列表），这里是4 个数值的列表和3 个数值的列表")
    // Same length, or a list and a number, is fine.
    let compiled = compileBody("  指标 甲 10 { 输入 q：数值 × 3  设 r = [1, 2, 3]  得分 = 求和（q × r ÷ 2） }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  @Test func otherTypeErrors() {
    let compiled = compileBody(
      """
        输入 x：数值 缺省 是
        输入 c：选项（甲，乙）
        设 l = []
        设 n = 非 x
        设 m = x = "甲"
        设 k = - c
        设 o = 如果 x > 1 且 2 则 1 否则 0
        指标 丙 10 { 得分 = 1 }
      """)
    #expect(
      summary(compiled) == [
        "E012 5 “x”的缺省值是是否值，但它声明为数值",
        "E012 7 列表不能为空",
        "E012 8 “非”只能用于是否值，这里是数值",
        "E012 9 不能比较数值和文字是否相等",
        "E012 10 负号只能用于数值，这里是选项（甲，乙）",
        "E012 11 “且”两边应是条件（是否），这里是是否值和数值",
      ])
  }

  // MARK: E013 weights

  @Test func childWeightsDoNotAddUpToTheParent() {
    expectOnly(
      compileBody("  指标 甲 10 { 指标 乙 5 { 得分 = 1 } 指标 丙 4 { 得分 = 1 } }"), .weightMismatch, line: 5, column: 8,
      "指标“甲”的分值为 10，但下级指标分值之和为 9", notes: ["乙 5 + 丙 4 = 9"])
  }

  @Test func topLevelWeightsDoNotAddUpToFullMarks() {
    expectOnly(
      compileBody("  指标 甲 2.5 { 得分 = 1 }\n  指标 乙 7.4 { 得分 = 1 }"), .weightMismatch, line: 2, column: 3,
      "满分为 10，但下级指标分值之和为 9.9", notes: ["甲 2.5 + 乙 7.4 = 9.9"])
  }

  @Test func bothLevelsOfWeightsAreChecked() {
    let compiled = compileBody("  指标 甲 8 { 指标 乙 5 { 得分 = 1 } 指标 丙 4 { 得分 = 1 } }")
    #expect(summary(compiled) == ["E013 2 满分为 10，但下级指标分值之和为 8", "E013 5 指标“甲”的分值为 8，但下级指标分值之和为 9"])
  }

  // MARK: E014 cycles

  @Test func definitionCycle() {
    let compiled = compileBody(
      """
        设 a = b + 1
        设 b = 封顶（a，3）
        设 d = a
        指标 甲 10 { 得分 = d }
      """)
    // d only depends on the cycle and is not reported again.
    expectOnly(
      compiled, .definitionCycle, line: 5, column: 5, "循环定义：“a” → “b” → “a”",
      notes: ["每个定义只能用到在它之前算得出的值；请拆开这个循环"])
  }

  @Test func selfCycle() {
    expectOnly(
      compileBody("  设 c = c × 2\n  指标 甲 10 { 得分 = c }"), .definitionCycle, line: 5, column: 5, "循环定义：“c” → “c”")
  }

  @Test func cycleThroughAnInputDefault() {
    expectOnly(
      compileBody("  输入 x：数值 缺省 y\n  设 y = x + 1\n  指标 甲 10 { 得分 = y }"), .definitionCycle, line: 5, column: 6,
      "循环定义：“x” → “y” → “x”")
  }

  @Test func twoIndependentCyclesAreBothReported() {
    let compiled = compileBody("  设 a = b\n  设 b = a\n  设 c = c\n  指标 甲 10 { 得分 = a + c }")
    #expect(summary(compiled) == ["E014 5 循环定义：“a” → “b” → “a”", "E014 7 循环定义：“c” → “c”"])
  }

  // MARK: E015 arguments

  @Test func capWithOneArgument() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 封顶（x） }"), .wrongArguments, line: 5, column: 27,
      "“封顶”的参数不对（这里是：数值）", notes: ["用法：封顶（数值，上限）"])
  }

  @Test func roundWithNonConstantPlaces() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 四舍五入（x，x） }"), .wrongArguments, line: 5, column: 27,
      "“四舍五入”的参数不对（这里是：数值，数值）", notes: ["用法：四舍五入（数值，小数位数），小数位数是 0 到 18 的整数"])
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 四舍五入（x，1.5） }"), .wrongArguments, line: 5, column: 27,
      "“四舍五入”的参数不对（这里是：数值，数值）")
    let compiled = compileBody("  指标 甲 10 { 输入 x：数值  得分 = 四舍五入（x，（2）） }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  @Test func floorAndCeilingTakeOptionalConstantPlaces() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 向下取整（x，x） }"), .wrongArguments, line: 5, column: 27,
      "“向下取整”的参数不对（这里是：数值，数值）",
      notes: ["用法：向下取整（数值）或 向下取整（数值，小数位数），小数位数是 0 到 18 的整数"])
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值  得分 = 向上取整（x，1，2） }"), .wrongArguments, line: 5, column: 27,
      "“向上取整”的参数不对（这里是：数值，数值，数值）",
      notes: ["用法：向上取整（数值）或 向上取整（数值，小数位数），小数位数是 0 到 18 的整数"])
    expectOnly(
      compileBody("  指标 甲 10 { 得分 = ceil（是） }"), .wrongArguments, line: 5, column: 18,
      "“ceil”的参数不对（这里是：是否值）")
    let compiled = compileBody("  指标 甲 10 { 输入 x：数值 × 2  得分 = 求和（floor（x，2）） }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  @Test func otherWrongArguments() {
    let compiled = compileBody(
      """
        输入 x：数值
        输入 q：数值 × 4
        设 a = 求和（x）
        设 b = 最大（x）
        设 c = 绝对值（x，1）
        设 d = 保底（）
        指标 甲 10 { 得分 = 最小（q）+ 平均（q）+ 最大（x，1，2） }
      """)
    #expect(
      summary(compiled) == [
        "E015 7 “求和”的参数不对（这里是：数值）",
        "E015 8 “最大”的参数不对（这里是：数值）",
        "E015 9 “绝对值”的参数不对（这里是：数值，数值）",
        "E015 10 “保底”的参数不对（这里是：无参数）",
      ])
  }

  // MARK: E016 options

  @Test func unknownOptionInAComparison() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 c：选项（通过，未通过）  得分 = 如果 c = \"通 过\" 则 1 否则 0 }"), .unknownOption,
      line: 5, column: 42, "“通 过”不是可选的选项", notes: ["是否指“通过”？", "可选的有：通过、未通过"])
  }

  @Test func unknownOptionInABand() {
    let compiled = compileBody("  指标 甲 10 { 输入 c：选项（通过，未通过）  得分 = 分档 c { \"通过\" → 1；\"未通 过\" → 0 } }")
    #expect(
      compiled.diagnostics.map { "\($0.code.rawValue)@\($0.span.start.line):\($0.span.start.column) \($0.message)" }
        == [
          "E016@5:35 选项“未通过”没有对应的档",
          "E016@5:51 “未通 过”不是可选的选项",
        ])
    #expect(compiled.diagnostics.last?.notes == ["是否指“未通过”？", "可选的有：通过、未通过"])
    #expect(compiled.plan == nil)
  }

  @Test func choiceBandMissingAnOption() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 c：选项（通过，未通过，待定）  得分 = 分档 c { \"通过\" → 1 } }"), .unknownOption,
      line: 5, column: 38, "选项“未通过”“待定”没有对应的档", notes: ["为每个选项写一档，或加一档“其他 → 分数”"])
    let covered = compileBody("  指标 甲 10 { 输入 c：选项（通过，未通过，待定）  得分 = 分档 c { \"通过\" → 1；其他 → 0 } }")
    #expect(covered.diagnostics.isEmpty, "\(listing(covered.diagnostics))")
  }

  @Test func bandsInconsistentWithTheirSubject() {
    let compiled = compileBody(
      """
        输入 x：数值
        输入 c：选项（甲，乙）
        设 a = 分档 x { "甲" → 1；其他 → 0 }
        设 b = 分档 c { ≥ 1 → 1；其他 → 0 }
        设 d = 分档 x { 其他 → 0；≥ 1 → 1 }
        设 e = 分档 x { ≠ 2 → 3 }
        设 f = 分档 x { ≥ y → 1 }
        设 g = 分档 x { (2, 1] → 1 }
        指标 丙 10 { 得分 = 1 }
      """)
    #expect(
      summary(compiled) == [
        "E012 7 数值分档的条件应写成 ≥ 90%、[75%, 90%) 之类，不能是文字“甲”",
        "E012 8 选项分档的每一档应写成带引号的选项名，如 \"按规定公开\" → 1.5",
        "E004 9 “其他”一档应放在最后",
        "E004 10 分档条件不能用“≠”，请写成区间",
        "E004 11 分档的界限应直接写数字，如 90% 或 0.5",
        "E021 12 区间的下限应小于上限",
      ])
  }

  // MARK: E017, E020 scores

  @Test func leafWithoutScore() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 x：数值 }"), .missingScore, line: 5, column: 6,
      "指标“甲”既没有下级指标，也没有得分公式", notes: ["在指标中写“得分 = …”"])
  }

  @Test func parentWithScore() {
    expectOnly(
      compileBody("  指标 甲 10 { 指标 乙 10 { 得分 = 1 } 得分 = 2 }"), .misplacedScore, line: 5, column: 37,
      "指标“甲”有下级指标，它的得分是下级得分之和，不能另写得分公式", notes: ["把公式移到下级指标中，或删去下级指标"])
  }

  /// A score formula with a syntax error is reported once, not again as a missing score.
  @Test func syntaxErrorInAScoreIsNotAlsoAMissingScore() {
    let compiled = compileBody("  指标 甲 10 { 输入 x：数值 得分 = x × }")
    #expect(summary(compiled) == ["E004 5 这里应有数值、名称或式子，但遇到了“}”"])
  }

  // MARK: E018 grades

  private func compileGrades(_ grades: String) -> CompiledRules {
    compile(
      """
      规则集 "测试" {
        满分 10
        等级 { \(grades) }
        指标 甲 10 { 得分 = 1 }
      }
      """)
  }

  @Test func gradesNotDescending() {
    expectOnly(
      compileGrades("优 ≥ 8；良 ≥ 9；差"), .badGrades, line: 3, column: 14,
      "等级的分数线应从高到低排列，但“良”的 9 不低于上一个的 8")
  }

  @Test func gradesWithTheSameThresholdOverlap() {
    expectOnly(
      compileGrades("优 ≥ 8；良 ≥ 8；差"), .bandOverlap, line: 3, column: 14, "总分 ≥ 8 同时属于“优”和“良”两个等级",
      notes: ["每个等级的分数线各不相同，从高到低排列"])
  }

  @Test func gradesMustCoverTheLowestTotals() {
    expectOnly(
      compileGrades("优 ≥ 9；差 ≥ 6"), .bandGap, line: 3, column: 14, "总分 [0, 6) 未被任何等级覆盖",
      notes: ["最后一个等级不写分数线，承接所有更低的总分，如：等级 { 优 ≥ 90；良 ≥ 80；中 ≥ 60；差 }"])
    let fromZero = compileGrades("优 ≥ 9；差 ≥ 0")
    #expect(fromZero.diagnostics.isEmpty, "\(listing(fromZero.diagnostics))")
  }

  @Test func gradeThresholdAboveFullMarks() {
    expectOnly(compileGrades("优 ≥ 11；差"), .badGrades, line: 3, column: 8, "等级“优”的分数线 11 不在 0 到满分 10 之间")
    let atFullMarks = compileGrades("优 ≥ 10；差")
    #expect(atFullMarks.diagnostics.isEmpty, "\(listing(atFullMarks.diagnostics))")
  }

  @Test func otherGradeMistakes() {
    expectOnly(
      compileGrades("优 ≥ 9；良；差"), .badGrades, line: 3, column: 14, "只有最后一个等级可以不写分数线",
      notes: ["其余等级写成如：良 ≥ 80"])
    expectOnly(compileGrades("优 ≥ 9；优"), .badGrades, line: 3, column: 3, "等级名称有重复")
  }

  // MARK: E019 header

  @Test func missingFullMarks() {
    let compiled = compile(
      """
      规则集 "测试" {
        精度 2
        指标 甲 10 { 得分 = 1 }
      }
      """)
    expectOnly(compiled, .badHeader, line: 1, column: 1, "规则集“测试”没有写满分", notes: ["在规则集开头写明，如：满分 100"])
  }

  /// Without 满分 only the missing 满分 is reported, not every grade threshold as well.
  @Test func missingFullMarksIsNotAlsoAGradeError() {
    let compiled = compile(
      """
      规则集 "测试" {
        精度 2
        等级 { 优 ≥ 9；差 }
        指标 甲 10 { 得分 = 1 }
      }
      """)
    #expect(summary(compiled) == ["E019 1 规则集“测试”没有写满分"])
  }

  @Test func twoRulesetsInOneFile() {
    let compiled = compile(
      testRuleset("  指标 甲 10 { 得分 = 1 }") + "\n规则集 \"第二\" {\n  满分 10\n  指标 乙 10 { 得分 = 1 }\n}")
    expectOnly(compiled, .badHeader, line: 7, column: 1, "一个文件只能有一个规则集，请把“第二”放到另一个文件")
  }

  @Test func fileWithoutRuleset() {
    for text in ["", "# 只有注释\n"] {
      expectOnly(
        compile(text), .badHeader, line: 1, column: 1, "文件中没有规则集", notes: ["规则文件以“规则集 \"名称\" { … }”开始"])
    }
  }

  // MARK: one mistake, one diagnostic

  @Test(arguments: [
    ("  指标 甲 10 { 输入 x：百分率  得分 = 如果 x ≥ 90% 则 10 否则 0 }", "E004 不认识的类型“百分率”"),
    ("  指标 甲 10 { 评审 x：0-10 分  得分 = x }", "E004 这里应有范围符号 ..（如 0..1 分），但遇到了“-”"),
    ("  指标 甲 10 { 设 x = 如果 1 > 0 则 10  得分 = x }", "E004 “如果 … 则 …”之后应有“否则”，但遇到了“得分”"),
    (
      "  指标 甲 10 { 输人 x：百分比  得分 = 如果 x ≥ 90% 则 10 否则 0 }",
      "E004 指标中应是“说明”“标准”“输入”“评审”“设”“指标”“逐行”或“得分 =”，但遇到了“输人”"
    ),
    ("  指标 甲 10 { 得份 = 10 }", "E004 指标中应是“说明”“标准”“输入”“评审”“设”“指标”“逐行”或“得分 =”，但遇到了“得份”"),
  ])
  func aSyntaxErrorInADeclarationIsNotFollowedByItsConsequences(body: String, expected: String) {
    let compiled = compileBody(body)
    #expect(compiled.diagnostics.map { "\($0.code.rawValue) \($0.message)" } == [expected])
  }

  @Test func misspeltKeywordsGetASuggestion() {
    #expect(compileBody("  指标 甲 10 { 得份 = 10 }").diagnostics.first?.notes == ["是否指“得分”？"])
    #expect(compileBody("  指示 甲 10 { 得分 = 10 }").diagnostics.first?.notes == ["是否指“指标”？"])
    #expect(
      compileBody("  指标 甲 10 { 输入 x：是否  得分 = 如果 x 则 10 否者 0 }").diagnostics.first?.notes.first == "是否指“否则”？")
  }

  // MARK: E022 money units

  @Test func amountUnitMustBeAMoneyUnit() {
    expectOnly(
      compileBody("  指标 甲 10 { 输入 a：金额（美元）  得分 = 如果 a > 0 则 10 否则 0 }"), .moneyUnit, line: 5, column: 13,
      "“a”的单位“美元”不是金额单位：只能是 元、千元、万元、百万元、千万元、亿元", notes: ["如：输入 a：金额（万元）"])
    let plain = compileBody("  指标 甲 10 { 输入 a：金额  输入 b：金额（元）  得分 = 如果 a > b 则 10 否则 0 }")
    #expect(plain.diagnostics.isEmpty, "\(listing(plain.diagnostics))")
  }

  @Test(arguments: [
    ("", "封顶（支出 ÷ 到位 × 10，10）", "“支出”以元计，“到位”以万元计，单位不同，不能直接相除"),
    ("", "如果 支出 ≤ 到位 则 10 否则 0", "“支出”以元计，“到位”以万元计，单位不同，不能直接比较"),
    ("", "如果 （支出 － 到位 × 2） > 0 则 0 否则 10", "“支出”以元计，“到位 × 2”以万元计，单位不同，不能直接相减"),
    ("设 余额 = 到位 ＋ 支出", "如果 余额 > 0 则 10 否则 0", "“到位”以万元计，“支出”以元计，单位不同，不能直接相加"),
  ])
  func amountsInDifferentUnitsDoNotMix(definition: String, score: String, message: String) {
    let compiled = compileBody(
      "  指标 甲 10 { 输入 支出：金额（元）  输入 到位：金额（万元）  \(definition)  得分 = \(score) }")
    #expect(compiled.diagnostics.map(\.code) == [.moneyUnit], "\(listing(compiled.diagnostics))")
    #expect(compiled.diagnostics.first?.message == message)
  }

  @Test func anAmountWithoutAUnitIsInYuan() {
    let compiled = compileBody(
      "  指标 甲 10 { 输入 支出：金额  输入 到位：金额（万元）  得分 = 如果 到位 = 0 则 0 否则 封顶（支出 ÷ 到位 × 10，10） }")
    #expect(compiled.diagnostics.map(\.message) == ["“支出”以元计，“到位”以万元计，单位不同，不能直接相除"])
  }

  @Test func definitionChainsAreCheckedInLinearTime() {
    // Each 设 uses the one before twice: walking them without memory would take 2^40 steps.
    let lets = (1...40).map { "  设 d\($0) = d\($0 - 1) ＋ d\($0 - 1)" }.joined(separator: "\n")
    let compiled = compileBody("  输入 d0：金额（万元）\n\(lets)\n  指标 甲 10 { 得分 = 如果 d40 > 0 则 10 否则 0 }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  @Test func ratiosOfAmountsInOneUnitAreFine() {
    let compiled = compileBody(
      "  指标 甲 10 { 输入 支出：金额（万元）  输入 到位：金额（万元）  得分 = 如果 到位 = 0 则 0 否则 封顶（支出 ÷ 到位 × 10，10） }")
    #expect(compiled.diagnostics.isEmpty, "\(listing(compiled.diagnostics))")
  }

  // MARK: W008 percentages without %

  @Test func percentComparedWithABareNumberWarns() {
    let compiled = compileBody(
      """
        指标 甲 10 {
          输入 满意度：百分比
          输入 执行率：百分比
          得分 = 如果 满意度 ≥ 90 且 执行率 ≥ 1 则 5 否则 0 ＋ 分档 满意度 { [80, 90) → 5；其他 → 0 }
        }
      """)
    #expect(
      compiled.diagnostics.map { "\($0.code.rawValue) \($0.severity) \($0.message)" } == [
        "W008 warning “满意度”是百分比，却与不带 % 的 90 比较：90 即 9000%",
        "W008 warning “满意度”是百分比，却与不带 % 的 80 比较：80 即 8000%",
        "W008 warning “满意度”是百分比，却与不带 % 的 90 比较：90 即 9000%",
      ])
    #expect(compiled.diagnostics.first?.notes == ["是否应写 90%？"])
    // Each limit lacking % is its own warning (the gaps it leaves are the Analyzer's: AnalyzerTests).
    let band = compileBody("  指标 甲 10 { 输入 满意度：百分比  得分 = 分档 满意度 { ≥ 90 → 10；[80, 90) → 5；< 80 → 0 } }")
    #expect(
      band.diagnostics.map(\.code) == [
        .percentWithoutSign, .percentWithoutSign, .percentWithoutSign, .percentWithoutSign,
      ])
    let fine = compileBody("  指标 甲 10 { 输入 满意度：百分比  得分 = 如果 满意度 ≥ 90% 则 10 否则 0 }")
    #expect(fine.diagnostics.isEmpty, "\(listing(fine.diagnostics))")
  }

  // MARK: E021 ranges

  @Test func assessmentRangeWithoutWidth() {
    expectOnly(
      compileBody("  指标 甲 10 { 评审 r：0..0 分  得分 = r }"), .badRange, line: 5, column: 13,
      "“r”的取值范围 0..0 不对：下限应小于上限")
    expectOnly(
      compileBody("  指标 甲 10 { 评审 r：2..1 分  得分 = r }"), .badRange, line: 5, column: 13,
      "“r”的取值范围 2..1 不对：下限应小于上限")
  }

  @Test func assessmentWithDefault() {
    expectOnly(
      compileBody("  指标 甲 10 { 评审 r：0..1 分 缺省 1  得分 = r }"), .badRange, line: 5, column: 13,
      "评审项“r”不能有缺省值：评审结果必须由评审人填写")
  }

  @Test func assessmentOfAmountType() {
    expectOnly(
      compileBody("  指标 甲 10 { 评审 r：金额（万元）  得分 = r }"), .badRange, line: 5, column: 13,
      "评审项“r”应是分值范围（如 0..1 分）或“是否”", notes: ["客观数据请用“输入”声明"])
  }

  @Test func otherRangeMistakes() {
    expectOnly(
      compileBody("  指标 甲 10 { 评审 r：是否 × 2  得分 = 1 }"), .badRange, line: 5, column: 13, "评审项“r”不能是列表")
    expectOnly(
      compileBody("  输入 c：选项（唯一）\n  指标 丙 10 { 得分 = 1 }"), .badRange, line: 5, column: 3, "“c”至少要有两个选项")
  }
}
