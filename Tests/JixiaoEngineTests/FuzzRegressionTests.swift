import Foundation
import Testing

@testable import JixiaoEngine

/// Every input that fuzzing (Tests/Fuzz/run) or issue 10 found to crash, hang or break a property
/// is kept in Tests/Fuzz/regressions/ and replayed here with the fuzz target's own checks.
@Suite struct FuzzRegressionTests {
  static let folder = Repository.root + "Tests/Fuzz/regressions/"

  static func cases(_ kind: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + kind)) ?? []
    return names.sorted().map { kind + "/" + $0 }
  }

  @Test func thereAreCasesOfBothKinds() {
    #expect(Self.cases("rules").count >= 4)
    #expect(Self.cases("data").count >= 1)
  }

  @Test(arguments: cases("rules"))
  func rulesCaseKeepsEveryProperty(_ path: String) throws {
    let text = try readText(Self.folder + path)
    #expect(FuzzProperties.rules(text) == [])
  }

  @Test(arguments: cases("data"))
  func dataCaseKeepsEveryPropertyUnderEveryShippedRuleFile(_ path: String) throws {
    let text = try readText(Self.folder + path)
    for name in Repository.shippedRuleFiles {
      let plan = try #require(
        Compiler.compile(SourceFile(path: name, text: try readText(Repository.rules + name))).plan)
      #expect(FuzzProperties.data(text, plan: plan) == [], "\(name)")
    }
  }

  /// The department tables of the fixtures, and any table case fuzzing kept, read both ways alike.
  @Test func tablesReadBothWaysAlike() throws {
    let tables = ["departments-2019.csv", "departments-2022.csv", "synthetic-2019.csv", "luohu-projects-2023.csv"].map {
      Repository.root + "Tests/Fixtures/batch/" + $0
    }
    let kept = Self.cases("table").map { Self.folder + $0 }
    for path in tables + kept {
      let text = try readText(path)
      for name in Repository.shippedRuleFiles {
        let plan = try #require(
          Compiler.compile(SourceFile(path: name, text: try readText(Repository.rules + name))).plan)
        #expect(FuzzProperties.table(text, plan: plan) == [], "\(path) \(name)")
      }
    }
  }
}
