/// What `jixiao check` says of tests before any of them runs: that the inputs, rows, indicators,
/// grades and diagnostic codes they name exist and their values have the right form, so that a
/// misspelt test is caught where the rules are checked.
public enum TestChecker {
  public static func diagnostics(_ tests: [TestSyntax], against plan: EvaluationPlan) -> [Diagnostic] {
    tests.flatMap { check($0, plan) }
  }

  /// The English spellings of the expectations that are not indicators.
  static let aliases = ["total": "总分", "grade": "等级", "diagnostic": "诊断"]

  /// The input a test gives a value for; row variables belong to table rows, not to tests.
  static func cell(named name: String, in program: Program) -> Int? {
    program.cells.firstIndex { $0.name == name && $0.input != nil && $0.input?.isRowVariable == false }
  }

  static func check(_ test: TestSyntax, _ plan: EvaluationPlan) -> [Diagnostic] {
    var found: [Diagnostic] = []
    let program = plan.program
    for input in test.inputs {
      guard let index = cell(named: input.name.value, in: program) else {
        found.append(Diagnostic(.unknownInput, at: input.name.span, unknownInput(input.name.value, in: plan)))
        continue
      }
      if let problem = problem(with: input, for: program.cells[index]) {
        found.append(Diagnostic(.badValue, at: input.value.span, "\(input.name.value.quotedName)\(problem)"))
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
      let name = aliases[expectation.name.value] ?? expectation.name.value
      let value = TestRunner.constant(expectation.value)
      switch (name, value) {
      case (_, nil):
        found.append(Diagnostic(.badValue, at: expectation.value.span, "期望的值应直接写出：得分和总分写数字，等级和诊断代码写带引号的文字"))
      case ("等级", .text(let grade)?) where !program.grades.contains(where: { $0.name == grade }):
        let grades = program.grades.map(\.name).joined(separator: "、")
        found.append(Diagnostic(.unknownOption, at: expectation.value.span, "规则中没有等级“\(grade)”（有：\(grades)）"))
      case ("诊断", .text(let code)?) where DiagnosticCode(rawValue: code) == nil:
        found.append(
          Diagnostic(.unknownOption, at: expectation.value.span, "没有诊断代码“\(code)”；jixiao explain --list 列出全部代码"))
      case ("总分", _), ("等级", _), ("诊断", _): break
      case (_, .number?) where plan.row(named: name) != nil || rowNames.contains(name): break
      case (_, _?) where plan.row(named: name) == nil && !rowNames.contains(name):
        let suggestion = NameSuggestion.closest(to: name, among: plan.rows.map(\.indicator.name)).map {
          ["是否指\($0.quotedName)？"]
        }
        found.append(
          Diagnostic(
            .unknownIndicator, at: expectation.name.span, "规则中没有名为\(name.quotedName)的指标", notes: suggestion ?? []))
      default:
        found.append(Diagnostic(.badValue, at: expectation.value.span, "\(name.quotedName)的期望得分应写数字，不加引号"))
      }
    }
    return found
  }

  /// An input name the rules lack: often an indicator's name, or a near miss of an input's.
  static func unknownInput(_ name: String, in plan: EvaluationPlan) -> String {
    let inputs = plan.program.cells.filter { $0.input != nil && $0.input?.isRowVariable == false }.map(\.name)
    if let index = plan.row(named: name) {
      let used = plan.rows[index].inputs.map { plan.program.cells[$0].name.quotedName }
      let hint = used.isEmpty ? "" : "，请给出它用到的输入：\(used.joined(separator: "、"))"
      return "\(name.quotedName)是指标，不是输入\(hint)"
    }
    let suggestion = NameSuggestion.closest(to: name, among: inputs).map { "；是否指\($0.quotedName)？" } ?? ""
    return "规则中没有名为\(name.quotedName)的输入\(suggestion)"
  }

  /// What is wrong with a test's value for an input, checked as strictly as a data file's.
  static func problem(with input: DefinitionSyntax, for cell: Cell) -> String? {
    if case .name(let word) = input.value.kind {
      return "的值“\(word)”是文字，要加引号：\"\(word)\""
    }
    guard let value = TestRunner.constant(input.value) else { return "的值应直接写出，如 95%、18,779.46、是、\"按规定公开\"" }
    guard Checker.compatible(type(of: value), cell.type) else {
      if case .list = cell.type { return "的值应是 \(cell.type)，如 [90%, 85%, 80%, 95%]" }
      return "的值应是\(cell.isPercent ? "百分比，如 95%" : "\(cell.type)")"
    }
    if cell.isPercent && hasBareNumber(input.value) {
      return "是百分比，数要带 %，如 80%（写 80 就是 8000%）"
    }
    if case .choice(let options) = cell.type, case .text(let option) = value, !options.contains(option) {
      let suggestion = NameSuggestion.closest(to: option, among: options).map { "；是否指\($0.quotedName)？" } ?? ""
      return "的值“\(option)”不是可选的选项（有：\(options.joined(separator: "、"))）\(suggestion)"
    }
    // Only a declared range: tests may feed a type's impossible values to reach runtime checks (E041).
    if let spec = cell.input, spec.range != nil, let problem = Evaluator.outsideDomain(value, spec) {
      return "的值 \(value.display(asPercent: cell.isPercent)) \(problem)"
    }
    return nil
  }

  /// A number written without %, alone or in a list, where a percentage is wanted.
  private static func hasBareNumber(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .number(_, let percent): !percent
    case .negate(let inner): hasBareNumber(inner)
    case .list(let elements): elements.contains(where: hasBareNumber)
    default: false
    }
  }

  private static func type(of value: Value) -> ValueType {
    switch value {
    case .number: .number
    case .boolean: .boolean
    case .date: .date
    case .text: .text
    case .list(let values): .list(values.first.map(type(of:)) ?? .number, values.count)
    }
  }
}
