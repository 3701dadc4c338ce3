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
      if number % 2 == 0 {
        // Push one to three figures to an extreme, or leave them out.
        for _ in 0...pick(3) {
          let index = numbers[pick(numbers.count)]
          switch department.given[index]?.value {
          case .number?: department.given[index]?.value = .number(extremes[pick(extremes.count)])
          case .list(let values)?:
            department.given[index]?.value = .list(values.map { _ in .number(extremes[pick(extremes.count)]) })
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

  @Test func projectTablesAreLeftToTheScorer() throws {
    let plan = try Self.plan(Repository.rules + "shenzhen-project-2023.rules")
    #expect(CompiledPlan(plan) == nil)
  }
}
