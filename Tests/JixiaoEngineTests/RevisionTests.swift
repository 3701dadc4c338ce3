import Foundation
import Testing

@testable import JixiaoEngine

/// Rule files based on another (基于): what a revision states replaces, extends or removes the
/// base's, and the result is checked as a whole.
@Suite struct RevisionTests {
  static let base = """
    规则集 "基础" {
      满分 10
      等级 { 优 ≥ 9；差 }
      指标 甲 6 {
        指标 甲一 4 {
          说明 "率的高低"
          输入 率：百分比 "率"
          得分 = 分档 率 { ≥ 90% → 4；< 90% → 0 }
        }
        指标 甲二 2 {
          评审 好：是否 "好"
          得分 = 如果 好 则 2 否则 0
        }
      }
      指标 乙 4 {
        输入 数：数量 "数"
        得分 = 保底（4 － 1 × 数，0）
      }
    }
    """

  /// Compiles `text` as Rules/rev.rules with the given files beside it.
  static func compile(_ text: String, files: [String: String] = ["Rules/base.rules": base]) -> CompiledRules {
    Compiler.compile(
      SourceFile(path: "Rules/rev.rules", text: text),
      load: { path in files[path].map { SourceFile(path: path, text: $0) } })
  }

  static func weights(_ plan: EvaluationPlan?) -> [String] {
    (plan?.rows ?? []).map { "\($0.indicator.name) \($0.indicator.weight)" }
  }

  static let revision = """
    基于 "base.rules"
    规则集 "修订" {
      删除 指标 甲二
      指标 甲 4 { }
      指标 甲一 { 得分 = 分档 率 { ≥ 85% → 4；< 85% → 0 } }
      指标 乙 6 { 得分 = 保底（6 － 2 × 数，0） }
    }
    """

  @Test func weightsBandsRemovalsAndFormulasAreRevised() throws {
    let compiled = Self.compile(Self.revision)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    let plan = try #require(compiled.plan)
    #expect(Self.weights(plan) == ["甲 4", "甲一 4", "乙 6"])
    #expect(plan.program.name == "修订")
    // Inherited: the grades, 满分 and 甲一's 说明 and input.
    #expect(plan.program.grades.map(\.name) == ["优", "差"])
    #expect(plan.rows[1].indicator.description == "率的高低")
    let data = #"{"subject": "单位", "inputs": {"率": "86%", "数": 1}}"#
    let (sheet, diagnostics) = Compiler.score(SourceFile(path: "d.json", text: data), with: plan)
    #expect(diagnostics.isEmpty)
    // 86% passes the new 85% limit (not the old 90%); 乙 = 6 − 2 × 1.
    #expect(sheet?.rows.map { $0.score?.description ?? "—" } == ["4", "4", "4"])
    #expect(sheet?.total?.description == "8")
  }

  @Test func indicatorsAreAddedAndMoved() throws {
    let compiled = Self.compile(
      """
      基于 "base.rules"
      规则集 "修订" {
        指标 甲 4 { }
        指标 丁 2 { 指标 甲二 { } }
      }
      """)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    #expect(Self.weights(compiled.plan) == ["甲 4", "甲一 4", "乙 4", "丁 2", "甲二 2"])
    #expect(compiled.plan?.rows[4].path == ["丁", "甲二"])
  }

  @Test func theResultIsCheckedAsAWholeAndInheritedProblemsPointAtTheBase() throws {
    // 甲一 3 without changing 甲 6: 甲's children no longer add up.
    let compiled = Self.compile(
      """
      基于 "base.rules"
      规则集 "修订" { 指标 甲一 3 { 得分 = 分档 率 { ≥ 90% → 3；< 90% → 0 } } }
      """)
    let problem = try #require(compiled.diagnostics.first { $0.code == .weightMismatch })
    #expect(problem.message == "指标“甲”的分值为 6，但下级指标分值之和为 5")
    #expect(problem.span.file == "Rules/base.rules")
    #expect(problem.span.start.line == 4)
    #expect(problem.notes.last == "这一处继承自“Rules/base.rules”，经由“Rules/rev.rules”的“基于”引入")
    // The base's line is shown, not the revision's.
    let text = DiagnosticRenderer.text(problem, file: compiled.source.bases.first)
    #expect(text.contains("4 |   指标 甲 6 {"))
  }

  @Test func newIndicatorsNeedTheirPoints() {
    let compiled = Self.compile(
      """
      基于 "base.rules"
      规则集 "修订" { 指标 甲 8 { 指标 甲三 { 得分 = 2 } } }
      """)
    #expect(compiled.diagnostics.map(\.message).contains("新增的指标“甲三”要写分值"))
  }

  @Test(arguments: [
    ("基于 \"missing.rules\"", "E051 找不到基础规则文件“missing.rules”"),
    ("基于 \"../base.rules\"", "E051 基础规则文件“../base.rules”不在本文件所在的文件夹内"),
    ("基于 \"/etc/base.rules\"", "E051 基础规则文件“/etc/base.rules”不在本文件所在的文件夹内"),
    ("基于 \"rev.rules\"", "E052 “基于”形成了循环：Rules/rev.rules → Rules/rev.rules"),
  ])
  func basesThatCannotBeUsed(header: String, expected: String) {
    let compiled = Self.compile(header + "\n规则集 \"修订\" { 指标 乙 4 { 得分 = 4 } }")
    #expect(compiled.diagnostics.map { "\($0.code.rawValue) \($0.message)" }.first == expected)
    #expect(compiled.plan == nil)
  }

  @Test func cyclesThroughSeveralFilesAreNamed() {
    let files = [
      "Rules/a.rules": "基于 \"b.rules\"\n规则集 \"甲\" { 满分 1 指标 甲 1 { 得分 = 1 } }",
      "Rules/b.rules": "基于 \"a.rules\"\n规则集 \"乙\" { 满分 1 指标 甲 1 { 得分 = 1 } }",
    ]
    let compiled = Self.compile("基于 \"a.rules\"\n规则集 \"修订\" { 指标 甲 1 { 得分 = 1 } }", files: files)
    #expect(compiled.diagnostics.map(\.code) == [.baseCycle])
    #expect(
      compiled.diagnostics.first?.message
        == "“基于”形成了循环：Rules/rev.rules → Rules/a.rules → Rules/b.rules → Rules/a.rules")
  }

  @Test func onlyRevisionsRemoveOrLeaveOutPoints() {
    let removal = Compiler.compile(SourceFile(path: "x.rules", text: "规则集 \"x\" { 满分 1 删除 指标 甲 }"))
    #expect(removal.diagnostics.first?.message.hasPrefix("只有“基于”另一个规则文件的修订文件才能“删除”指标") == true)
    let missingWeight = Compiler.compile(SourceFile(path: "x.rules", text: "规则集 \"x\" { 满分 1 指标 甲 { 得分 = 1 } }"))
    #expect(missingWeight.diagnostics.map(\.code) == [.syntax])
    let unknown = Self.compile("基于 \"base.rules\"\n规则集 \"修订\" { 删除 指标 甲三 }")
    #expect(unknown.diagnostics.map(\.message) == ["基础规则中没有名为“甲三”的指标，无法删除"])
  }

  // MARK: The change memo

  @Test func diffNamesEveryKindOfChange() throws {
    let old = try #require(Compiler.compile(SourceFile(path: "Rules/base.rules", text: Self.base)).plan)
    let new = try #require(Self.compile(Self.revision).plan)
    let diff = RulesDiff(old: old.program, new: new.program)
    #expect(!diff.isEquivalent)
    #expect(
      diff.logic.compactMap(\.meaning) == [
        "删除指标“甲二”（原在“甲”下，2 分）", "分档界限或得分 90% → 85%", "公式中的数 4 → 6、1 → 2", "“甲” 6 → 4 分（-2）",
        "“乙” 4 → 6 分（+2）", "不再需要“好”",
      ])
    #expect(diff.logic.map(\.kind) == ["指标", "公式", "公式", "分值", "分值", "输入"])
    #expect(RulesDiff(old: old.program, new: old.program).isEquivalent)
  }

  // MARK: Tests of a revision

  static let baseTests = """
    适用 "base.rules"
    基准 "全部达标" { 输入 { 率 = 95%；好 = 是；数 = 0 } }
    测试 "全部达标得满分" 基于 "全部达标" { 期望 总分 = 10 }
    测试 "率 88% 时甲一不得分" 基于 "全部达标" { 输入 { 率 = 88% } 期望 甲一 = 0；期望 总分 = 6 }
    """

  @Test func testsStartFromABaseCase() throws {
    let compiled = Self.compile(Self.baseTests)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    let plan = try #require(Compiler.compile(SourceFile(path: "Rules/base.rules", text: Self.base)).plan)
    let outcomes = TestRunner.run(compiled.syntax.tests, with: plan)
    #expect(outcomes.map(\.passed) == [true, true], "\(outcomes.flatMap(\.failures))")
    // The varied test keeps the case's other inputs and replaces 率.
    #expect(compiled.syntax.tests[1].inputs.map(\.name.value) == ["率", "好", "数"])
    let unknown = Self.compile("适用 \"base.rules\"\n测试 \"x\" 基于 \"全部达", files: [:])
    #expect(unknown.diagnostics.first?.code == .unterminatedString)
    let misspelt = Self.compile("测试 \"x\" 基于 \"全部达成\" { 期望 总分 = 10 }\n基准 \"全部达标\" { 输入 { 率 = 95% } }")
    #expect(misspelt.diagnostics.map(\.message) == ["没有名为“全部达成”的基准"])
    #expect(misspelt.diagnostics.first?.notes == ["是否指“全部达标”？"])
  }

  /// A revision's test file inherits the base year's tests, replacing those that changed by name.
  @Test func aRevisionsTestsInheritTheBaseYearsAndReplaceWhatChanged() throws {
    let files = [
      "Rules/base.rules": Self.base, "Rules/rev.rules": Self.revision, "Rules/base.test.rules": Self.baseTests,
    ]
    let compiled = Self.compile(
      """
      基于 "base.test.rules"
      适用 "rev.rules"
      基准 "全部达标" { 输入 { 率 = 95%；数 = 0 } }    # 评审项“好”随甲二删除
      测试 "全部达标得满分" 基于 "全部达标" { 期望 总分 = 10 }
      测试 "率 88% 时甲一仍得满分" 基于 "全部达标" { 输入 { 率 = 88% } 期望 甲一 = 4 }
      """, files: files)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    #expect(compiled.syntax.tests.map(\.name) == ["全部达标得满分", "率 88% 时甲一不得分", "率 88% 时甲一仍得满分"])
    let plan = try #require(Self.compile(Self.revision).plan)
    let outcomes = TestRunner.run(compiled.syntax.tests, with: plan)
    // The inherited test about the old 90% limit now fails: the revision moved it to 85%.
    #expect(outcomes.map(\.passed) == [true, false, true])
  }

  @Test func aStandardLeftAsItWasWhenItsScoringChangedIsPointedOut() throws {
    let files = [
      "Rules/base.rules": Self.base.replacingFirst("输入 数：数量 \"数\"", with: "标准 \"每项扣 1 分\"\n    输入 数：数量 \"数\"")
    ]
    let old = try #require(
      Compiler.compile(SourceFile(path: "Rules/base.rules", text: files["Rules/base.rules"] ?? "")).plan)
    let new = try #require(Self.compile(Self.revision, files: files).plan)
    let stale = RulesDiff(old: old.program, new: new.program).texts.filter { $0.subject == "乙·标准" }
    #expect(stale.map(\.meaning) == ["计分已修改，“标准”原文却没有改：请核对原文是否也要修订"])
  }

  // MARK: Found by review

  @Test func anIndicatorCannotMoveIntoItself() {
    let compiled = Self.compile("基于 \"base.rules\"\n规则集 \"修订\" { 指标 甲一 { 指标 甲 { } } }")
    #expect(compiled.diagnostics.first?.message == "不能把指标“甲”移到它自己或它的下级指标“甲一”中")
    #expect(compiled.plan == nil)
  }

  @Test func aMissingBaseIsTheOnlyError() {
    let compiled = Self.compile("基于 \"missing.rules\"\n规则集 \"修订\" { 指标 乙 { 得分 = 4 } }")
    // Not also “没有写满分”: the rest of the rules are in the file that could not be read.
    #expect(compiled.diagnostics.map(\.code) == [.baseMissing])
  }

  @Test func aLongChainIsNamedAsSuchNotAsACycle() {
    var files = ["Rules/r0.rules": Self.base]
    for level in 1...17 { files["Rules/r\(level).rules"] = "基于 \"r\(level - 1).rules\"\n规则集 \"r\(level)\" { }" }
    let compiled = Self.compile("基于 \"r17.rules\"\n规则集 \"修订\" { }", files: files)
    #expect(compiled.diagnostics.map(\.message) == ["“基于”的修订链超过 16 层"])
    let short = Self.compile("基于 \"r3.rules\"\n规则集 \"修订\" { }", files: files)
    #expect(short.diagnostics.isEmpty)
  }

  @Test func aRevisionsTestFileRunsAgainstTheRulesItsBaseNames() {
    let files = ["Rules/base.rules": Self.base, "Rules/base.test.rules": Self.baseTests]
    let compiled = Self.compile("基于 \"base.test.rules\"\n测试 \"另一个\" 基于 \"全部达标\" { 期望 总分 = 10 }", files: files)
    #expect(compiled.syntax.uses?.value == "base.rules")
  }

  @Test func diffSeesTheRowScoring() throws {
    let rules = try String(contentsOfFile: RevisionTests.projectRules, encoding: .utf8)
    let files = ["Rules/shenzhen-project-2023.rules": rules]
    let old = try #require(Compiler.compile(SourceFile(path: "Rules/shenzhen-project-2023.rules", text: rules)).plan)
    let revised = rules.replacingFirst("精度 1    #", with: "精度 2    #").replacingFirst(
      "同义 { 满足，满意，是，符合 }", with: "同义 { 满足，满意，是 }")
    let new = try #require(Compiler.compile(SourceFile(path: "Rules/r.rules", text: revised)).plan)
    _ = files
    let diff = RulesDiff(old: old.program, new: new.program)
    #expect(!diff.isEquivalent)
    #expect(diff.logic.compactMap(\.meaning).contains("行评分·精度 精度：1 → 2"))
    #expect(diff.logic.compactMap(\.meaning).contains("删去 行评分·同义 是，满意，满足，符合"))
  }

  static let projectRules = Repository.rules + "shenzhen-project-2023.rules"

  @Test func aRevisionsTestFileDropsTestsOfWhatIsGone() {
    let files = ["Rules/base.rules": Self.base, "Rules/base.test.rules": Self.baseTests]
    let compiled = Self.compile(
      "基于 \"base.test.rules\"\n删除 测试 \"率 88% 时甲一不得分\"\n删除 测试 \"没有这个\"", files: files)
    #expect(compiled.syntax.tests.map(\.name) == ["全部达标得满分"])
    #expect(compiled.diagnostics.map(\.message) == ["基础测试文件中没有名为“没有这个”的测试，无法删除"])
  }
}
