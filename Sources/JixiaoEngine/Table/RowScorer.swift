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
    /// The band of a judged row.
    var judgment: String?
    /// The row's override lies outside its judged band and must not stand.
    var overrideRejected = false
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
    var unit = ""
    let form: TargetForm
    switch target {
    case .empty: form = .blank
    case .notApplicable: form = .notApplicable
    case .text: form = .text
    case .quantity(let measure):
      form = Self.form(of: measure.comparator)
      unit = measure.unit
    }
    // A bare “2” or “90%” reads as the rules say (a floor unless they choose otherwise).
    let reading = form == .bare ? scoring.reading(ofBareUnit: unit, level2: row.level2) : form
    outcome.notApplicable = form == .notApplicable
    guard let method = row.method ?? scoring.method(for: form, unit: unit, level2: row.level2) else {
      if form == .blank {
        outcome.diagnostics.append(
          Diagnostic(
            .blankRow, at: row.span, "\(place(row))：年度指标值是空白，这一行还没有填完",
            notes: [
              "照表格填写年度指标值和实际完成值；确实不适用的行写“不适用”（或“/”“—”“无”）",
              "若规则要把空白行当作不适用，在行评分的“选用”中写“空白 → 不适用”",
            ]))
      } else {
        outcome.diagnostics.append(problem(row, "没有适用的评分方法"))
      }
      return outcome
    }
    outcome.method = method
    if scoring.judgments[method] == nil && (row.judgment != nil || row.judgedScore != nil) {
      outcome.diagnostics.append(
        Diagnostic(
          .unknownDataField, .warning, at: row.span,
          "\(place(row))：按方法\(method.quotedName)计分，不由评审人评定档次，judgment 和 score 不起作用",
          notes: ["评审人要改这一行的得分，请写 override 和 reason"]))
    }
    var values = given
    let variables = scoring.variables
    values[variables.points] = GivenValue(value: .number(row.points), reason: nil, span: row.span)
    var met: Bool?
    switch (target, actual) {
    case (.quantity(let goal), .quantity(let done)) where (goal.unit == "%") != (done.unit == "%") && done.unit.isEmpty:
      // “≤5%” against “3.1” could mean 3.1% or 310%: the table must say.
      outcome.diagnostics.append(
        problem(
          row, "年度指标值“\(row.target)”是百分数，实际完成值“\(row.actual)”却没有写 %，无法确定是否为百分数",
          notes: ["照表格原文写出 %（如 3.1% 写“3.1%”；表中写的是 0.95 这样的小数的，写成“95%”）"]))
      return outcome
    case (.quantity(let goal), .quantity(let done)):
      guard let converted = convert(done, to: goal.unit) else {
        outcome.diagnostics.append(
          problem(
            row, "年度指标值“\(row.target)”与实际完成值“\(row.actual)”的单位不同，无法比较",
            notes: ["单位须相同，或在规则的“行评分”中声明换算，如：换算 { 1 小时 = 60 分钟 }"]))
        return outcome
      }
      if goal.unit.isEmpty != done.unit.isEmpty {
        let (with, without) = goal.unit.isEmpty ? (row.actual, row.target) : (row.target, row.actual)
        outcome.diagnostics.append(
          Diagnostic(
            .rowValue, .note, at: row.span,
            "\(place(row))：“\(with)”带单位“\(goal.unit.isEmpty ? done.unit : goal.unit)”，“\(without)”没有写单位，按同一单位比较"))
      }
      values[variables.target] = GivenValue(value: .number(goal.value), reason: nil, span: row.span)
      values[variables.actual] = GivenValue(value: .number(converted), reason: nil, span: row.span)
      met = Self.meets(converted, goal.value, reading)
      values[variables.met] = GivenValue(value: .boolean(met ?? false), reason: nil, span: row.span)
    case (.quantity, _) where form != .notApplicable && scoring.judgments[method] == nil:
      outcome.diagnostics.append(
        problem(row, "年度指标值“\(row.target)”是数值，但实际完成值“\(row.actual)”不是可比较的数值"))
      return outcome
    case (.text(let goal), .text(let done)):
      met = matches(done, goal)
      guard let met else {
        if scoring.judgments[method] != nil { break }
        outcome.diagnostics.append(
          problem(
            row, "无法判定实际完成值“\(row.actual)”是否达到年度指标值“\(row.target)”",
            notes: ["在规则的“同义”中声明同义词，或在“未达成”中声明表示未达成的词；也可给出评审得分 override 并写明理由"]))
        return outcome
      }
      values[variables.met] = GivenValue(value: .boolean(met), reason: nil, span: row.span)
    case (.text, _) where scoring.judgments[method] == nil:
      outcome.diagnostics.append(problem(row, "年度指标值“\(row.target)”是文字，但实际完成值“\(row.actual)”不是文字"))
      return outcome
    default: break
    }
    if let bands = scoring.judgments[method] {
      judge(row, method: method, bands: bands, met: met, into: &outcome)
      return outcome
    }
    guard let formula = scoring.methods[method] else {
      outcome.diagnostics.append(problem(row, "没有适用的评分方法"))
      return outcome
    }
    var evaluator = Evaluator(program: program, given: values, coverage: coverage, precision: scoring.precision)
    switch evaluator.evaluate(formula) {
    case .success(.number(let raw)?):
      var rounded = raw.rounded(places: scoring.precision)
      // Points with more decimals than the precision (0.1502 at one place): full marks stay full marks.
      if rounded > row.points && raw <= row.points { rounded = row.points }
      if rounded.isNegative || rounded > row.points {
        outcome.diagnostics.append(problem(row, "按方法\(method.quotedName)算得 \(rounded) 分，超出该行分值 0 到 \(row.points)"))
      } else {
        outcome.score = rounded
      }
      if explain {
        var explainer = Explainer(program: program, evaluator: evaluator, given: Set(values.keys))
        outcome.explanation = ["方法 \(method)："] + explainer.explain(formula, rounded: rounded)
      }
    case .success:
      outcome.diagnostics.append(problem(row, "方法\(method.quotedName)需要数值的年度指标值和实际完成值"))
    case .failure(let failure):
      outcome.diagnostics.append(problem(row, failure.message, notes: failure.notes))
    }
    return outcome
  }

  /// A judged method: the assessor puts the row in a band and gives a score inside it; a row whose
  /// actual plainly meets its target has full marks without a judgment.
  private func judge(
    _ row: TableRow, method: String, bands: [RowScoring.JudgmentBand], met: Bool?, into outcome: inout Outcome
  ) {
    let names = bands.map(\.name).joined(separator: "、")
    guard let judgment = row.judgment else {
      if met == true {
        outcome.score = row.points
        outcome.explanation = ["方法 \(method)：实际完成值达到年度指标值，得满分 \(row.points)"]
        return
      }
      outcome.diagnostics.append(
        problem(
          row, "实际完成值“\(row.actual)”未直接达到年度指标值“\(row.target)”，这一行由评审人按方法\(method.quotedName)评定",
          notes: ["在这一行写 \"judgment\"（\(names) 之一）、档内的评审得分 \"score\" 和理由 \"reason\""]))
      return
    }
    guard let band = bands.first(where: { $0.name == judgment }) else {
      outcome.diagnostics.append(
        problem(
          row, "“\(judgment)”不是方法\(method.quotedName)的评审档次",
          notes: ["可选的档次：\(names)"]
            + (NameSuggestion.closest(to: judgment, among: bands.map(\.name)).map { ["是否指\($0.quotedName)？"] } ?? [])))
      return
    }
    let low = (try? row.points.multiplied(by: band.lower))?.rounded(places: scoring.precision) ?? .zero
    let high = (try? row.points.multiplied(by: band.upper))?.rounded(places: scoring.precision) ?? row.points
    let range =
      band.lower == band.upper
      ? "\(low) 分"
      : "\(band.display) 即 \(low) 分（含）到 \(high) 分（\(band.upperClosed ? "含" : "不含")）"
    for (given, what) in [(row.judgedScore, "评审得分"), (row.override, "评审调整得分")] {
      guard let given else { continue }
      let share = row.points.isZero ? ExactDecimal.zero : (try? given.divided(by: row.points)) ?? .zero
      if !band.allows(share) && !(band.lower == band.upper && given == low) {
        outcome.diagnostics.append(
          Diagnostic(
            .valueOutOfRange, at: row.span, "\(place(row))：\(what) \(given) 不在档次“\(band.name)”允许的范围（\(range)）之内"))
        outcome.overrideRejected = what == "评审调整得分"
        return
      }
    }
    guard let score = row.judgedScore ?? (band.lower == band.upper ? low : nil) else {
      outcome.diagnostics.append(
        problem(row, "档次“\(band.name)”的得分是一个范围（\(range)），请在 \"score\" 中给出评审得分"))
      return
    }
    if score < row.points && (row.reason ?? "").trimmingWhitespace().isEmpty {
      outcome.diagnostics.append(
        Diagnostic(.missingReason, at: row.span, "\(place(row))：评审评定为“\(band.name)”，得 \(score) 分，必须在 reason 中写明理由"))
    }
    outcome.score = score
    outcome.judgment = band.name
    outcome.explanation = ["方法 \(method)：评审评定为“\(band.name)”（\(range)），评审得分 \(score)"]
  }

  static func form(of comparator: Measure.Comparator?) -> TargetForm {
    switch comparator {
    case .atLeast: .atLeast
    case .greater: .greater
    case .atMost: .atMost
    case .less: .less
    case .equal: .equal
    case nil: .bare
    }
  }

  static func meets(_ value: ExactDecimal, _ goal: ExactDecimal, _ form: TargetForm) -> Bool {
    switch form {
    case .atLeast: value >= goal
    case .greater: value > goal
    case .atMost: value <= goal
    case .less: value < goal
    default: value == goal
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
    Diagnostic(.rowValue, at: row.span, "\(place(row))：\(message)", notes: notes)
  }

  private func place(_ row: TableRow) -> String {
    "\(subject)第 \(row.number) 行\((row.name.isEmpty ? row.level2 : row.name).quotedName)"
  }
}
