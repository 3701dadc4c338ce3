/// What `jixiao check` says of tests before any of them runs: that the inputs, rows, indicators,
/// grades and diagnostic codes they name exist and their values have the right form, so that a
/// misspelt test is caught where the rules are checked.
public enum TestChecker {
  public static func diagnostics(_ tests: [TestSyntax], against plan: EvaluationPlan) -> [Diagnostic] {
    tests.flatMap { check($0, plan) }
  }

  static func check(_ test: TestSyntax, _ plan: EvaluationPlan) -> [Diagnostic] {
    var found: [Diagnostic] = []
    let program = plan.program
    for input in test.inputs {
      guard
        let cell = program.cells.first(where: {
          $0.name == input.name.value && $0.input != nil && $0.input?.isRowVariable == false
        })
      else {
        found.append(
          Diagnostic(.unknownInput, at: input.name.span, TestRunner.unknownInput(input.name.value, in: plan)))
        continue
      }
      if let problem = TestRunner.problem(with: input, for: cell) {
        found.append(Diagnostic(.badValue, at: input.value.span, "“\(input.name.value)”\(problem)"))
      }
    }
    for row in test.rows {
      if case .failure(let problem) = TestRunner.tableRow(row, number: 1, plan: plan) {
        found.append(Diagnostic(.unknownIndicator, at: row.span, problem.message))
      }
    }
    // The table's 二级 and 三级 names are indicators of the sheet as well.
    let rowNames = Set(
      test.rows.flatMap { row in row.value.dropFirst().prefix(2).compactMap(TestRunner.constant) }
        .compactMap { value -> String? in if case .text(let name) = value { name } else { nil } })
    for expectation in test.expectations {
      let aliases = ["total": "总分", "grade": "等级", "diagnostic": "诊断"]
      let name = aliases[expectation.name.value] ?? expectation.name.value
      let value = TestRunner.constant(expectation.value)
      switch (name, value) {
      case (_, nil):
        found.append(Diagnostic(.badValue, at: expectation.value.span, "期望的值应直接写出：得分和总分写数字，等级和诊断代码写带引号的文字"))
      case ("等级", .text(let grade)?) where !program.grades.contains(where: { $0.name == grade }):
        let grades = program.grades.map(\.name).joined(separator: "、")
        found.append(Diagnostic(.unknownOption, at: expectation.value.span, "规则中没有等级“\(grade)”（有：\(grades)）"))
      case ("诊断", .text(let code)?) where DiagnosticCode(rawValue: code) == nil:
        found.append(Diagnostic(.unknownOption, at: expectation.value.span, "没有诊断代码“\(code)”"))
      case ("总分", _), ("等级", _), ("诊断", _): break
      case (_, .number?) where plan.row(named: name) != nil || rowNames.contains(name): break
      case (_, _?) where plan.row(named: name) == nil && !rowNames.contains(name):
        let suggestion = NameSuggestion.closest(to: name, among: plan.rows.map(\.indicator.name)).map {
          ["是否指“\($0)”？"]
        }
        found.append(
          Diagnostic(.unknownIndicator, at: expectation.name.span, "规则中没有名为“\(name)”的指标", notes: suggestion ?? []))
      default:
        found.append(Diagnostic(.badValue, at: expectation.value.span, "“\(name)”的期望得分应写数字，不加引号"))
      }
    }
    return found
  }
}
