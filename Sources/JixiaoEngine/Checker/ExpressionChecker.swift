extension Checker {
  /// Resolves and types an expression; nil after reporting when it cannot be typed.
  mutating func typed(_ expression: Expression, in scope: Scope) -> CheckedExpression? {
    let span = expression.span
    func make(_ kind: CheckedExpression.Kind, _ type: ValueType) -> CheckedExpression {
      CheckedExpression(kind: kind, type: type, span: span)
    }
    switch expression.kind {
    case .number(let value, _): return make(.constant(.number(value)), .number)
    case .string(let text): return make(.constant(.text(text)), .text)
    case .boolean(let truth): return make(.constant(.boolean(truth)), .boolean)
    case .date(let date): return make(.constant(.date(date)), .date)
    case .name(let name):
      guard let index = resolve(name, in: scope) else {
        reportUnknown(name, at: span, in: scope)
        return nil
      }
      return make(.cell(index), cells[index].type)
    case .list(let elements):
      let checked = elements.compactMap { typed($0, in: scope) }
      guard checked.count == elements.count, let first = checked.first else {
        if elements.isEmpty { report(.typeMismatch, at: span, "列表不能为空") }
        return nil
      }
      guard first.type == .number || first.type == .boolean,
        checked.allSatisfy({ $0.type == first.type })
      else {
        report(.typeMismatch, at: span, "列表的元素应全是数值或全是是否值")
        return nil
      }
      return make(.list(checked), .list(first.type, checked.count))
    case .negate(let operand):
      guard let checked = typed(operand, in: scope) else { return nil }
      guard checked.type.element == .number else {
        report(.typeMismatch, at: span, "负号只能用于数值，这里是\(checked.type)")
        return nil
      }
      return make(.negate(checked), checked.type)
    case .not(let operand):
      guard let checked = typed(operand, in: scope) else { return nil }
      guard checked.type == .boolean else {
        report(.typeMismatch, at: span, "“非”只能用于是否值，这里是\(checked.type)")
        return nil
      }
      return make(.not(checked), .boolean)
    case .binary(let operation, let left, let right):
      if operation.isComparison { warnIfPercentLacksSign(left, right, at: span) }
      // Both sides are checked before giving up, so every problem in them is reported.
      let l = typed(left, in: scope)
      let r = typed(right, in: scope)
      guard let l, let r else { return nil }
      return typedBinary(operation, l, r, at: span)
    case .conditional(let condition, let whenTrue, let whenFalse):
      let c = typed(condition, in: scope)
      let t = typed(whenTrue, in: scope)
      let f = typed(whenFalse, in: scope)
      guard let c, let t, let f else { return nil }
      guard c.type == .boolean else {
        report(.typeMismatch, at: condition.span, "“如果”后面应是条件（是否），这里是\(c.type)")
        return nil
      }
      guard let type = Checker.unified(t.type, f.type) else {
        report(.typeMismatch, at: span, "“则”和“否则”两个分支的结果类型不同：\(t.type) 与 \(f.type)")
        return nil
      }
      return make(.conditional(c, t, f), type)
    case .call(let callee, let arguments):
      let checked = arguments.compactMap { typed($0, in: scope) }
      guard checked.count == arguments.count else { return nil }
      return typedCall(callee, checked, at: span)
    case .bands(let subject, let arms):
      return typedBands(subject, arms, in: scope, at: span)
    case .checklist(let items):
      var checkedItems: [CheckedChecklistItem] = []
      for item in items {
        guard let condition = typed(item.condition, in: scope), let points = typed(item.points, in: scope)
        else { continue }
        if condition.type != .boolean {
          report(.typeMismatch, at: item.condition.span, "清单每一项的条件应是是否值，这里是\(condition.type)")
        } else if points.type != .number {
          report(.typeMismatch, at: item.points.span, "清单每一项的分值应是数值，这里是\(points.type)")
        } else {
          checkedItems.append(CheckedChecklistItem(condition: condition, points: points, span: item.span))
        }
      }
      guard checkedItems.count == items.count else { return nil }
      return make(.checklist(checkedItems), .number)
    }
  }

  private mutating func reportUnknown(_ name: String, at span: SourceSpan, in scope: Scope) {
    if unreadDeclarations.contains(name) { return }  // its declaration already has a syntax error
    if Builtin.bySpelling[name] != nil {
      report(
        .undefinedName, at: span, "\(name.quotedName)是函数，要带括号使用，如 \(name)（x，1）", notes: ["左括号要和函数名写在同一行"])
      return
    }
    if indicatorNames[name] != nil {
      report(.undefinedName, at: span, "\(name.quotedName)是指标，公式中不能直接引用指标的得分", notes: ["请引用输入或“设”定义的值"])
      return
    }
    var visible = Set(globals.keys)
    for frame in scope.frames { visible.formUnion(frame.keys) }
    var notes = ["名称须先用“输入”“评审”或“设”声明"]
    if let suggestion = NameSuggestion.closest(to: name, among: visible.sorted()) {
      notes = ["是否指\(suggestion.quotedName)？"]
    }
    // 封顶（执行率、3）: a 、 right after a name belongs to it, so a list separator became part of it.
    let parts = name.split(separator: "、").map(String.init)
    if parts.count > 1, parts.contains(where: { visible.contains($0) || Int($0) != nil }) {
      notes = ["紧跟在名称后的顿号“、”算作名称的一部分，\(name.quotedName)被读成了一个名称；参数之间、列表各项之间请用逗号“，”"]
    }
    if name.contains("如果") || name.contains("否则") || (name.count > 2 && name.hasPrefix("非")) {
      notes.append("关键字（如果、则、否则、且、或、非）与名称之间需要空格")
    }
    report(.undefinedName, at: span, "未定义的名称\(name.quotedName)", notes: notes)
  }

  static func unified(_ a: ValueType, _ b: ValueType) -> ValueType? {
    if a == b { return a }
    switch (a, b) {
    case (.choice, .text): return a
    case (.text, .choice): return b
    default: return nil
    }
  }

  /// Arithmetic works on numbers and element by element on lists of the same length.
  private static func arithmeticType(_ a: ValueType, _ b: ValueType) -> ValueType? {
    switch (a, b) {
    case (.number, .number): return .number
    case (.list(.number, let n), .number), (.number, .list(.number, let n)): return .list(.number, n)
    case (.list(.number, let n), .list(.number, let m)) where n == m: return .list(.number, n)
    default: return nil
    }
  }

  private mutating func typedBinary(
    _ operation: BinaryOperator, _ l: CheckedExpression, _ r: CheckedExpression, at span: SourceSpan
  ) -> CheckedExpression? {
    func make(_ kind: CheckedExpression.Kind, _ type: ValueType) -> CheckedExpression {
      CheckedExpression(kind: kind, type: type, span: span)
    }
    if operation != .multiply { checkMoneyUnits(operation, l, r, at: span) }
    if operation.isArithmetic {
      guard let type = Checker.arithmeticType(l.type, r.type) else {
        let dates = l.type == .date || r.type == .date
        report(
          .typeMismatch, at: span, "“\(operation.rawValue)”两边应是数值（或等长的数值列表），这里是\(l.type)和\(r.type)",
          notes: dates ? ["日期不能加减；两个日期相差几天用 天数（开始日期，结束日期）"] : [])
        return nil
      }
      return make(.arithmetic(operation, l, r), type)
    }
    if operation == .and || operation == .or {
      guard l.type == .boolean, r.type == .boolean else {
        report(.typeMismatch, at: span, "“\(operation.rawValue)”两边应是条件（是否），这里是\(l.type)和\(r.type)")
        return nil
      }
      return make(.logical(operation, l, r), .boolean)
    }
    if operation == .equal || operation == .notEqual {
      switch (l.type, r.type) {
      case (.number, .number), (.boolean, .boolean), (.date, .date): break
      case (.choice(let options), .text), (.text, .choice(let options)):
        checkOption(in: options, l, r)
      case (.choice(let a), .choice(let b)) where a == b: break
      default:
        report(.typeMismatch, at: span, "不能比较\(l.type)和\(r.type)是否相等")
        return nil
      }
      return make(.comparison(operation, l, r), .boolean)
    }
    guard l.type == r.type, l.type == .number || l.type == .date else {
      report(.typeMismatch, at: span, "“\(operation.rawValue)”两边应是数值或都是日期，这里是\(l.type)和\(r.type)")
      return nil
    }
    return make(.comparison(operation, l, r), .boolean)
  }

  /// Amounts declared in different units cannot be added, subtracted, divided or compared:
  /// 10,500,000 元 ÷ 1,200 万元 is not 875000%.
  private mutating func checkMoneyUnits(
    _ operation: BinaryOperator, _ l: CheckedExpression, _ r: CheckedExpression, at span: SourceSpan
  ) {
    guard let left = moneyUnit(of: l), let right = moneyUnit(of: r), left != right else { return }
    let verb = [BinaryOperator.add: "相加", .subtract: "相减", .divide: "相除"][operation] ?? "比较"
    report(
      .moneyUnit, at: span,
      "“\(source.text(l.span))”以\(left)计，“\(source.text(r.span))”以\(right)计，单位不同，不能直接\(verb)",
      notes: ["把两项输入声明为同一单位，数据中写的元、万元会自动换算；或在公式中换算，如 × 10000"])
  }

  /// The money unit an expression is in: an amount input's, carried through definitions, + and −,
  /// scaling by a plain number, 如果 and functions like 封顶; nil for ratios and unitless values.
  mutating func moneyUnit(of expression: CheckedExpression) -> String? {
    switch expression.kind {
    case .cell(let index):
      if case .amount(let unit)? = cells[index].input?.kind {
        // A unit that is no money unit is its own error (E022 at the input), not a second one here.
        return MoneyUnit.all.contains { $0.name == unit ?? "元" } ? unit ?? "元" : nil
      }
      // Remembered per definition: a chain of 设 that each use the one before twice is otherwise
      // walked exponentially often.
      if let known = moneyUnits[index] { return known }
      var unit: String?
      if let expression = cells[index].expression { unit = moneyUnit(of: expression) }
      moneyUnits[index] = unit
      return unit
    case .negate(let operand): return moneyUnit(of: operand)
    case .arithmetic(let operation, let l, let r):
      let (a, b) = (moneyUnit(of: l), moneyUnit(of: r))
      switch operation {
      case .add, .subtract: return a ?? b
      case .multiply: return a == nil || b == nil ? a ?? b : nil
      default: return b == nil ? a : nil
      }
    case .conditional(_, let t, let f): return moneyUnit(of: t) ?? moneyUnit(of: f)
    case .builtin(_, let arguments):
      for argument in arguments { if let unit = moneyUnit(of: argument) { return unit } }
      return nil
    default: return nil
    }
  }

  private mutating func checkOption(in options: [String], _ expressions: CheckedExpression...) {
    for expression in expressions {
      guard case .constant(.text(let option)) = expression.kind, !options.contains(option) else { continue }
      var notes = ["可选的有：\(options.joined(separator: "、"))"]
      if let suggestion = NameSuggestion.closest(to: option, among: options) {
        notes.insert("是否指\(suggestion.quotedName)？", at: 0)
      }
      report(.unknownOption, at: expression.span, "“\(option)”不是可选的选项", notes: notes)
    }
  }

  private mutating func typedCall(_ callee: Located<String>, _ arguments: [CheckedExpression], at span: SourceSpan)
    -> CheckedExpression?
  {
    guard let builtin = Builtin.bySpelling[callee.value] else {
      let names = Builtin.allCases.map { $0.spellings[0] }
      var notes = ["可用的函数：\(names.joined(separator: "、"))"]
      if let suggestion = NameSuggestion.closest(to: callee.value, among: Builtin.bySpelling.keys.sorted()) {
        notes.insert("是否指\(suggestion.quotedName)？", at: 0)
      }
      report(.undefinedName, at: callee.span, "没有名为“\(callee.value)”的函数", notes: notes)
      return nil
    }
    let name = callee.value
    let types = arguments.map(\.type)
    func fail(_ usage: String) -> CheckedExpression? {
      let shown = types.map(\.description).joined(separator: "，")
      report(
        .wrongArguments, at: span, "\(name.quotedName)的参数不对（这里是：\(shown.isEmpty ? "无参数" : shown)）",
        notes: ["用法：\(usage)"])
      return nil
    }
    func make(_ type: ValueType) -> CheckedExpression {
      CheckedExpression(kind: .builtin(builtin, arguments), type: type, span: span)
    }
    switch builtin {
    case .cap, .atLeast:
      let usage = builtin == .cap ? "\(name)（数值，上限）" : "\(name)（数值，下限）"
      guard types.count == 2, types[0].element == .number, types[1] == .number else { return fail(usage) }
      return make(types[0])
    case .min, .max:
      if types.count == 1, case .list(.number, _) = types[0] { return make(.number) }
      guard types.count >= 2, types.allSatisfy({ $0 == .number }) else {
        return fail("\(name)（a，b，…）或 \(name)（数值列表）")
      }
      return make(.number)
    case .round:
      guard types.count == 2, types[0].element == .number, case .constant(.number(let places)) = arguments[1].kind,
        places.isInteger, places >= .zero, places <= ExactDecimal(18)
      else { return fail("\(name)（数值，小数位数），小数位数是 0 到 18 的整数") }
      return make(types[0])
    case .floor, .ceiling:
      guard types.count == 1 || types.count == 2, types[0].element == .number else {
        return fail("\(name)（数值）或 \(name)（数值，小数位数），小数位数是 0 到 18 的整数")
      }
      if types.count == 2 {
        guard case .constant(.number(let places)) = arguments[1].kind, places.isInteger, places >= .zero,
          places <= ExactDecimal(18)
        else { return fail("\(name)（数值）或 \(name)（数值，小数位数），小数位数是 0 到 18 的整数") }
      }
      return make(types[0])
    case .sum, .average:
      guard types.count == 1, case .list(.number, _) = types[0] else { return fail("\(name)（数值列表）") }
      return make(.number)
    case .abs:
      guard types.count == 1, types[0].element == .number else { return fail("\(name)（数值）") }
      return make(types[0])
    case .days:
      guard types == [.date, .date] else { return fail("\(name)（开始日期，结束日期），结果是从开始到结束的天数") }
      return make(.number)
    }
  }

  private mutating func typedBands(_ subject: Expression, _ arms: [BandArm], in scope: Scope, at span: SourceSpan)
    -> CheckedExpression?
  {
    guard let checkedSubject = typed(subject, in: scope) else { return nil }
    var options: [String]?
    switch checkedSubject.type {
    case .number: break
    case .choice(let choices): options = choices
    default:
      report(.typeMismatch, at: subject.span, "分档的对象应是数值或选项，这里是\(checkedSubject.type)")
      return nil
    }
    var slipped = false
    for arm in arms {
      switch arm.pattern {
      case .compare(_, let limit): slipped = warnIfPercentLacksSign(subject, limit, at: arm.span) || slipped
      case .interval(let lower, _, let upper, _):
        slipped = warnIfPercentLacksSign(subject, lower, at: arm.span) || slipped
        slipped = warnIfPercentLacksSign(subject, upper, at: arm.span) || slipped
      default: break
      }
    }
    if slipped { bandsLackingPercent.insert(span.start.offset) }
    var bands: [CheckedBand] = []
    var resultType: ValueType?
    var covered = Set<String>()
    var hasOtherwise = false
    for (position, arm) in arms.enumerated() {
      guard let test = bandTest(arm.pattern, options: options, at: arm.span, covered: &covered) else { continue }
      if case .otherwise = test {
        hasOtherwise = true
        if position != arms.count - 1 {
          report(.syntax, at: arm.span, "“其他”一档应放在最后")
        }
      }
      guard let result = typed(arm.result, in: scope) else { continue }
      if let expected = resultType, Checker.unified(expected, result.type) == nil {
        report(.typeMismatch, at: arm.result.span, "各档的结果类型应相同：这里是\(result.type)，前面是\(expected)")
        continue
      }
      resultType = resultType ?? result.type
      bands.append(CheckedBand(test: test, result: result, span: arm.span))
    }
    if arms.isEmpty { report(.syntax, at: span, "分档至少要有一档") }
    if let options, !hasOtherwise {
      let missing = options.filter { !covered.contains($0) }
      if !missing.isEmpty {
        report(
          .unknownOption, at: span, "选项“\(missing.joined(separator: "”“"))”没有对应的档",
          notes: ["为每个选项写一档，或加一档“其他 → 分数”"])
      }
    }
    guard bands.count == arms.count, let resultType else { return nil }
    return CheckedExpression(kind: .bands(checkedSubject, bands), type: resultType, span: span)
  }

  private mutating func bandTest(
    _ pattern: BandPattern, options: [String]?, at span: SourceSpan, covered: inout Set<String>
  ) -> BandTest? {
    switch pattern {
    case .otherwise: return .otherwise
    case .option(let option):
      guard let options else {
        report(.typeMismatch, at: span, "数值分档的条件应写成 ≥ 90%、[75%, 90%) 之类，不能是文字“\(option)”")
        return nil
      }
      guard options.contains(option) else {
        var notes = ["可选的有：\(options.joined(separator: "、"))"]
        if let suggestion = NameSuggestion.closest(to: option, among: options) {
          notes.insert("是否指\(suggestion.quotedName)？", at: 0)
        }
        report(.unknownOption, at: span, "“\(option)”不是可选的选项", notes: notes)
        return nil
      }
      if !covered.insert(option).inserted { report(.syntax, at: span, "选项“\(option)”重复出现在两档中") }
      return .option(option)
    case .compare(let operation, let bound):
      guard options == nil else {
        report(.typeMismatch, at: span, "选项分档的每一档应写成带引号的选项名，如 \"按规定公开\" → 1.5")
        return nil
      }
      guard let value = constantNumber(bound) else { return nil }
      switch operation {
      case .greaterEqual: return .interval(Interval(lower: value, lowerClosed: true, upper: nil, upperClosed: false))
      case .greater: return .interval(Interval(lower: value, lowerClosed: false, upper: nil, upperClosed: false))
      case .lessEqual: return .interval(Interval(lower: nil, lowerClosed: false, upper: value, upperClosed: true))
      case .less: return .interval(Interval(lower: nil, lowerClosed: false, upper: value, upperClosed: false))
      case .equal: return .interval(Interval(lower: value, lowerClosed: true, upper: value, upperClosed: true))
      default:
        report(.syntax, at: span, "分档条件不能用“≠”，请写成区间")
        return nil
      }
    case .interval(let lower, let lowerClosed, let upper, let upperClosed):
      guard options == nil else {
        report(.typeMismatch, at: span, "选项分档的每一档应写成带引号的选项名")
        return nil
      }
      guard let low = constantNumber(lower), let high = constantNumber(upper) else { return nil }
      if low > high || (low == high && !(lowerClosed && upperClosed)) {
        report(.badRange, at: span, "区间的下限应小于上限")
        return nil
      }
      return .interval(Interval(lower: low, lowerClosed: lowerClosed, upper: high, upperClosed: upperClosed))
    }
  }

  private mutating func constantNumber(_ expression: Expression) -> ExactDecimal? {
    switch expression.kind {
    case .number(let value, _): return value
    case .negate(let inner): return constantNumber(inner).flatMap { try? $0.negated() }
    default:
      report(.syntax, at: expression.span, "分档的界限应直接写数字，如 90% 或 0.5")
      return nil
    }
  }

  /// “满意度 ≥ 90” compares 93.8% with 9000%: a percentage against a bare number above 1 is almost
  /// always a missing % sign (a bare 1 is fine: 执行率 ≥ 1 means 100%).
  @discardableResult
  private mutating func warnIfPercentLacksSign(_ a: Expression, _ b: Expression, at span: SourceSpan) -> Bool {
    for (rate, number) in [(a, b), (b, a)] {
      guard looksLikePercent(rate), case .number(let value, percent: false) = number.kind, value > .one else {
        continue
      }
      let asPercent = (try? value.multiplied(by: ExactDecimal(100))).map { "\($0)%" } ?? "\(value) 倍"
      report(
        .percentWithoutSign, .warning, at: number.span,
        "“\(source.text(rate.span))”是百分比，却与不带 % 的 \(value) 比较：\(value) 即 \(asPercent)",
        notes: ["是否应写 \(value)%？"])
      return true
    }
    return false
  }

  /// Whether a definition reads as a rate, so that sheets show it as a percentage.
  func looksLikePercent(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .number(_, let percent): return percent
    case .name(let name): return cells.first { $0.name == name }?.isPercent ?? false
    case .binary(.divide, _, _): return true
    case .negate(let inner): return looksLikePercent(inner)
    case .list(let elements): return !elements.isEmpty && elements.allSatisfy(looksLikePercent)
    case .conditional(_, let whenTrue, let whenFalse): return looksLikePercent(whenTrue) && looksLikePercent(whenFalse)
    case .call(let callee, let arguments):
      let keeps: Set<Builtin> = [.cap, .atLeast, .min, .max, .round, .floor, .ceiling, .average, .abs]
      guard let builtin = Builtin.bySpelling[callee.value], keeps.contains(builtin), let first = arguments.first
      else { return false }
      return looksLikePercent(first)
    default: return false
    }
  }
}
