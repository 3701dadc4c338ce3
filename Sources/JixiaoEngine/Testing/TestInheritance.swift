/// Tests a file inherits and the cases they vary: a revision's test file (基于 the base year's
/// tests) runs every test of its base that it does not replace by name, and a test written 基于 a
/// 基准 starts from that case's inputs and rows, its own inputs replacing those of the same name.
enum TestInheritance {
  static func resolve(_ own: RulesFileSyntax, bases: [RulesFileSyntax]) -> (RulesFileSyntax, [Diagnostic]) {
    var file = own
    var diagnostics: [Diagnostic] = []
    // The oldest base first, each later file replacing tests and cases of the same name.
    var tests: [TestSyntax] = []
    var cases: [TestSyntax] = []
    for layer in bases.reversed() + [own] {
      for removed in layer.removedTests {
        guard tests.contains(where: { $0.name == removed.value }) else {
          diagnostics.append(
            Diagnostic(.undefinedName, at: removed.span, "基础测试文件中没有名为\(removed.value.quotedName)的测试，无法删除"))
          continue
        }
        tests.removeAll { $0.name == removed.value }
      }
      tests = RevisionMerge.replacing(tests, with: layer.tests, name: \.name)
      cases = RevisionMerge.replacing(cases, with: layer.baseCases, name: \.name)
    }
    file.tests = tests.map { test in
      guard let reference = test.baseCase else { return test }
      guard let base = cases.first(where: { $0.name == reference.value }) else {
        let notes = NameSuggestion.closest(to: reference.value, among: cases.map(\.name)).map {
          ["是否指\($0.quotedName)？"]
        }
        diagnostics.append(
          Diagnostic(
            .undefinedName, at: reference.span, "没有名为\(reference.value.quotedName)的基准",
            notes: notes ?? ["先写：基准 \"\(reference.value)\" { 输入 { … } }"]))
        return test
      }
      var varied = test
      varied.inputs = RevisionMerge.replacing(base.inputs, with: test.inputs, name: \.name.value)
      varied.rows = base.rows + test.rows
      return varied
    }
    return (file, diagnostics)
  }
}
