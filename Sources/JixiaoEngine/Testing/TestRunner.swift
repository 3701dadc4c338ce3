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
    // What is wrong with the test as written is found the way `jixiao check` finds it; the parts
    // it concerns are left out of the run rather than reported a second time.
    let problems = TestChecker.check(test, plan)
    // Failures by the line they concern, so that they read in the order the test is written.
    var failures = problems.map { (line: $0.span.start.line, text: ["第 \($0.span.start.line) 行：\($0.message)"]) }
    func flagged(_ span: SourceSpan) -> Bool {
      problems.contains { $0.span.start.offset >= span.start.offset && $0.span.end.offset <= span.end.offset }
    }
    let program = plan.program
    var data = DepartmentData(
      file: SourceFile(path: test.span.file, text: ""), subject: test.name, inputsSpan: test.span)
    var rejected = Set<Int>()  // given, but not in a usable form: not “missing” as well
    for input in test.inputs {
      guard let index = TestChecker.cell(named: input.name.value, in: program) else { continue }
      guard !flagged(input.span), let value = constant(input.value) else {
        rejected.insert(index)
        continue
      }
      data.given[index] = GivenValue(value: value, reason: "测试数据", span: input.span)
    }
    for row in test.rows where !flagged(row.span) {
      if case .success(let tableRow) = tableRow(row, number: data.tableRows.count + 1, plan: plan) {
        data.tableRows.append(tableRow)
      }
    }
    let sheet = Scorer.score(data, with: plan, explain: true, coverage: coverage)
    for expectation in test.expectations where !flagged(expectation.span) {
      var text = check(expectation, against: sheet)
      if let index = plan.row(named: expectation.name.value),
        sheet.rows.first(where: { $0.name == expectation.name.value })?.score == nil
      {
        text += missingInputs(of: index, given: data, plan: plan, except: rejected)
      }
      if !text.isEmpty { failures.append((expectation.span.start.line, text)) }
    }
    let inOrder = failures.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
    return Outcome(name: test.name, span: test.span, failures: inOrder.flatMap(\.element.text))
  }

  /// An expectation that `TestChecker` found well formed, compared with the sheet.
  private static func check(_ expectation: DefinitionSyntax, against sheet: ScoreSheet) -> [String] {
    let name = expectation.name.value
    let line = expectation.span.start.line
    let expected = constant(expectation.value)
    let shown = expected?.description ?? "?"
    switch TestChecker.aliases[name] ?? name {
    case "总分":
      guard sheet.total != expected?.number || sheet.total == nil else { return [] }
      return ["第 \(line) 行：期望总分 = \(shown)，实际 = \(sheet.total?.description ?? "无法计算")"] + problems(sheet)
    case "等级":
      guard case .text(let grade)? = expected, grade == sheet.grade else {
        return ["第 \(line) 行：期望等级 = \(shown)，实际 = \(sheet.grade ?? "无")"]
      }
      return []
    case "诊断":
      guard case .text(let code)? = expected, sheet.diagnostics.contains(where: { $0.code.rawValue == code }) else {
        let actual = sheet.diagnostics.map { "\($0.code.rawValue) \($0.message)" }
        return ["第 \(line) 行：期望出现诊断 \(shown)，实际：\(actual.isEmpty ? "没有诊断" : actual.joined(separator: "；"))"]
      }
      return []
    default:
      // A row named in the test can still be missing from the sheet when its 一级 was rejected.
      guard let row = sheet.rows.first(where: { $0.name == name }) else {
        return ["第 \(line) 行：评分表中没有名为\(name.quotedName)的指标"]
      }
      guard row.score != expected?.number else { return [] }
      var lines = ["第 \(line) 行：期望\(name.quotedName) = \(shown)，实际 = \(row.score?.description ?? "无法计算")"]
      lines += row.explanation.map { "    " + $0 }
      // A table row that could not be scored says why, as `jixiao check` would.
      lines += sheet.diagnostics.filter { $0.code == .rowValue && $0.message.contains("\(name.quotedName)：") }
        .map { "    \($0.code.rawValue) \($0.message)" }
      return lines
    }
  }

  /// The inputs an uncomputable indicator needs that the test neither gives nor has a default for.
  private static func missingInputs(of index: Int, given data: DepartmentData, plan: EvaluationPlan, except: Set<Int>)
    -> [String]
  {
    let missing = plan.rows[index].inputs.filter {
      data.given[$0] == nil && plan.program.cells[$0].expression == nil && !except.contains($0)
    }
    guard !missing.isEmpty else { return [] }
    let names = missing.map { plan.program.cells[$0].name.quotedName }.joined(separator: "、")
    return ["    测试没有给出输入\(names)"]
  }

  private static func problems(_ sheet: ScoreSheet) -> [String] {
    sheet.diagnostics.filter { $0.severity == .error }.map { "    \($0.code.rawValue) \($0.message)" }
  }

  /// The value of a literal: a number, percentage, 是/否, quoted text or a list of them.
  static func constant(_ expression: Expression) -> Value? {
    switch expression.kind {
    case .number(let value, _): return .number(value)
    case .boolean(let truth): return .boolean(truth)
    case .string(let text): return .text(text)
    case .date(let date): return .date(date)
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
    guard cells.count == 6 || cells.count == 8, case .text(let level1)? = cells[0], case .text(let level2)? = cells[1],
      case .text(let name)? = cells[2], case .text(let target)? = cells[3], case .text(let actual)? = cells[4],
      case .number(let points)? = cells[5]
    else {
      return .failure(
        RowProblem(
          message: "逐行应写成 { \"一级\"，\"二级\"，\"三级\"，\"年度指标值\"，\"实际完成值\"，分值 }，评审评定的行再加 \"档次\"，评审得分"))
    }
    var judgment: String?
    var judgedScore: ExactDecimal?
    if cells.count == 8 {
      guard case .text(let band)? = cells[6], case .number(let given)? = cells[7] else {
        return .failure(RowProblem(message: "逐行的第 7、8 项应是评审档次（带引号的文字）和评审得分（数）"))
      }
      (judgment, judgedScore) = (band, given)
    }
    let groups = plan.rows.filter(\.indicator.fromRows).map(\.indicator.name)
    guard let group = plan.rows.firstIndex(where: { $0.indicator.fromRows && $0.indicator.name == level1 }) else {
      guard !groups.isEmpty else { return .failure(RowProblem(message: "规则中没有逐行指标，不能写“逐行”")) }
      let suggestion = NameSuggestion.closest(to: level1, among: groups).map { "；是否指\($0.quotedName)？" } ?? ""
      return .failure(
        RowProblem(message: "一级指标\(level1.quotedName)不是逐行指标（有：\(groups.joined(separator: "、"))）\(suggestion)"))
    }
    return .success(
      TableRow(
        group: group, level2: level2, name: name, target: target, actual: actual, points: points, reported: nil,
        reason: judgment.map { "评审评定为“\($0)”" }, override: nil, method: nil, judgment: judgment,
        judgedScore: judgedScore, span: row.span, number: number))
  }
}
