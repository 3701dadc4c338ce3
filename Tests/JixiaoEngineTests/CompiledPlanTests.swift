import Foundation
import Testing

@testable import JixiaoEngine

/// The compiled plan gives, for every record it scores, the scores, total and grade of the full
/// sheet, and gives up on every record whose sheet has an error: on the shipped examples, on
/// synthetic departments, and on departments with figures pushed to zero, to extremes and away.
@Suite struct CompiledPlanTests {
  /// The shipped data files with the rules each names in its "rules" member.
  static func shippedExamples() throws -> [(rules: String, data: String)] {
    let folder = Repository.root + "Examples/"
    var paths: [String] = []
    for entry in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
      if entry.hasSuffix(".json") { paths.append(folder + entry) }
      let inner = folder + entry + "/"
      if let files = try? FileManager.default.contentsOfDirectory(atPath: inner) {
        paths += files.sorted().filter { $0.hasSuffix(".json") }.map { inner + $0 }
      }
    }
    return try paths.compactMap { path in
      guard case .string(let rules)? = try JSON.parse(try readText(path))["rules"]?.value else { return nil }
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
      return (folder.appendingPathComponent(rules).standardized.path, path)
    }
  }

  static func plan(_ path: String) throws -> EvaluationPlan {
    try #require(Compiler.compile(SourceFile(path: path, text: try readText(path))).plan)
  }

  /// Scores the record both ways; true when the compiled plan scored it.
  @discardableResult
  static func expectAgreement(_ data: DepartmentData, _ plan: EvaluationPlan, _ label: String) throws -> Bool {
    let compiled = try #require(CompiledPlan(plan), "\(label)")
    let full = Scorer.score(data, with: plan)
    guard let record = compiled.record(data) else { return false }
    var frame = compiled.frame()
    guard compiled.score(record, in: &frame) else {
      // Giving up is always safe; it must not be what happens to an ordinary record.
      return false
    }
    #expect(!full.diagnostics.hasErrors, "\(label): the full sheet refuses what the compiled plan scored")
    #expect(full.total == frame.total, "\(label)")
    #expect(full.grade == frame.grade.map { plan.program.grades[$0].name }, "\(label)")
    let scores = frame.scores
    var next = 0
    for (row, planned) in plan.rows.enumerated() {
      guard let found = full.rows[next...].firstIndex(where: { $0.path == planned.path }) else {
        Issue.record("\(label): no row \(planned.path)")
        return true
      }
      next = found + 1
      #expect(full.rows[found].score == scores[row], "\(label) \(planned.path)")
    }
    return true
  }

  /// The examples take some scores from their reports (useReported) for figures the reports lack:
  /// without those, the full sheet names the missing inputs, and the compiled plan must give up.
  @Test func shippedExamplesWithoutTheirReportedScoresAreRefusedAlike() throws {
    var checked = 0
    for (rules, path) in try Self.shippedExamples() {
      let plan = try Self.plan(rules)
      guard CompiledPlan(plan) != nil else { continue }
      let (data, _) = DataDecoder.decode(SourceFile(path: path, text: try readText(path)), for: plan)
      var department = try #require(data, "\(path)")
      #expect(CompiledPlan(plan)?.record(department) == nil, "reported scores are the full sheet's to compare")
      department.reportedScores = [:]
      department.useReported = [:]
      department.stated = [:]
      let scored = try Self.expectAgreement(department, plan, path)
      #expect(scored == !Scorer.score(department, with: plan).diagnostics.hasErrors, "\(path)")
      checked += 1
    }
    #expect(checked >= 3)  // 大鹏 2021, 福田 2020, 罗湖 2022
  }

  @Test(arguments: ["shenzhen-department-2019.rules", "shenzhen-department-2022.rules"])
  func syntheticAndPerturbedDepartmentsScoreAlike(_ rules: String) throws {
    let plan = try Self.plan(Repository.rules + rules)
    var records = SyntheticRecords(plan: plan, seed: 7)
    var random = SplitMix(state: 12)
    let numbers = plan.program.cells.indices.filter { plan.program.cells[$0].input != nil }
    let extremes: [ExactDecimal] = [
      .zero, ExactDecimal(units: 1), ExactDecimal(-1), ExactDecimal(1_000_000_000_000_000),
      ExactDecimal(units: 333_333_333_333_333_333), ExactDecimal(units: Int128.max / 3),
    ]
    func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    var (scored, refused) = (0, 0)
    for number in 1...1200 {
      let text = records.json(records.next(number))
      var department = try #require(DataDecoder.decode(SourceFile(path: "合成.json", text: text), for: plan).0)
      if number % 3 == 0 {
        // Two figures alike, where > and ≥ part (actual spending equal to the plan, say).
        let (from, to) = (numbers[pick(numbers.count)], numbers[pick(numbers.count)])
        if case .number(let value)? = department.given[from]?.value, case .number? = department.given[to]?.value {
          department.given[to]?.value = .number(value)
        }
      }
      if number % 2 == 0 {
        // Push one to three figures to an extreme their input may take (as the decoder lets
        // through), or leave them out.
        for _ in 0...pick(3) {
          let index = numbers[pick(numbers.count)]
          let check = try #require(plan.program.cells[index].input.map(NumberCheck.init))
          let allowed = extremes.filter { check.accepts($0.units) }
          func extreme() -> Value { allowed.isEmpty ? .number(.zero) : .number(allowed[pick(allowed.count)]) }
          switch department.given[index]?.value {
          case .number?: department.given[index]?.value = extreme()
          case .list(let values)?: department.given[index]?.value = .list(values.map { _ in extreme() })
          default: department.given[index] = nil
          }
          if pick(4) == 0 { department.given[index] = nil }
        }
      }
      if try Self.expectAgreement(department, plan, "\(rules) 合成\(number)") {
        scored += 1
      } else {
        refused += 1
      }
    }
    #expect(scored >= 700 && refused >= 50, "scored \(scored), refused \(refused)")
  }

  /// Every construct the compiled plan covers, in one made-up ruleset: negation, 四舍五入, 最小 and
  /// 最大 of values and of a list, 绝对值, dates and 天数, 向上取整 and 向下取整, a list made by a
  /// branch, 求和 and 平均, choices compared and banded, branches on = ≠ < ≤ > of numbers, dates,
  /// choices and 是否, 且 或 非, a checklist, bands of a formula.
  static let everyConstruct = """
    规则集 "编译计划覆盖（测试用）" {
      满分 70
      精度 2
      等级 { 优 ≥ 50；良 ≥ 30；差 }

      指标 甲 10 {
        输入 变动率：百分比（-100%..100%） "变动率"
        输入 完成数：数量 "完成数"
        输入 计划数：数量 "计划数"
        设 差距 = －（计划数 － 完成数）
        得分 = 封顶（保底（5 ＋ 四舍五入（变动率 × 10，1）＋ 最小（差距，2）÷ 2 ＋ 绝对值（差距）÷ 100
          ＋ （如果 完成数 > 计划数 则 1 否则 0），0），10）
      }
      指标 乙 10 {
        输入 下达日期：日期 "下达日期"
        设 逾期 = 保底（天数（2024年6月30日，下达日期），0）
        得分 = 如果 下达日期 ≤ 2024-06-30 则 10 否则 保底（10 － 向上取整（逾期 ÷ 10），0）
      }
      指标 丙 10 {
        输入 季度数：数值（0..1000）× 4 "各季度数"
        输入 基数：数值（1..1000） "基数"
        设 比例 = 如果 基数 > 500 则 [1, 1, 1, 1] 否则 －（－季度数）÷ 基数
        得分 = 封顶（求和（封顶（比例，1））＋ 最大（比例）＋ 向下取整（平均（比例），1）＋ 最大（0，最小（1，2））， 10）
      }
      指标 丁 10 {
        输入 公开：选项（按规定公开，公开但有缺陷，未公开） "公开情况"
        输入 合规：是否 "是否合规"
        输入 涉密：是否 "是否涉密" 缺省 否
        得分 = 如果 公开 ≠ "未公开" 则 （如果 涉密 或 （合规 且 非 （公开 = "未公开"）） 则 分档 公开 { "按规定公开" → 10；"公开但有缺陷" → 6；"未公开" → 2 } 否则 清单 { 合规 → 3；公开 ≠ "未公开" → 2 }）
          否则 （如果 合规 = 涉密 则 1 否则 0）
      }
      指标 戊 20 {
        输入 满意度：百分比 "满意度"
        得分 = 分档 满意度 { ≥ 95% → 20；[80%, 95%) → 满意度 × 20；< 80% → 向下取整（满意度 × 10） }
      }
      指标 己 10 {
        输入 完成率：百分比 "完成率"
        得分 = 分档 完成率 { > 95% → 5；(80%, 95%] → 3；≤ 80% → 0 }
          ＋ 分档 完成率 { < 80% → 0；[80%, 95%) → 完成率 × 3；≥ 95% → 5 }
      }
    }

    """

  @Test func everyConstructScoresAsTheScorerScoresIt() throws {
    let program = try #require(Compiler.compile(SourceFile(path: "全功能.rules", text: Self.everyConstruct)).plan)
    #expect(CompiledPlan(program) != nil)
    var random = SplitMix(state: 31)
    func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    let options = ["按规定公开", "公开但有缺陷", "未公开"]
    // On the bands' limits and just below, where ≥ and > part (closed and open ends).
    let limits = ["95", "80", "94.99", "79.99"]
    var scored = 0
    for number in 1...1500 {
      let quarters = (0..<4).map { _ in "\(pick(1000)).\(pick(10))" }.joined(separator: ", ")
      let secret = pick(3) == 0 ? "" : #", "涉密": \#(pick(4) == 0)"#
      let json = """
        {"subject": "单位\(number)", "inputs": {"变动率": "\(pick(201) - 100).\(pick(100))%", "完成数": \(pick(21)),
        "计划数": \(pick(21)), "下达日期": "2024-0\(6 + pick(4))-\(10 + pick(19))", "季度数": [\(quarters)],
        "基数": \(1 + pick(1000)), "公开": "\(options[pick(3)])", "合规": \(pick(2) == 0)\(secret),
        "满意度": "\(number % 4 == 0 ? limits[pick(limits.count)] : "\(pick(101)).\(pick(100))")%",
        "完成率": "\(number % 3 == 0 ? limits[pick(limits.count)] : "\(pick(101)).\(pick(100))")%"}}
        """
      let (data, diagnostics) = DataDecoder.decode(SourceFile(path: "合成.json", text: json), for: program)
      guard let department = data, !diagnostics.hasErrors else { continue }
      if try Self.expectAgreement(department, program, "全功能 \(number)") { scored += 1 }
    }
    #expect(scored >= 1000, "\(scored)")
  }

  /// The plan leaves out the checks of defaults that figures within their inputs' ranges cannot
  /// fail (a quotient of two amounts is never negative), so it takes only such figures: a
  /// department built by hand with a negative amount goes the full way.
  @Test func figuresTheirInputsMayNotTakeGoTheFullWay() throws {
    let plan = try Self.plan(Repository.rules + "shenzhen-department-2019.rules")
    let compiled = try #require(CompiledPlan(plan))
    var records = SyntheticRecords(plan: plan, seed: 3)
    let text = records.json(records.next(1))
    var department = try #require(DataDecoder.decode(SourceFile(path: "合成.json", text: text), for: plan).0)
    #expect(compiled.record(department) != nil)
    let amount = try #require(plan.program.cells.firstIndex { $0.name == "在用固定资产总额" })
    department.given[amount]?.value = .number(ExactDecimal(-1))
    #expect(compiled.record(department) == nil)
  }

  @Test func projectTablesAreLeftToTheScorer() throws {
    let plan = try Self.plan(Repository.rules + "shenzhen-project-2023.rules")
    #expect(CompiledPlan(plan) == nil)
  }
}
