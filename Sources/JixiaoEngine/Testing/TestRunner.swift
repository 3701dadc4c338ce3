/// Runs the tests written in the rule language: each gives inputs (and table rows) and the
/// scores, total, grade or diagnostic it expects, and is scored with the real plan.
public enum TestRunner {
  public struct Outcome: Sendable {
    public var name: String
    public var span: SourceSpan
    public var failures: [String]
    public var passed: Bool { failures.isEmpty }
  }

  public static func run(_ tests: [TestSyntax], with plan: EvaluationPlan, coverage: Coverage? = nil) -> [Outcome] {
    tests.map { run($0, with: plan, coverage: coverage) }
  }

  static func run(_ test: TestSyntax, with plan: EvaluationPlan, coverage: Coverage?) -> Outcome {
    var failures: [String] = []
    let program = plan.program
    var data = DepartmentData(
      file: SourceFile(path: test.span.file, text: ""), subject: test.name, inputsSpan: test.span)
    for input in test.inputs {
      guard
        let index = program.cells.firstIndex(where: {
          $0.name == input.name.value && $0.input != nil && $0.input?.isRowVariable == false
        })
      else {
        failures.append("第 \(input.span.start.line) 行：" + unknownInput(input.name.value, in: plan))
        continue
      }
      guard let value = constant(input.value), Checker.compatible(type(of: value), program.cells[index].type) else {
        let cell = program.cells[index]
        failures.append(
          "第 \(input.span.start.line) 行：“\(input.name.value)”的值应是\(cell.isPercent ? "百分比，如 95%" : "\(cell.type)")")
        continue
      }
      data.given[index] = GivenValue(value: value, reason: "测试数据", span: input.span)
    }
    for row in test.rows {
      guard let tableRow = tableRow(row, number: data.tableRows.count + 1, plan: plan) else {
        failures.append("第 \(row.span.start.line) 行：逐行应写成 { \"一级\"，\"二级\"，\"三级\"，\"年度指标值\"，\"实际完成值\"，分值 }，一级须是逐行指标")
        continue
      }
      data.tableRows.append(tableRow)
    }
    let sheet = Scorer.score(data, with: plan, explain: true, coverage: coverage)
    for expectation in test.expectations {
      failures += check(expectation, against: sheet)
      if let index = plan.row(named: expectation.name.value),
        sheet.rows.first(where: { $0.name == expectation.name.value })?.score == nil
      {
        failures += missingInputs(of: index, given: data, plan: plan)
      }
    }
    return Outcome(name: test.name, span: test.span, failures: failures)
  }

  private static func check(_ expectation: DefinitionSyntax, against sheet: ScoreSheet) -> [String] {
    let name = expectation.name.value
    let line = expectation.span.start.line
    let expected = constant(expectation.value)
    switch name {
    case "总分", "total":
      guard sheet.total != expected?.number || sheet.total == nil else { return [] }
      return ["第 \(line) 行：期望总分 = \(expected?.description ?? "?")，实际 = \(sheet.total?.description ?? "无法计算")"]
        + problems(sheet)
    case "等级", "grade":
      guard case .text(let grade)? = expected, grade == sheet.grade else {
        return ["第 \(line) 行：期望等级 = \(expected?.description ?? "?")，实际 = \(sheet.grade ?? "无")"]
      }
      return []
    case "诊断", "diagnostic":
      guard case .text(let code)? = expected, sheet.diagnostics.contains(where: { $0.code.rawValue == code }) else {
        let actual = sheet.diagnostics.map { "\($0.code.rawValue) \($0.message)" }
        return [
          "第 \(line) 行：期望出现诊断 \(expected?.description ?? "?")，实际：\(actual.isEmpty ? "没有诊断" : actual.joined(separator: "；"))"
        ]
      }
      return []
    default:
      guard let row = sheet.rows.first(where: { $0.name == name }) else {
        return ["第 \(line) 行：评分表中没有名为“\(name)”的指标"]
      }
      guard let expectedScore = expected?.number, row.score == expectedScore else {
        var lines = [
          "第 \(line) 行：期望“\(name)” = \(expected?.description ?? "?")，实际 = \(row.score?.description ?? "无法计算")"
        ]
        lines += row.explanation.map { "    " + $0 }
        return lines
      }
      return []
    }
  }

  /// An input name the rules lack: often an indicator's name, or a near miss of an input's.
  private static func unknownInput(_ name: String, in plan: EvaluationPlan) -> String {
    let inputs = plan.program.cells.filter { $0.input != nil && $0.input?.isRowVariable == false }.map(\.name)
    if let index = plan.row(named: name) {
      let used = plan.rows[index].inputs.map { "“\(plan.program.cells[$0].name)”" }
      let hint = used.isEmpty ? "" : "，请给出它用到的输入：\(used.joined(separator: "、"))"
      return "“\(name)”是指标，不是输入\(hint)"
    }
    let suggestion = NameSuggestion.closest(to: name, among: inputs).map { "；是否指“\($0)”？" } ?? ""
    return "规则中没有名为“\(name)”的输入\(suggestion)"
  }

  /// The inputs an uncomputable indicator needs that the test neither gives nor has a default for.
  private static func missingInputs(of index: Int, given data: DepartmentData, plan: EvaluationPlan) -> [String] {
    let missing = plan.rows[index].inputs.filter { data.given[$0] == nil && plan.program.cells[$0].expression == nil }
    guard !missing.isEmpty else { return [] }
    let names = missing.map { "“\(plan.program.cells[$0].name)”" }.joined(separator: "、")
    return ["    测试没有给出输入\(names)"]
  }

  private static func problems(_ sheet: ScoreSheet) -> [String] {
    sheet.diagnostics.filter { $0.severity == .error }.map { "    \($0.code.rawValue) \($0.message)" }
  }

  private static func type(of value: Value) -> ValueType {
    switch value {
    case .number: .number
    case .boolean: .boolean
    case .text: .text
    case .list(let values): .list(values.first.map(type(of:)) ?? .number, values.count)
    }
  }

  /// The value of a literal: a number, percentage, 是/否, quoted text or a list of them.
  static func constant(_ expression: Expression) -> Value? {
    switch expression.kind {
    case .number(let value, _): return .number(value)
    case .boolean(let truth): return .boolean(truth)
    case .string(let text): return .text(text)
    case .negate(let inner):
      guard case .number(let value)? = constant(inner), let negated = try? value.negated() else { return nil }
      return .number(negated)
    case .list(let elements):
      let values = elements.compactMap(constant)
      return values.count == elements.count ? .list(values) : nil
    default: return nil
    }
  }

  private static func tableRow(_ row: Located<[Expression]>, number: Int, plan: EvaluationPlan) -> TableRow? {
    let cells = row.value.map(constant)
    guard cells.count == 6, case .text(let level1)? = cells[0], case .text(let level2)? = cells[1],
      case .text(let name)? = cells[2], case .text(let target)? = cells[3], case .text(let actual)? = cells[4],
      case .number(let points)? = cells[5],
      let group = plan.rows.firstIndex(where: { $0.indicator.fromRows && $0.indicator.name == level1 })
    else { return nil }
    return TableRow(
      group: group, level2: level2, name: name, target: target, actual: actual, points: points, reported: nil,
      reason: nil, override: nil, method: nil, span: row.span, number: number)
  }
}
