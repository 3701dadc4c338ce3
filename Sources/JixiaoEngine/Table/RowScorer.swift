/// Scores one row of a project table: reads its 年度指标值 and 实际完成值, picks the method its
/// target's form selects (or the one the row names), and evaluates that method's formula with
/// 目标值, 实际值, 分值 and 达成 set for the row.
struct RowScorer {
  struct Outcome {
    var score: ExactDecimal?
    var method: String?
    var explanation: [String] = []
    var diagnostics: [Diagnostic] = []
    var notApplicable = false
  }

  let program: Program
  let scoring: RowScoring
  let given: [Int: GivenValue]
  let subject: String
  var coverage: Coverage? = nil
  var explain = true

  func score(_ row: TableRow) -> Outcome {
    var outcome = Outcome()
    guard !row.unreadable else { return outcome }
    let target = MeasureParser.parse(row.target)
    let actual = MeasureParser.parse(row.actual)
    let form: TargetForm
    switch target {
    case .notApplicable, .empty: form = .notApplicable
    case .text: form = .text
    case .quantity(let measure): form = Self.form(of: measure.comparator)
    }
    outcome.notApplicable = form == .notApplicable
    guard let method = row.method ?? scoring.choices[form], let formula = scoring.methods[method] else {
      outcome.diagnostics.append(problem(row, "没有适用的评分方法"))
      return outcome
    }
    outcome.method = method
    var values = given
    let variables = scoring.variables
    values[variables.points] = GivenValue(value: .number(row.points), reason: nil, span: row.span)
    switch (target, actual) {
    case (.quantity(let goal), .quantity(let done)) where (goal.unit == "%") != (done.unit == "%") && done.unit.isEmpty:
      // “≤5%” against “3.1” could mean 3.1% or 310%: the table must say.
      outcome.diagnostics.append(
        problem(
          row, "年度指标值“\(row.target)”是百分数，实际完成值“\(row.actual)”却没有写 %，无法确定是否为百分数",
          notes: ["实际完成值是百分数的，请写成“\(row.actual)%”"]))
      return outcome
    case (.quantity(let goal), .quantity(let done)):
      guard let converted = convert(done, to: goal.unit) else {
        outcome.diagnostics.append(
          problem(
            row, "年度指标值“\(row.target)”与实际完成值“\(row.actual)”的单位不同，无法比较",
            notes: ["单位须相同，或在规则的“行评分”中声明换算，如：换算 { 1 小时 = 60 分钟 }"]))
        return outcome
      }
      values[variables.target] = GivenValue(value: .number(goal.value), reason: nil, span: row.span)
      values[variables.actual] = GivenValue(value: .number(converted), reason: nil, span: row.span)
      values[variables.met] = GivenValue(value: .boolean(Self.meets(converted, goal)), reason: nil, span: row.span)
    case (.quantity, _) where form != .notApplicable:
      outcome.diagnostics.append(
        problem(row, "年度指标值“\(row.target)”是数值，但实际完成值“\(row.actual)”不是可比较的数值"))
      return outcome
    case (.text(let goal), .text(let done)):
      guard let met = matches(done, goal) else {
        outcome.diagnostics.append(
          problem(
            row, "无法判定实际完成值“\(row.actual)”是否达到年度指标值“\(row.target)”",
            notes: ["在规则的“同义”中声明同义词，或在“未达成”中声明表示未达成的词；也可给出评审得分 override 并写明理由"]))
        return outcome
      }
      values[variables.met] = GivenValue(value: .boolean(met), reason: nil, span: row.span)
    case (.text, _):
      outcome.diagnostics.append(problem(row, "年度指标值“\(row.target)”是文字，但实际完成值“\(row.actual)”不是文字"))
      return outcome
    default: break
    }
    var evaluator = Evaluator(program: program, given: values, coverage: coverage)
    switch evaluator.evaluate(formula) {
    case .success(.number(let raw)?):
      var rounded = raw.rounded(places: scoring.precision)
      // Points with more decimals than the precision (0.1502 at one place): full marks stay full marks.
      if rounded > row.points && raw <= row.points { rounded = row.points }
      if rounded.isNegative || rounded > row.points {
        outcome.diagnostics.append(problem(row, "按方法“\(method)”算得 \(rounded) 分，超出该行分值 0 到 \(row.points)"))
      } else {
        outcome.score = rounded
      }
      if explain {
        var explainer = Explainer(program: program, evaluator: evaluator, given: Set(values.keys))
        outcome.explanation = ["方法 \(method)："] + explainer.explain(formula, rounded: rounded)
      }
    case .success:
      outcome.diagnostics.append(problem(row, "方法“\(method)”需要数值的年度指标值和实际完成值"))
    case .failure(let failure):
      outcome.diagnostics.append(problem(row, failure.message, notes: failure.notes))
    }
    return outcome
  }

  static func form(of comparator: Measure.Comparator?) -> TargetForm {
    switch comparator {
    case .atLeast: .atLeast
    case .greater: .greater
    case .atMost: .atMost
    case .less: .less
    case .equal, nil: .equal
    }
  }

  static func meets(_ value: ExactDecimal, _ goal: Measure) -> Bool {
    switch goal.comparator {
    case .atLeast: value >= goal.value
    case .greater: value > goal.value
    case .atMost: value <= goal.value
    case .less: value < goal.value
    case .equal, nil: value == goal.value
    }
  }

  /// The actual value in the target's unit: the same unit, no unit written, or a chain of declared
  /// conversions (小时 → 分钟 → 秒).
  func convert(_ measure: Measure, to unit: String) -> ExactDecimal? {
    if measure.unit == unit || measure.unit.isEmpty || unit.isEmpty { return measure.value }
    var reached: [String: ExactDecimal] = [measure.unit: measure.value]
    var frontier = [measure.unit]
    while let from = frontier.popLast() {
      guard let value = reached[from] else { continue }
      for conversion in scoring.conversions {
        let step: (String, ExactDecimal?)? =
          conversion.unit == from
          ? (conversion.otherUnit, try? value.multiplied(by: conversion.factor))
          : conversion.otherUnit == from ? (conversion.unit, try? value.divided(by: conversion.factor)) : nil
        guard let (next, converted) = step, let converted, reached[next] == nil else { continue }
        if next == unit { return converted }
        reached[next] = converted
        frontier.append(next)
      }
    }
    return nil
  }

  /// Met when the texts agree or are declared synonyms; not met for a declared failing word;
  /// nil when the rules do not say.
  func matches(_ actual: String, _ target: String) -> Bool? {
    if actual == target { return true }
    if scoring.synonymGroups.contains(where: { $0.contains(actual) && $0.contains(target) }) { return true }
    if scoring.failing.contains(actual) { return false }
    return nil
  }

  private func problem(_ row: TableRow, _ message: String, notes: [String] = []) -> Diagnostic {
    let place = row.name.isEmpty ? row.level2 : row.name
    return Diagnostic(.rowValue, at: row.span, "\(subject)第 \(row.number) 行“\(place)”：\(message)", notes: notes)
  }
}
