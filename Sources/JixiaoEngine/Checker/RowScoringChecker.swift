extension Checker {
  /// 目标值, 实际值, 分值 and 达成 exist only inside the methods of 行评分.
  mutating func declareRowVariables() -> [String: Int] {
    var frame: [String: Int] = [:]
    for (name, type) in [("目标值", ValueType.number), ("实际值", .number), ("分值", .number), ("达成", .boolean)] {
      cells.append(
        Cell(
          name: name, span: .unknown(source.path),
          input: InputSpec(
            kind: type == .boolean ? .boolean : .number, length: nil, isAssessment: false, isRowVariable: true),
          expression: nil, type: type, isPercent: false))
      cellSyntax.append(nil)
      cellScopes.append(Scope())
      frame[name] = cells.count - 1
    }
    return frame
  }

  mutating func checkRowScoring(
    _ syntax: RowScoringSyntax?, frame: [String: Int]?, indicators: [CheckedIndicator], at span: SourceSpan
  ) -> RowScoring? {
    let usesRows = Checker.containsRows(indicators)
    if syntax?.incomplete == true { return nil }
    guard let syntax, let frame else {
      if usesRows {
        report(.missingScore, at: span, "规则集有逐行指标，但没有“行评分”说明各行怎样计分", notes: ["在规则集中写“行评分 { 方法 … 选用 { … } }”"])
      }
      return nil
    }
    var methods: [String: CheckedExpression] = [:]
    var judgments: [String: [RowScoring.JudgmentBand]] = [:]
    let scope = Scope(frames: [frame])
    for method in syntax.methods {
      if methods[method.name.value] != nil || judgments[method.name.value] != nil {
        report(.duplicateName, at: method.name.span, "评分方法\(method.name.value.quotedName)重名")
        continue
      }
      guard let expression = method.formula else {
        judgments[method.name.value] = checkJudgment(method)
        continue
      }
      guard let formula = typed(expression, in: scope) else { continue }
      guard formula.type == .number else {
        report(.typeMismatch, at: expression.span, "评分方法\(method.name.value.quotedName)的结果应是数值，这里是\(formula.type)")
        continue
      }
      methods[method.name.value] = formula
    }
    let choices = checkChoices(syntax)
    for group in syntax.synonyms where group.value.count < 2 {
      // 、 may be part of a name, so “满足、满意” is one word, and a group of one says nothing.
      report(
        .syntax, at: group.span, "同义词组 { \(group.value.joined(separator: "，")) } 只有一个词，起不到同义的作用",
        notes: ["词与词之间用逗号或分号分开，如：同义 { 满足，满意 }"])
    }
    var conversions: [RowScoring.Conversion] = []
    for conversion in syntax.conversions {
      guard !conversion.amount.isZero, let factor = try? conversion.equals.divided(by: conversion.amount),
        !factor.isZero
      else {
        report(.badRange, at: conversion.span, "换算的两边都应大于 0")
        continue
      }
      guard conversion.unit != conversion.otherUnit else {
        report(.badRange, at: conversion.span, "换算的两边是同一个单位“\(conversion.unit)”")
        continue
      }
      for unit in [conversion.unit, conversion.otherUnit] where !MeasureParser.isUnit(unit) {
        report(
          .conversionUnused, .warning, at: conversion.span, "换算中的“\(unit)”不是表格中数值会带的单位，这条换算永远用不上",
          notes: ["单位是一两个汉字的量词（如 艘、人次）、英文单位（如 GB）或常用的较长单位（如 平方米）"])
      }
      let pair = Set([conversion.unit, conversion.otherUnit])
      if conversions.contains(where: { Set([$0.unit, $0.otherUnit]) == pair }) {
        report(.duplicateName, at: conversion.span, "“\(conversion.unit)”与“\(conversion.otherUnit)”的换算写了两次")
        continue
      }
      conversions.append(RowScoring.Conversion(unit: conversion.unit, otherUnit: conversion.otherUnit, factor: factor))
    }
    return RowScoring(
      precision: syntax.precision?.value ?? 2, methods: methods, judgments: judgments, choices: choices,
      synonymGroups: syntax.synonyms.map { Set($0.value.map(MeasureParser.normalized)) },
      failing: Set(syntax.failing.map(MeasureParser.normalized)), conversions: conversions,
      variables: RowScoring.Variables(
        target: frame["目标值"] ?? 0, actual: frame["实际值"] ?? 0, points: frame["分值"] ?? 0, met: frame["达成"] ?? 0))
  }

  /// Every entry's method exists, no entry is written twice, and every form has a plain entry;
  /// 单值 and 空白 may go without one (a bare target reads as ≥; a blank row is then an error).
  private mutating func checkChoices(_ syntax: RowScoringSyntax) -> [RowScoring.Choice] {
    var choices: [RowScoring.Choice] = []
    let names = syntax.methods.map(\.name.value)
    for entry in syntax.choices {
      let choice = RowScoring.Choice(
        level2: entry.level2?.value, form: entry.form, unit: entry.unit?.value, method: entry.method?.value,
        reading: entry.reading)
      let written = [entry.level2?.value, entry.form.rawValue, entry.unit?.value].compactMap { $0 }.joined(
        separator: " ")
      if choices.contains(where: {
        $0.level2 == choice.level2 && $0.form == choice.form && $0.unit == choice.unit
          && ($0.reading == nil) == (choice.reading == nil)
      }) {
        report(.duplicateName, at: entry.span, "“\(written)”形式的年度指标值选用了两次")
      }
      if let method = entry.method, !names.contains(method.value) {
        var notes = ["先用“方法 名称 = 公式”定义"]
        if let suggestion = NameSuggestion.closest(to: method.value, among: names) {
          notes = ["是否指\(suggestion.quotedName)？"]
        }
        report(.undefinedName, at: method.span, "没有名为\(method.value.quotedName)的评分方法", notes: notes)
      }
      choices.append(choice)
    }
    let required = TargetForm.allCases.filter { $0 != .bare && $0 != .blank }
    let missing = required.filter { form in
      !choices.contains { $0.form == form && $0.level2 == nil && $0.unit == nil && $0.method != nil }
    }
    if !missing.isEmpty {
      report(
        .missingScore, at: syntax.choicesSpan ?? syntax.span,
        "“选用”没有为这些年度指标值形式指定评分方法：\(missing.map(\.rawValue).joined(separator: "、"))",
        notes: ["每种形式都要有方法，如：选用 { ≥ → 越多越好；文字 → 定性；不适用 → 不适用 }"])
    }
    return choices
  }

  /// 评审 { 达成 → 100%；基本达成 → [50%, 80%)；未达成 → [0%, 50%) }: shares within 0%..100%, names distinct.
  private mutating func checkJudgment(_ method: MethodSyntax) -> [RowScoring.JudgmentBand] {
    var bands: [RowScoring.JudgmentBand] = []
    if method.judgment.isEmpty {
      report(.missingScore, at: method.name.span, "评分方法\(method.name.value.quotedName)的评审档次是空的")
    }
    for band in method.judgment {
      if bands.contains(where: { $0.name == band.name.value }) {
        report(.duplicateName, at: band.name.span, "评审档次“\(band.name.value)”写了两次")
        continue
      }
      guard !band.lower.isNegative, band.lower <= band.upper, band.upper <= .one else {
        report(
          .badRange, at: band.span, "评审档次“\(band.name.value)”的得分比例应在 0% 到 100% 之间，且下限不大于上限",
          notes: ["比例是该行分值的百分数，如：基本达成 → [50%, 80%)"])
        continue
      }
      bands.append(
        RowScoring.JudgmentBand(
          name: band.name.value, lower: band.lower, upper: band.upper, upperClosed: band.upperClosed))
    }
    return bands
  }

  static func containsRows(_ indicators: [CheckedIndicator]) -> Bool {
    indicators.contains { $0.fromRows || containsRows($0.children) }
  }
}
