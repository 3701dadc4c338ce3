import Foundation

/// The repository's own files, found from this file's path so that the tests run from any folder.
enum Repository {
  static let root: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/"
  }()
  static let rules = root + "Rules/"
  static let staticCheckFixtures = root + "Tests/Fixtures/static-checks/"
  static let shippedRuleFiles = [
    "shenzhen-department-2019.rules", "shenzhen-department-2022.rules", "shenzhen-project-2023.rules",
    "hubei-project-template.rules",
  ]
}

func readText(_ path: String) throws -> String {
  guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
    throw ReadFailure(path: path)
  }
  return text
}

struct ReadFailure: Error {
  var path: String
}

/// A minimal valid ruleset header with `body` in place of its indicators; the body starts on line 5.
func testRuleset(_ body: String, fullMarks: Int = 10) -> String {
  """
  规则集 "测试" {
    满分 \(fullMarks)
    精度 2
    等级 { 优 ≥ 9；差 }
  \(body)
  }
  """
}
