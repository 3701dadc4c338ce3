/// Writes out a score's computation for a person: the formula as written, the same formula
/// with every name replaced by its value (only the branch and band actually taken), and the
/// result; the definitions it uses come first.
struct Explainer {
  let program: Program
  var evaluator: Evaluator
  /// Inputs the data gave; the others that have a value came from their 缺省 formula.
  let given: Set<Int>

  mutating func explain(_ expression: CheckedExpression, rounded: ExactDecimal?) -> [String] {
    var lines: [String] = []
    definitions(in: expression, lines: &lines)
    let result: String
    switch evaluator.evaluate(expression) {
    case .success(.number(let raw)?):
      let shownRounded = rounded.map { $0 == raw ? "" : " ≈ \($0)" } ?? ""
      result = Value.shortened(raw, asPercent: false) + shownRounded
    case .success: result = "（缺少数据，无法计算）"
    case .failure(let failure): result = "（无法计算：\(failure.message)）"
    }
    lines.append("得分 = \(written(expression))")
    lines.append("     = \(substituted(expression))")
    lines.append("     = \(result)")
    return lines
  }

  /// “甲 ÷ 乙 = 1 ÷ 20”: the formula as written and with the values in it, on one line.
  mutating func formulaWithValues(_ expression: CheckedExpression) -> String {
    let (shown, values) = (written(expression), substituted(expression))
    return shown == values ? shown : "\(shown) = \(values)"
  }

  /// Definitions (and defaulted inputs) the formula uses, directly or through each other, in the
  /// order they are computed. Found with an explicit stack: a long chain of 设 is no problem.
  private mutating func definitions(in expression: CheckedExpression, lines: inout [String]) {
    var used = Set<Int>()
    var pending: [Int] = []
    EvaluationPlan.cells(in: expression) { pending.append($0) }
    while let index = pending.popLast() {
      guard used.insert(index).inserted, let formula = program.cells[index].expression else { continue }
      EvaluationPlan.cells(in: formula) { pending.append($0) }
    }
    for index in used.sorted() {
      let cell = program.cells[index]
      guard let formula = cell.expression, cell.input == nil || !given.contains(index) else { continue }
      let value: String
      if case .value(let computed) = evaluator.cells[index] {
        value = computed.display(asPercent: cell.isPercent)
      } else {
        value = "？"
      }
      let label = cell.input == nil ? "设 \(cell.name)" : "输入 \(cell.name)（未填，按缺省）"
      var steps = [written(formula), substituted(formula), value]
      steps = steps.enumerated().filter { $0.offset == 0 || $0.element != steps[$0.offset - 1] }.map(\.element)
      lines.append("\(label) = " + steps.joined(separator: " = "))
    }
  }

  /// The formula as written, on one line: arms that stood on lines of their own are joined
  /// with "；", runs of spaces fold into one.
  /// A line of a formula without its trailing comment (# or //, outside quotes).
  static func withoutComment(_ line: Substring) -> Substring {
    var quote: Character?
    var previous: Character?
    for index in line.indices {
      let character = line[index]
      if let open = quote {
        if (open == "\"" && character == "\"") || (open == "“" && character == "”") { quote = nil }
      } else if character == "\"" || character == "“" {
        quote = character
      } else if character == "#" || (character == "/" && previous == "/") {
        return line[..<(character == "#" ? index : line.index(before: index))]
      }
      previous = character
    }
    return line
  }

  private func written(_ expression: CheckedExpression) -> String {
    let lines = program.source.text(expression.span).split(whereSeparator: \.isNewline)
      .map {
        Explainer.withoutComment($0).trimmingCharacters().split(separator: " ", omittingEmptySubsequences: true).joined(
          separator: " ")
      }
      .filter { !$0.isEmpty }
    // A line continues the one before when that one ends mid-expression or the line starts with
    // an operator; otherwise it starts a new arm. A bracket opening a line starts an arm such as
    // (90%, 95%]: a call's bracket is always on its function's line.
    let openEnded = ["{", "（", "(", "[", "，", ",", "＋", "－", "+", "-", "×", "÷", "则", "否则", "且", "或", "；", "→"]
    let continuing = ["＋", "－", "+", "-", "×", "÷", "则", "否则", "且", "或", "}", "）", ")"]
    var result = ""
    for line in lines {
      if !result.isEmpty {
        let joinsArm = !openEnded.contains { result.hasSuffix($0) } && !continuing.contains { line.hasPrefix($0) }
        let tight = ["（", "，"].contains { result.hasSuffix($0) } || line.hasPrefix("）")
        result += joinsArm ? "；" : tight ? "" : " "
      }
      result += line
    }
    return result
  }

  private mutating func valueText(_ expression: CheckedExpression) -> String? {
    guard case .success(let value?) = evaluator.evaluate(expression) else { return nil }
    var percent = false
    if case .cell(let index) = expression.kind { percent = program.cells[index].isPercent }
    return value.display(asPercent: percent)
  }

  private mutating func substituted(_ expression: CheckedExpression) -> String {
    switch expression.kind {
    case .constant: return written(expression)
    case .cell(let index):
      guard case .value(let value) = evaluator.cells[index] else { return "？" }
      return value.display(asPercent: program.cells[index].isPercent)
    case .list(let elements): return "[" + elements.map { substituted($0) }.joined(separator: ", ") + "]"
    case .negate(let operand):
      // A negative value such as a 变动率 of -12.5% reads -（-12.5%）, not --12.5%.
      let shown = grouped(operand, under: 3, strictly: false)
      return "-" + (shown.hasPrefix("-") ? "（\(shown)）" : shown)
    case .not(let operand): return "非 " + grouped(operand, under: 0, strictly: false)
    case .arithmetic(let operation, let left, let right), .comparison(let operation, let left, let right),
      .logical(let operation, let left, let right):
      let precedence = Explainer.precedence(operation)
      let rightNeedsGroup = operation == .subtract || operation == .divide
      return grouped(left, under: precedence, strictly: false) + " \(operation.rawValue) "
        + grouped(right, under: precedence, strictly: rightNeedsGroup)
    case .conditional(let condition, let whenTrue, let whenFalse):
      guard case .success(.boolean(let truth)?) = evaluator.evaluate(condition) else {
        return "（如果 \(substituted(condition)) …）"
      }
      return "（\(written(condition)) 为\(truth ? "是" : "否") ⇒ \(substituted(truth ? whenTrue : whenFalse))）"
    case .builtin(let builtin, let arguments):
      return builtin.spellings[0] + "（" + arguments.map { substituted($0) }.joined(separator: "，") + "）"
    case .bands(let subject, let bands):
      guard case .success(let value?) = evaluator.evaluate(subject), let band = Evaluator.band(for: value, in: bands)
      else { return "分档（\(substituted(subject))）" }
      let percent = isPercent(subject)
      let test: String
      switch band.test {
      case .interval(let interval): test = interval.display(percent: percent)
      case .option(let option): test = "“\(option)”"
      case .otherwise: test = "其他"
      }
      var shown = substituted(subject)
      if case .cell = subject.kind {
      } else {
        shown += " = " + value.display(asPercent: percent)
      }
      return "分档（\(shown) 属于 \(test) → \(substituted(band.result))）"
    case .checklist(let items):
      let parts = items.map { item -> String in
        let met = evaluator.evaluate(item.condition)
        let mark: String
        switch met {
        case .success(.boolean(true)?): mark = "✓"
        case .success(.boolean(false)?): mark = "✗"
        default: mark = "？"
        }
        return "\(mark) \(written(item.condition)) → \(written(item.points))"
      }
      return "清单（" + parts.joined(separator: "，") + "）"
    }
  }

  private func isPercent(_ expression: CheckedExpression) -> Bool {
    switch expression.kind {
    case .cell(let index): program.cells[index].isPercent
    case .arithmetic(.divide, _, _): true
    default: false
    }
  }

  static func precedence(_ operation: BinaryOperator) -> Int {
    switch operation {
    case .or: -1
    case .and: 0
    case .add, .subtract: 2
    case .multiply, .divide: 3
    default: 1
    }
  }

  /// Brackets a part only where the operator around it binds tighter.
  private mutating func grouped(_ expression: CheckedExpression, under outer: Int, strictly: Bool) -> String {
    let inner: Int
    switch expression.kind {
    case .arithmetic(let operation, _, _), .comparison(let operation, _, _), .logical(let operation, _, _):
      inner = Explainer.precedence(operation)
    default: return substituted(expression)
    }
    let needs = strictly ? inner <= outer : inner < outer
    return needs ? "（" + substituted(expression) + "）" : substituted(expression)
  }
}

extension Substring {
  func trimmingCharacters() -> String {
    var scalars = unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
