/// Scores one department with a plan: leaves by their formulas (or, where the data says the
/// report lacks the figure, by the reported score), parents as sums, the total and its grade.
public enum Scorer {
  public static func score(_ data: DepartmentData, with plan: EvaluationPlan, explain: Bool = false) -> ScoreSheet {
    let program = plan.program
    var evaluator = Evaluator(program: program, given: data.given)
    var diagnostics: [Diagnostic] = []
    var missing: [Int: [String]] = [:]
    var rows: [ScoreSheet.Row] = plan.rows.map { row in
      ScoreSheet.Row(
        path: row.path, weight: row.indicator.weight, isLeaf: row.isLeaf, score: nil, source: .unavailable,
        reported: nil, reasons: [], explanation: [])
    }
    for (index, row) in plan.rows.enumerated() {
      rows[index].reported = data.reportedScores[index]
      rows[index].reasons = reasons(for: row, data: data, program: program)
      guard let expression = row.indicator.score else { continue }
      if let reason = data.useReported[index] {
        if data.reportedScores[index] != nil, Set(row.inputs).isSubset(of: data.given.keys) {
          diagnostics.append(
            Diagnostic(
              .reportedScoreIgnored, .warning, at: data.inputsSpan,
              "指标“\(row.indicator.name)”的数据齐全，已按规则计算，未采用填报得分",
              notes: ["计算得分从不被填报得分替换；如确需采用，请删去该指标的输入数据"]))
        } else {
          rows[index].score = data.reportedScores[index]
          rows[index].source = .reported(reason)
          continue
        }
      }
      switch evaluator.evaluate(expression) {
      case .success(.number(let raw)?):
        let score = raw.rounded(places: program.precision)
        if score.isNegative || score > row.indicator.weight {
          diagnostics.append(
            Diagnostic(
              .scoreOutOfRange, at: expression.span,
              "指标“\(row.indicator.name)”算得 \(score) 分，超出它的分值范围 0 到 \(row.indicator.weight)",
              notes: evaluator.valuesOfInputs(in: expression) + ["请在公式中用“封顶”“保底”限定得分"]))
        } else {
          rows[index].score = score
          rows[index].source = .computed
        }
      case .success:
        for input in evaluator.missingInputs { missing[input, default: []].append(row.indicator.name) }
      case .failure(let failure):
        diagnostics.append(
          Diagnostic(
            failure.code, at: failure.span, "指标“\(row.indicator.name)”：\(failure.message)", notes: failure.notes))
      }
      if explain {
        var explainer = Explainer(program: program, evaluator: evaluator, given: Set(data.given.keys))
        rows[index].explanation = explainer.explain(expression, rounded: rows[index].score)
      }
    }
    for input in missing.keys.sorted() {
      let cell = program.cells[input]
      let needers = (missing[input] ?? []).map { "“\($0)”" }.joined(separator: "、")
      var notes = ["在 inputs 中填写“\(cell.name)”（\(cell.type)）"]
      if let description = cell.input?.description { notes.append("说明：\(description)") }
      notes.append("如报告没有这项数据，可在 useReported 中写明理由，采用报告的得分")
      diagnostics.append(
        Diagnostic(.missingInput, at: data.inputsSpan, "缺少输入“\(cell.name)”，指标\(needers)需要它", notes: notes))
    }
    sumParents(&rows, plan: plan)
    let total = sum(plan.topLevel.map { rows[$0].score })
    let leaves = rows.filter(\.isLeaf)
    return ScoreSheet(
      rulesetName: program.name, subject: data.subject, year: data.year, fullMarks: program.fullMarks, rows: rows,
      total: total, grade: total.map { grade(of: $0, in: program.grades) } ?? nil, reportedTotal: data.reportedTotal,
      reportedGrade: data.reportedGrade, reportedLeafSum: sum(leaves.map(\.reported)), diagnostics: diagnostics)
  }

  /// Parents are the sums of their children; rows come in tree order, so go backwards.
  private static func sumParents(_ rows: inout [ScoreSheet.Row], plan: EvaluationPlan) {
    for index in plan.rows.indices.reversed() where !plan.rows[index].children.isEmpty {
      let children = plan.rows[index].children.map { rows[$0] }
      rows[index].score = sum(children.map(\.score))
      if rows[index].score == nil {
        rows[index].source = .unavailable
      } else if children.allSatisfy({ $0.source == .computed }) {
        rows[index].source = .computed
      } else {
        rows[index].source = .reported("含采用填报得分的下级指标")
      }
    }
  }

  /// The sum when every part is known.
  static func sum(_ parts: [ExactDecimal?]) -> ExactDecimal? {
    var total = ExactDecimal.zero
    for part in parts {
      guard let part, let next = try? total.adding(part) else { return nil }
      total = next
    }
    return total
  }

  static func grade(of total: ExactDecimal, in grades: [Grade]) -> String? {
    grades.first { grade in grade.threshold.map { total >= $0 } ?? true }?.name
  }

  /// What the data says about the inputs behind a row: every reason given, assessors' first.
  private static func reasons(for row: EvaluationPlan.Row, data: DepartmentData, program: Program) -> [String] {
    guard row.isLeaf else { return [] }
    var lines: [String] = []
    for input in row.inputs {
      guard let given = data.given[input], let reason = given.reason else { continue }
      let cell = program.cells[input]
      let label = cell.input?.isAssessment == true ? "评审" : "输入"
      lines.append("\(label)“\(cell.name)” = \(given.value.display(asPercent: cell.isPercent))：\(reason)")
    }
    return lines
  }
}
