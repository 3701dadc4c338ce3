/// Scores one department or project with a plan: leaves by their formulas (or, where the data
/// says the report lacks the figure, by the reported score), table groups row by row, parents
/// as sums, then the total and its grade.
public enum Scorer {
  public static func score(
    _ data: DepartmentData, with plan: EvaluationPlan, explain: Bool = false, coverage: Coverage? = nil
  ) -> ScoreSheet {
    var builder = SheetBuilder(plan: plan, data: data, explain: explain, coverage: coverage)
    for index in plan.topLevel { builder.add(planRow: index) }
    builder.reportMissingInputs()
    builder.sumParents()
    let weightsAddUp = builder.checkTableWeights()
    // Points that do not add up to 满分 make any total meaningless (102.04 of 100).
    let total = weightsAddUp ? sum(plan.topLevel.map { builder.rows[builder.sheetIndex[$0] ?? 0].score }) : nil
    if let total { coverage?.recordLimitValue(total, at: .unknown(Coverage.totalKey)) }
    let leaves = builder.rows.filter(\.isLeaf)
    var sheet = ScoreSheet(
      rulesetName: plan.program.name, subject: data.subject, project: data.project, year: data.year,
      fullMarks: plan.program.fullMarks, rows: builder.rows, total: total,
      grade: total.flatMap { grade(of: $0, in: plan.program.grades) }, reportedTotal: data.reportedTotal,
      reportedGrade: data.reportedGrade, reportedLeafSum: sum(leaves.map(\.reported)), diagnostics: builder.diagnostics)
    sheet.columnLabels = plan.program.columnLabels
    sheet.missingInputs = builder.missing.keys.sorted().map { plan.program.cells[$0].name }
    sheet.inconsistencies = builder.statedFiguresAgainstTheirFormulas() + reportedSumsThatDoNotAddUp(sheet)
    return sheet
  }

  /// A reported parent score, or the reported total, that is not the sum of the report's own
  /// scores below it (福田 2020: 部门绩效 49.07, its items 48.96).
  static func reportedSumsThatDoNotAddUp(_ sheet: ScoreSheet) -> [ScoreSheet.Inconsistency] {
    var found: [ScoreSheet.Inconsistency] = []
    for row in sheet.rows where !row.isLeaf {
      guard let stated = row.reported else { continue }
      let leaves = sheet.rows.filter {
        $0.isLeaf && $0.path.count > row.path.count && Array($0.path.prefix(row.path.count)) == row.path
      }
      guard let parts = sum(leaves.map(\.reported)), parts != stated else { continue }
      found.append(
        .init(about: row.name, message: "报告的\(row.name.quotedName)得分 \(stated) 不等于其所属各项得分之和 \(parts)"))
    }
    if let parts = sheet.reportedLeafSum, let stated = sheet.reportedTotal, parts != stated {
      found.append(.init(about: "综合评分", message: "报告各项得分之和为 \(parts)，与报告的综合评分 \(stated) 不一致"))
    }
    let topLevel = sheet.rows.filter { $0.path.count == 1 }
    if topLevel.contains(where: { !$0.isLeaf }), let parts = sum(topLevel.map(\.reported)),
      let stated = sheet.reportedTotal,
      parts != stated
    {
      found.append(.init(about: "综合评分", message: "报告各一级指标得分之和为 \(parts)，与报告的综合评分 \(stated) 不一致"))
    }
    return found
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
    gradeIndex(of: total, in: grades).map { grades[$0].name }
  }

  /// The first grade whose threshold the total reaches (the last has none).
  static func gradeIndex(of total: ExactDecimal, in grades: [Grade]) -> Int? {
    grades.firstIndex { grade in grade.threshold.map { total >= $0 } ?? true }
  }
}

/// Lays out the sheet's rows in table order while scoring them.
private struct SheetBuilder {
  let plan: EvaluationPlan
  let data: DepartmentData
  let explain: Bool
  var evaluator: Evaluator
  var rows: [ScoreSheet.Row] = []
  var children: [[Int]] = []
  var sheetIndex: [Int: Int] = [:]
  var diagnostics: [Diagnostic] = []
  var missing: [Int: [String]] = [:]

  init(plan: EvaluationPlan, data: DepartmentData, explain: Bool, coverage: Coverage?) {
    self.plan = plan
    self.data = data
    self.explain = explain
    evaluator = Evaluator(program: plan.program, given: data.given, coverage: coverage)
  }

  var program: Program { plan.program }

  mutating func append(_ row: ScoreSheet.Row, parent: Int?) -> Int {
    rows.append(row)
    children.append([])
    if let parent { children[parent].append(rows.count - 1) }
    return rows.count - 1
  }

  mutating func add(planRow index: Int, parent: Int? = nil) {
    let planned = plan.rows[index]
    let row = ScoreSheet.Row(
      path: planned.path, weight: data.tableWeights[index] ?? planned.indicator.weight, isLeaf: planned.isLeaf,
      score: nil, source: .unavailable,
      reported: data.reportedScores[index], reasons: reasons(for: planned), explanation: [])
    let at = append(row, parent: parent)
    sheetIndex[index] = at
    if planned.indicator.fromRows {
      addTableRows(of: index, under: at)
    } else if let expression = planned.indicator.score {
      scoreLeaf(index, expression: expression, at: at)
    } else {
      for child in planned.children { add(planRow: child, parent: at) }
    }
  }

  /// A figure the report states that its own other figures contradict: the input's 缺省 formula,
  /// fed the report's other numbers, gives another value at the precision the report wrote
  /// (福田 2020: 三季度执行率 98.67%, but 868.3 ÷ 1,273.37 ÷ 75% is 90.92%).
  /// The same for a figure the report states for a computed value (设), given under "stated".
  /// Each names the formula with the report's figures in it, and whether the report states a basis
  /// (口径) that may explain the difference.
  mutating func statedFiguresAgainstTheirFormulas() -> [ScoreSheet.Inconsistency] {
    var found: [ScoreSheet.Inconsistency] = []
    let figures = data.given.filter { program.cells[$0.key].input != nil }.merging(data.stated) { given, _ in given }
    for index in figures.keys.sorted() {
      let cell = program.cells[index]
      guard let formula = cell.expression, let figure = figures[index],
        case .success(let computed?) = evaluator.evaluate(formula)
      else { continue }
      let stated = figure.value
      let pairs: [(Value, Value)]
      switch (stated, computed) {
      case (.list(let a), .list(let b)) where a.count == b.count: pairs = Array(zip(a, b))
      default: pairs = [(stated, computed)]
      }
      for (position, (statedPart, computedPart)) in pairs.enumerated() {
        guard case .number(let written) = statedPart, case .number(let exact) = computedPart,
          exact.rounded(places: written.fractionDigitsUsed) != written
        else { continue }
        let item = pairs.count > 1 ? "第 \(position + 1) 项" : ""
        let shown = Value.number(exact.rounded(places: max(written.fractionDigitsUsed, 2)))
        var explainer = Explainer(program: program, evaluator: evaluator, given: Set(data.given.keys))
        let cause =
          figure.basis.map { "报告注明口径“\($0)”，差异可能出自口径不同" } ?? "报告未注明口径，属计算上的不一致"
        found.append(
          .init(
            about: cell.name,
            message: "\(cell.name.quotedName)\(item)报告为 \(statedPart.display(asPercent: cell.isPercent))，"
              + "按 \(explainer.formulaWithValues(formula)) 算得 \(shown.display(asPercent: cell.isPercent))；\(cause)",
            basis: figure.basis))
      }
    }
    return found
  }

  mutating func scoreLeaf(_ index: Int, expression: CheckedExpression, at: Int) {
    let name = plan.rows[index].indicator.name
    let outcome = evaluator.evaluate(expression)
    let missingHere = evaluator.missingInputs
    if explain {
      var explainer = Explainer(program: program, evaluator: evaluator, given: Set(data.given.keys))
      rows[at].explanation = explainer.explain(expression, rounded: nil)
    }
    if let reason = data.useReported[index], let reported = data.reportedScores[index] {
      // Only a score the data cannot give is taken from the report; a computable one never is.
      if case .success(nil) = outcome {
        rows[at].score = reported
        rows[at].source = .reported(reason)
        return
      }
      diagnostics.append(
        Diagnostic(
          .reportedScoreIgnored, .warning, at: data.inputsSpan, "指标\(name.quotedName)的数据齐全，已按规则计算，未采用填报得分",
          notes: ["计算得分从不被填报得分替换；如确需采用，请删去该指标的输入数据"]))
    }
    switch outcome {
    case .success(.number(let raw)?):
      let score = raw.rounded(places: program.precision)
      if explain, let last = rows[at].explanation.indices.last, score != raw {
        rows[at].explanation[last] += " ≈ \(score)"
      }
      if score.isNegative || score > plan.rows[index].indicator.weight {
        diagnostics.append(
          Diagnostic(
            .scoreOutOfRange, at: expression.span,
            "指标\(name.quotedName)算得 \(score) 分，超出它的分值范围 0 到 \(plan.rows[index].indicator.weight)",
            notes: evaluator.valuesOfInputs(in: expression) + ["请在公式中用“封顶”“保底”限定得分"]))
      } else {
        rows[at].score = score
        rows[at].source = .computed
      }
    case .success:
      for input in missingHere { missing[input, default: []].append(name) }
    case .failure(let failure):
      diagnostics.append(
        Diagnostic(failure.code, at: failure.span, "指标\(name.quotedName)：\(failure.message)", notes: failure.notes))
    }
  }

  /// A 逐行 indicator's rows, grouped under their 二级指标 in the order the table gives them.
  mutating func addTableRows(of index: Int, under group: Int) {
    guard let scoring = program.rowScoring else { return }
    let scorer = RowScorer(
      program: program, scoring: scoring, given: data.given, subject: subjectLabel, coverage: evaluator.coverage,
      explain: explain)
    let tableRows = data.tableRows.filter { $0.group == index }
    if tableRows.isEmpty && rows[group].weight.isZero {
      // A block of no points that the table leaves out (a 表定 block this project did not use).
      rows[group].score = .zero
      rows[group].source = .computed
    }
    var level2Rows: [String: Int] = [:]
    for tableRow in tableRows {
      let parent: Int
      if let existing = level2Rows[tableRow.level2] {
        parent = existing
      } else {
        let level2 = ScoreSheet.Row(
          path: rows[group].path + [tableRow.level2], weight: .zero, isLeaf: false, score: nil, source: .unavailable,
          reported: nil, reasons: [], explanation: [])
        parent = append(level2, parent: group)
        level2Rows[tableRow.level2] = parent
      }
      rows[parent].weight = (try? rows[parent].weight.adding(tableRow.points)) ?? rows[parent].weight
      let outcome = scorer.score(tableRow)
      var reasons: [String] = []
      if let reason = tableRow.reason {
        reasons.append(outcome.judgment.map { "评审评定为“\($0)”：\(reason)" } ?? "偏差原因：\(reason)")
      }
      if let note = tableRow.note { reasons.append("备注：\(note)") }
      var row = ScoreSheet.Row(
        path: rows[parent].path + [tableRow.name.isEmpty ? "（不适用）" : tableRow.name], weight: tableRow.points,
        isLeaf: true, score: outcome.score, source: outcome.score == nil ? .unavailable : .computed,
        reported: tableRow.reported, reasons: reasons, explanation: outcome.explanation)
      row.target = tableRow.target
      row.actual = tableRow.actual
      row.method = outcome.method
      row.notApplicable = outcome.notApplicable
      if let override = tableRow.override, !outcome.overrideRejected {
        // An assessor's score with its reason stands in for the computed one, and says so.
        row.computed = outcome.score
        row.score = override
        row.source = .assessed(tableRow.reason ?? "")
        diagnostics += outcome.diagnostics.map { Diagnostic($0.code, .note, at: $0.span, $0.message, notes: $0.notes) }
      } else {
        diagnostics += outcome.diagnostics
      }
      _ = append(row, parent: parent)
    }
  }

  /// 表定 blocks take the points their table gives, or else the sum of their rows; with the fixed
  /// siblings they must add up to their parent (or to 满分), as fixed weights must.
  @discardableResult
  mutating func checkTableWeights() -> Bool {
    var addUp = true
    for index in plan.rows.indices where plan.rows[index].indicator.weightFromTable {
      guard data.tableWeights[index] == nil, let at = sheetIndex[index] else { continue }
      rows[at].weight = Scorer.sum(children[at].map { rows[$0].weight }) ?? .zero
    }
    // The parent's text is made only for a mismatch: this runs for every record.
    let parents: [Int?] = [nil] + plan.rows.indices.map { $0 }
    for parent in parents {
      let children = parent.map { plan.rows[$0].children } ?? plan.topLevel
      guard children.contains(where: { plan.rows[$0].indicator.weightFromTable }) else { continue }
      let weight = parent.map { plan.rows[$0].indicator.weight } ?? program.fullMarks
      let parts = children.compactMap { sheetIndex[$0].map { rows[$0] } }
      guard let sum = Scorer.sum(parts.map(\.weight)), sum != weight else { continue }
      addUp = false
      let owner = parent.map { "指标\(plan.rows[$0].indicator.name.quotedName)的分值为" } ?? "满分为"
      let terms = parts.map { "\($0.name) \($0.weight)" }.joined(separator: " + ")
      diagnostics.append(
        Diagnostic(
          .weightMismatch, at: data.tableRows.first?.span ?? data.inputsSpan,
          "\(owner) \(weight)，但下级指标分值之和为 \(sum)",
          notes: ["\(terms) = \(sum)（表定指标的分值由表给出：写在 weights 中，或取其各行分值之和）"]))
    }
    return addUp
  }

  var subjectLabel: String {
    data.project.map { "项目\($0.name.quotedName)" } ?? ""
  }

  mutating func reportMissingInputs() {
    for input in missing.keys.sorted() {
      let cell = program.cells[input]
      let needers = (missing[input] ?? []).map(\.quotedName).joined(separator: "、")
      var notes = ["在 inputs 中填写\(cell.name.quotedName)（\(cell.input.map(\.dataFormat) ?? cell.type.description)）"]
      if let description = cell.input?.description { notes.append("说明：\(description)") }
      if let way = wayAround(input) { notes.append(way) }
      notes.append("如报告没有这项数据，可在 useReported 中写明理由，采用报告的得分")
      diagnostics.append(
        Diagnostic(.missingInput, at: data.inputsSpan, "缺少输入\(cell.name.quotedName)，指标\(needers)需要它", notes: notes))
    }
  }

  /// A missing input that only feeds 缺省 formulas can be skipped by giving what they compute:
  /// 季度累计支出 by 季度支出进度 or 季度执行率.
  func wayAround(_ input: Int) -> String? {
    let needsByCell = evaluator.defaultNeeds.sorted { $0.key < $1.key }
    var above: [Int] = []
    var pending = [input]
    while let next = pending.popLast() {
      for (cell, needs) in needsByCell where needs.contains(next) {
        guard !above.contains(cell) else { continue }
        above.append(cell)
        pending.append(cell)
      }
    }
    // Only inputs can be given; a 设 that uses the input is computed, never written in the data.
    let givable = above.filter { program.cells[$0].input != nil }
    guard !givable.isEmpty else { return nil }
    let names = givable.map { program.cells[$0].name.quotedName }.joined(separator: "或")
    return "也可以直接填写 \(names)，它们的缺省公式才用到\(program.cells[input].name.quotedName)"
  }

  /// Parents are the sums of their children; children come after their parents, so go backwards.
  mutating func sumParents() {
    for index in rows.indices.reversed() where !children[index].isEmpty {
      let parts = children[index].map { rows[$0] }
      rows[index].score = Scorer.sum(parts.map(\.score))
      if rows[index].score == nil {
        rows[index].source = .unavailable
      } else if parts.allSatisfy({ $0.source == .computed }) {
        rows[index].source = .computed
      } else if parts.contains(where: { if case .reported = $0.source { true } else { false } }) {
        rows[index].source = .reported("含采用填报得分的下级指标")
      } else {
        rows[index].source = .computed
      }
    }
  }

  /// Every reason the data gives for the inputs behind a leaf, assessors' first, then the bases
  /// (口径) the report states for the figures behind it.
  func reasons(for row: EvaluationPlan.Row) -> [String] {
    guard row.isLeaf else { return [] }
    var lines: [String] = []
    for input in row.inputs {
      guard let given = data.given[input], let reason = given.reason else { continue }
      let cell = program.cells[input]
      let label = cell.input?.isAssessment == true ? "评审" : "输入"
      lines.append("\(label)\(cell.name.quotedName) = \(given.value.display(asPercent: cell.isPercent))：\(reason)")
    }
    for index in row.cells {
      guard let figure = data.given[index] ?? data.stated[index], let basis = figure.basis else { continue }
      let cell = program.cells[index]
      lines.append("口径：报告的\(cell.name.quotedName)为 \(figure.value.display(asPercent: cell.isPercent))，\(basis)")
    }
    return lines
  }
}
