import Testing

@testable import JixiaoEngine

/// `test --coverage` asks for a test on each side of every band limit (and exactly on it) and of
/// every grade threshold: a test at 99% says nothing about a limit moved from 95% to 92%.
@Suite struct LimitCoverageTests {
  static let rules = """
    规则集 "满意度" {
      满分 6
      等级 { 好 ≥ 4；差 }
      指标 满意度 6 {
        输入 满意率：百分比 "满意率"
        得分 = 分档 满意率 { ≥ 92% → 6；[85%, 92%) → 4；< 85% → 0 }
      }
    }
    """

  static func unreached(testedAt rates: [String]) throws -> [String] {
    let plan = try #require(Compiler.compile(SourceFile(path: "Rules/m.rules", text: rules)).plan)
    let tests = rates.map { "测试 \"\($0)\" { 输入 { 满意率 = \($0) } }" }.joined(separator: "\n")
    let file = Compiler.compile(SourceFile(path: "Rules/m.test.rules", text: "适用 \"m.rules\"\n" + tests))
    let coverage = Coverage()
    _ = TestRunner.run(file.syntax.tests, with: plan, coverage: coverage)
    return coverage.unreached(in: plan.program)
  }

  @Test func theOldYearsEdgesDoNotCoverTheNewLimits() throws {
    // Tests written for 95% and 90% still take every band, but stand on neither new limit.
    #expect(
      try Self.unreached(testedAt: ["95%", "90%", "80%"]) == [
        "第 6 行：分档界限 92%：没有测试使“满意率”恰好等于 92%",
        "第 6 行：分档界限 85%：没有测试使“满意率”恰好等于 85%",
      ])
  }

  @Test func testsOnAndAroundEveryLimitCoverThem() throws {
    #expect(try Self.unreached(testedAt: ["95%", "92%", "90%", "85%", "80%"]) == [])
  }

  @Test func gradeThresholdsNeedATotalOnEachSide() throws {
    #expect(
      try Self.unreached(testedAt: ["95%", "92%", "90%", "85%"]) == [
        "第 6 行：分档的一档“< 85% → 0”", "第 6 行：分档界限 85%：没有测试使“满意率”低于 85%",
        "等级“好”的分数线 4：没有测试的综合评分低于 4",
      ])
  }
}
