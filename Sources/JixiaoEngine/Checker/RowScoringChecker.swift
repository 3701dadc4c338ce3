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
    let scope = Scope(frames: [frame])
    for method in syntax.methods {
      if methods[method.name.value] != nil {
        report(.duplicateName, at: method.name.span, "评分方法“\(method.name.value)”重名")
        continue
      }
      guard let formula = typed(method.formula, in: scope) else { continue }
      guard formula.type == .number else {
        report(.typeMismatch, at: method.formula.span, "评分方法“\(method.name.value)”的结果应是数值，这里是\(formula.type)")
        continue
      }
      methods[method.name.value] = formula
    }
    var choices: [TargetForm: String] = [:]
    for choice in syntax.choices {
      if choices[choice.form] != nil {
        report(.duplicateName, at: choice.span, "“\(choice.form.rawValue)”形式的年度指标值选用了两次")
      }
      if methods[choice.method.value] == nil
        && !syntax.methods.contains(where: { $0.name.value == choice.method.value })
      {
        var notes = ["先用“方法 名称 = 公式”定义"]
        if let suggestion = NameSuggestion.closest(to: choice.method.value, among: syntax.methods.map(\.name.value)) {
          notes = ["是否指“\(suggestion)”？"]
        }
        report(.undefinedName, at: choice.method.span, "没有名为“\(choice.method.value)”的评分方法", notes: notes)
      }
      choices[choice.form] = choice.method.value
    }
    let missing = TargetForm.allCases.filter { choices[$0] == nil }
    if !missing.isEmpty {
      report(
        .missingScore, at: syntax.choicesSpan ?? syntax.span,
        "“选用”没有为这些年度指标值形式指定评分方法：\(missing.map(\.rawValue).joined(separator: "、"))",
        notes: ["每种形式都要有方法，如：选用 { ≥ → 越多越好；文字 → 定性；不适用 → 不适用 }"])
    }
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
      let pair = Set([conversion.unit, conversion.otherUnit])
      if conversions.contains(where: { Set([$0.unit, $0.otherUnit]) == pair }) {
        report(.duplicateName, at: conversion.span, "“\(conversion.unit)”与“\(conversion.otherUnit)”的换算写了两次")
        continue
      }
      conversions.append(RowScoring.Conversion(unit: conversion.unit, otherUnit: conversion.otherUnit, factor: factor))
    }
    return RowScoring(
      precision: syntax.precision?.value ?? 2, methods: methods, choices: choices,
      synonymGroups: syntax.synonyms.map { Set($0.value.map(MeasureParser.normalized)) },
      failing: Set(syntax.failing.map(MeasureParser.normalized)), conversions: conversions,
      variables: RowScoring.Variables(
        target: frame["目标值"] ?? 0, actual: frame["实际值"] ?? 0, points: frame["分值"] ?? 0, met: frame["达成"] ?? 0))
  }

  static func containsRows(_ indicators: [CheckedIndicator]) -> Bool {
    indicators.contains { $0.fromRows || containsRows($0.children) }
  }
}
