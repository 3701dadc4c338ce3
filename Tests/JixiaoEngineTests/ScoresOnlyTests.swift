import Foundation
import Testing

@testable import JixiaoEngine

/// `Scorer.score(…, scoresOnly: true)`, the path `jixiao bench` times, gives every score, total,
/// grade and diagnostic the full sheet gives: for every shipped example and for synthetic
/// departments of both department frameworks.
@Suite struct ScoresOnlyTests {
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

  /// Every row's score and source, the total, grade, missing inputs and diagnostics agree.
  static func expectSameScores(_ data: DepartmentData, _ plan: EvaluationPlan, _ label: String) {
    let full = Scorer.score(data, with: plan)
    let fast = Scorer.score(data, with: plan, scoresOnly: true)
    #expect(fast.rows.map(\.path) == full.rows.map(\.path), "\(label)")
    #expect(fast.rows.map(\.score) == full.rows.map(\.score), "\(label)")
    #expect(fast.rows.map(\.source) == full.rows.map(\.source), "\(label)")
    #expect(fast.total == full.total && fast.grade == full.grade, "\(label)")
    #expect(fast.missingInputs == full.missingInputs, "\(label)")
    #expect(fast.diagnostics.map(\.message) == full.diagnostics.map(\.message), "\(label)")
    #expect(fast.rows.allSatisfy { $0.reasons.isEmpty } && fast.inconsistencies.isEmpty, "\(label)")
  }

  @Test func everyShippedExampleScoresAlike() throws {
    let examples = try Self.shippedExamples()
    #expect(examples.count >= 10)
    var totals = 0
    for (rules, path) in examples {
      let plan = try Self.plan(rules)
      let (data, _) = DataDecoder.decode(SourceFile(path: path, text: try readText(path)), for: plan)
      let department = try #require(data, "\(path)")
      if Scorer.score(department, with: plan).total != nil { totals += 1 }
      Self.expectSameScores(department, plan, path)
    }
    // Not vacuous: most examples score a total, and some carry reasons the fast path leaves out.
    #expect(totals >= examples.count / 2)
  }

  @Test(arguments: ["shenzhen-department-2019.rules", "shenzhen-department-2022.rules"])
  func syntheticDepartmentsScoreAlike(_ rules: String) throws {
    let plan = try Self.plan(Repository.rules + rules)
    var records = SyntheticRecords(plan: plan)
    var withReasons = 0
    for number in 1...1500 {
      let text = records.json(records.next(number))
      let (data, diagnostics) = DataDecoder.decode(SourceFile(path: "合成.json", text: text), for: plan)
      #expect(!diagnostics.hasErrors)
      let department = try #require(data)
      if Scorer.score(department, with: plan).rows.contains(where: { !$0.reasons.isEmpty }) { withReasons += 1 }
      Self.expectSameScores(department, plan, "\(rules) 合成\(number)")
    }
    #expect(withReasons > 0)
  }
}
