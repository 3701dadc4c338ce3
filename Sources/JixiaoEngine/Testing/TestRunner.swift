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
    var rejected = Set<Int>()  // given, but not in a usable form: not “missing” as well
    for input in test.inputs {
      guard
        let index = program.cells.firstIndex(where: {
          $0.name == input.name.value && $0.input != nil && $0.input?.isRowVariable == false
        })
      else {
        failures.append("第 \(input.span.start.line) 行：" + unknownInput(input.name.value, in: plan))
        continue
      }
      if let problem = Self.problem(with: input, for: program.cells[index]) {
        failures.append("第 \(input.span.start.line) 行：“\(input.name.value)”\(problem)")
        rejected.insert(index)
        continue
      }
      guard let value = constant(input.value) else { continue }
      data.given[index] = GivenValue(value: value, reason: "测试数据", span: input.span)
    }
    for row in test.rows {
      switch tableRow(row, number: data.tableRows.count + 1, plan: plan) {
      case .success(let tableRow): data.tableRows.append(tableRow)
      case .failure(let problem): failures.append("第 \(row.span.start.line) 行：\(problem.message)")
      }
    }
    let sheet = Scorer.score(data, with: plan, explain: true, coverage: coverage)
    for expectation in test.expectations {
      failures += check(expectation, against: sheet, program: program)
      if let index = plan.row(named: expectation.name.value),
        sheet.rows.first(where: { $0.name == expectation.name.value })?.score == nil
      {
        failures += missingInputs(of: index, given: data, plan: plan, except: rejected)
      }
    }
    return Outcome(name: test.name, span: test.span, failures: failures)
  }

  private static func check(_ expectation: DefinitionSyntax, against sheet: ScoreSheet, program: Program) -> [String] {
    let name = expectation.name.value
    let line = expectation.span.start.line
    let expected = constant(expectation.value)
    guard expected != nil else {
      return ["第 \(line) 行：期望的值应直接写出：得分和总分写数字，等级和诊断代码写带引号的文字"]
    }
    switch name {
    case "总分", "total":
      guard sheet.total != expected?.number || sheet.total == nil else { return [] }
      return ["第 \(line) 行：期望总分 = \(expected?.description ?? "?")，实际 = \(sheet.total?.description ?? "无法计算")"]
        + problems(sheet)
    case "等级", "grade":
      let grades = program.grades.map(\.name)
      if case .text(let grade)? = expected, !grades.contains(grade) {
        return ["第 \(line) 行：规则中没有等级“\(grade)”（有：\(grades.joined(separator: "、"))）"]
      }
      guard case .text(let grade)? = expected, grade == sheet.grade else {
        return ["第 \(line) 行：期望等级 = \(expected?.description ?? "?")，实际 = \(sheet.grade ?? "无")"]
      }
      return []
    case "诊断", "diagnostic":
      if case .text(let code)? = expected, DiagnosticCode(rawValue: code) == nil {
        return ["第 \(line) 行：没有诊断代码“\(code)”；jixiao explain --list 列出全部代码"]
      }
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
      guard let expectedScore = expected?.number else {
        return ["第 \(line) 行：“\(name)”的期望得分应写数字，不加引号"]
      }
      guard row.score == expectedScore else {
        var lines = [
          "第 \(line) 行：期望“\(name)” = \(expected?.description ?? "?")，实际 = \(row.score?.description ?? "无法计算")"
        ]
        lines += row.explanation.map { "    " + $0 }
        // A table row that could not be scored says why, as `jixiao check` would.
        lines += sheet.diagnostics.filter { $0.code == .rowValue && $0.message.contains("“\(name)”：") }
          .map { "    \($0.code.rawValue) \($0.message)" }
        return lines
      }
      return []
    }
  }

  /// An input name the rules lack: often an indicator's name, or a near miss of an input's.
  static func unknownInput(_ name: String, in plan: EvaluationPlan) -> String {
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
  private static func missingInputs(of index: Int, given data: DepartmentData, plan: EvaluationPlan, except: Set<Int>)
    -> [String]
  {
    let missing = plan.rows[index].inputs.filter {
      data.given[$0] == nil && plan.program.cells[$0].expression == nil && !except.contains($0)
    }
    guard !missing.isEmpty else { return [] }
    let names = missing.map { "“\(plan.program.cells[$0].name)”" }.joined(separator: "、")
    return ["    测试没有给出输入\(names)"]
  }

  private static func problems(_ sheet: ScoreSheet) -> [String] {
    sheet.diagnostics.filter { $0.severity == .error }.map { "    \($0.code.rawValue) \($0.message)" }
  }

  /// What is wrong with a test's value for an input, checked as strictly as a data file's.
  static func problem(with input: DefinitionSyntax, for cell: Cell) -> String? {
    if case .name(let word) = input.value.kind {
      return "的值“\(word)”是文字，要加引号：\"\(word)\""
    }
    guard let value = constant(input.value) else { return "的值应直接写出，如 95%、18,779.46、是、\"按规定公开\"" }
    guard Checker.compatible(type(of: value), cell.type) else {
      if case .list = cell.type { return "的值应是 \(cell.type)，如 [90%, 85%, 80%, 95%]" }
      return "的值应是\(cell.isPercent ? "百分比，如 95%" : "\(cell.type)")"
    }
    if cell.isPercent && hasBareNumber(input.value) {
      return "是百分比，数要带 %，如 80%（写 80 就是 8000%）"
    }
    if case .choice(let options) = cell.type, case .text(let option) = value, !options.contains(option) {
      let suggestion = NameSuggestion.closest(to: option, among: options).map { "；是否指“\($0)”？" } ?? ""
      return "的值“\(option)”不是可选的选项（有：\(options.joined(separator: "、"))）\(suggestion)"
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

  struct RowProblem: Error { var message: String }

  static func tableRow(_ row: Located<[Expression]>, number: Int, plan: EvaluationPlan)
    -> Result<TableRow, RowProblem>
  {
    let cells = row.value.map(constant)
    guard cells.count == 6, case .text(let level1)? = cells[0], case .text(let level2)? = cells[1],
      case .text(let name)? = cells[2], case .text(let target)? = cells[3], case .text(let actual)? = cells[4],
      case .number(let points)? = cells[5]
    else {
      return .failure(RowProblem(message: "逐行应写成 { \"一级\"，\"二级\"，\"三级\"，\"年度指标值\"，\"实际完成值\"，分值 }"))
    }
    let groups = plan.rows.filter(\.indicator.fromRows).map(\.indicator.name)
    guard let group = plan.rows.firstIndex(where: { $0.indicator.fromRows && $0.indicator.name == level1 }) else {
      guard !groups.isEmpty else { return .failure(RowProblem(message: "规则中没有逐行指标，不能写“逐行”")) }
      let suggestion = NameSuggestion.closest(to: level1, among: groups).map { "；是否指“\($0)”？" } ?? ""
      return .failure(
        RowProblem(message: "一级指标“\(level1)”不是逐行指标（有：\(groups.joined(separator: "、"))）\(suggestion)"))
    }
    return .success(
      TableRow(
        group: group, level2: level2, name: name, target: target, actual: actual, points: points, reported: nil,
        reason: nil, override: nil, method: nil, span: row.span, number: number))
  }
}
