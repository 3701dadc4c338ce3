/// A value given by the data for an input, with where it was written and why.
public struct GivenValue: Sendable {
  public var value: Value
  public var reason: String?
  public var span: SourceSpan
  /// The basis (口径) the report states for the figure, such as “不含政府投资项目 10,639.27 万元”.
  public var basis: String? = nil
}

/// A problem met while computing, kept with the formula where it happened.
struct RuntimeFailure: Error {
  var code: DiagnosticCode
  var message: String
  var span: SourceSpan
  var notes: [String] = []
}

/// What became of a cell for one record.
enum CellResult {
  case value(Value)
  /// Not computable: these inputs are missing.
  case unknown(Set<Int>)
  case failed(RuntimeFailure)
}

/// Runs the plan's formulas against one record. Conditions are lazy: a branch not taken is not
/// computed, so a guarded division by zero never happens and an unneeded input is not missed.
struct Evaluator {
  let program: Program
  private(set) var cells: [CellResult]
  /// Inputs found missing while computing the current formula.
  private var missing: Set<Int> = []
  /// Records the branches, bands and checklist outcomes taken, for `jixiao test --coverage`.
  let coverage: Coverage?
  /// For an input whose 缺省 could not be computed, the inputs that formula lacked.
  private(set) var defaultNeeds: [Int: Set<Int>] = [:]

  /// The decimal places scores are rounded to: a result that 18 digits cannot settle at this
  /// precision is refused (E058).
  let precision: Int
  /// The exact value of each definition (设) made of + − × ÷, for the formulas that use it:
  /// 设 比率 = 实际 ÷ 目标 and then 比率 × 3 is as exact as 实际 ÷ 目标 × 3.
  private var exactCells: [Int: ExactFraction] = [:]

  init(program: Program, given: [Int: GivenValue], coverage: Coverage? = nil, precision: Int? = nil) {
    self.program = program
    self.coverage = coverage
    self.precision = precision ?? program.precision
    cells = Array(repeating: .unknown([]), count: program.cells.count)
    for index in program.evaluationOrder {
      let cell = program.cells[index]
      if let value = given[index]?.value {
        cells[index] = .value(value)
      } else if let expression = cell.expression {
        let definition = cell.input == nil && cell.type == .number ? exactDefinition(index, expression) : nil
        switch definition ?? evaluate(expression) {
        case .success(let value?):
          if let spec = cell.input, let problem = Evaluator.outsideDomain(value, spec) {
            cells[index] = .failed(
              RuntimeFailure(
                code: .valueOutOfRange,
                message: "输入\(cell.name.quotedName)按缺省公式算得 \(value.display(asPercent: cell.isPercent))，\(problem)",
                span: expression.span, notes: ["请直接在数据中填写\(cell.name.quotedName)，或检查缺省公式"]))
          } else {
            cells[index] = .value(value)
          }
        case .success(nil):
          cells[index] = .unknown(missing)
          defaultNeeds[index] = missing
        case .failure(let failure): cells[index] = .failed(failure)
        }
      } else {
        cells[index] = .unknown([index])
      }
    }
  }

  /// The value, nil with the missing inputs when some are missing, or the failure.
  mutating func evaluate(_ expression: CheckedExpression) -> Result<Value?, RuntimeFailure> {
    missing = []
    do throws(RuntimeFailure) {
      return .success(try value(of: expression))
    } catch {
      return .failure(error)
    }
  }

  var missingInputs: Set<Int> { missing }

  private mutating func value(of expression: CheckedExpression) throws(RuntimeFailure) -> Value? {
    switch expression.kind {
    case .constant(let value): return value
    case .cell(let index):
      switch cells[index] {
      case .value(let value): return value
      case .unknown(let inputs):
        missing.formUnion(inputs)
        return nil
      case .failed(let failure): throw failure
      }
    case .list(let elements):
      var values: [Value] = []
      var known = true
      for element in elements {
        if let value = try value(of: element) { values.append(value) } else { known = false }
      }
      return known ? .list(values) : nil
    case .negate(let operand):
      guard let operand = try value(of: operand) else { return nil }
      return try map(operand, at: expression.span) { number throws(RuntimeFailure) in
        try arithmetic(at: expression.span) { () throws(ArithmeticError) in try number.negated() }
      }
    case .not(let operand):
      guard let truth = try value(of: operand)?.boolean else { return nil }
      return .boolean(!truth)
    case .arithmetic(let operation, let left, let right):
      if Evaluator.needsFraction(operation, left, right) {
        switch try exactValue(of: expression) {
        case .missing: return nil
        case .zeroDivisor(let divisor): throw divisionByZero(divisor)
        case .value(let fraction): return .number(try rounded(fraction, of: expression))
        case .unsupported: break  // lists: element by element below
        }
      }
      let l = try value(of: left)
      let r = try value(of: right)
      guard let l, let r else { return nil }
      return try combine(l, r, at: expression.span) { a, b throws(RuntimeFailure) in
        try apply(operation, a, b, in: expression, divisor: right)
      }
    case .comparison(let operation, let left, let right):
      let l = try value(of: left)
      let r = try value(of: right)
      guard let l, let r else { return nil }
      return .boolean(Evaluator.compare(operation, l, r))
    case .logical(let operation, let left, let right):
      // Kleene logic: a known false (且) or true (或) decides even when the other side is unknown.
      let deciding = operation == .or
      let l = try value(of: left)?.boolean
      if l == deciding { return .boolean(deciding) }
      let r = try value(of: right)?.boolean
      if r == deciding { return .boolean(deciding) }
      guard l != nil, r != nil else { return nil }
      return .boolean(!deciding)
    case .conditional(let condition, let whenTrue, let whenFalse):
      guard let truth = try value(of: condition)?.boolean else {
        // Unknown condition: look into both branches only to learn what else is missing.
        _ = try? value(of: whenTrue)
        _ = try? value(of: whenFalse)
        return nil
      }
      coverage?.record(expression.span, truth ? Coverage.thenBranch : Coverage.elseBranch)
      return try value(of: truth ? whenTrue : whenFalse)
    case .builtin(let builtin, let arguments):
      var values: [Value] = []
      for argument in arguments {
        guard let value = try value(of: argument) else { return nil }
        values.append(value)
      }
      return try call(builtin, values, at: expression.span)
    case .bands(let subject, let bands):
      guard let subjectValue = try value(of: subject) else { return nil }
      guard let band = Evaluator.band(for: subjectValue, in: bands) else {
        throw RuntimeFailure(
          code: .noBandMatched,
          message: "“\(program.source.text(subject.span))” = \(display(subjectValue, of: subject)) 不在任何一档中",
          span: expression.span, notes: ["请检查分档是否覆盖了所有可能的取值"])
      }
      coverage?.record(band.span, Coverage.bandTaken)
      if case .number(let number) = subjectValue { coverage?.recordLimitValue(number, at: expression.span) }
      return try value(of: band.result)
    case .checklist(let items):
      var total = ExactDecimal.zero
      var known = true
      for item in items {
        guard let met = try value(of: item.condition)?.boolean else {
          known = false
          continue
        }
        coverage?.record(item.span, met ? Coverage.itemMet : Coverage.itemMissed)
        guard met else { continue }
        guard let points = try value(of: item.points)?.number else {
          known = false
          continue
        }
        total = try arithmetic(at: item.span) { () throws(ArithmeticError) in try total.adding(points) }
      }
      return known ? .number(total) : nil
    }
  }

  /// A definition's value from its exact fraction, which the formulas that use it then get
  /// whole; nil where it is not one number (missing inputs, lists), which `evaluate` then says.
  private mutating func exactDefinition(_ index: Int, _ expression: CheckedExpression) -> Result<
    Value?, RuntimeFailure
  >? {
    missing = []
    do throws(RuntimeFailure) {
      switch try exactValue(of: expression) {
      case .value(let fraction):
        exactCells[index] = fraction
        return .success(.number(try rounded(fraction, of: expression)))
      case .zeroDivisor(let divisor): throw divisionByZero(divisor)
      case .missing, .unsupported: return nil
      }
    } catch {
      return .failure(error)
    }
  }

  /// + − × ÷ as one exact fraction. A definition made of them counts with its exact value, and a
  /// branch whose condition is known with the exact value of the branch taken.
  private mutating func exactValue(of expression: CheckedExpression) throws(RuntimeFailure) -> Exact {
    try Evaluator.exact(of: expression) { (leaf) throws(RuntimeFailure) -> Exact in
      switch leaf.kind {
      case .cell(let index):
        if case .value = cells[index], let fraction = exactCells[index] { return .value(fraction) }
      case .conditional(let condition, let whenTrue, let whenFalse):
        if let truth = try value(of: condition)?.boolean {
          coverage?.record(leaf.span, truth ? Coverage.thenBranch : Coverage.elseBranch)
          return try exactValue(of: truth ? whenTrue : whenFalse)
        }
      default: break
      }
      return switch try value(of: leaf) {
      case nil: .missing
      case .number(let number)?: .value(ExactFraction(number))
      default: .unsupported
      }
    }
  }

  /// Why a value is not one the input declares, if it is not.
  static func outsideDomain(_ value: Value, _ spec: InputSpec) -> String? {
    if case .list(let values) = value { return values.lazy.compactMap { outsideDomain($0, spec) }.first }
    guard case .number(let number) = value else { return nil }
    return spec.problem(with: number)
  }

  static func band(for subject: Value, in bands: [CheckedBand]) -> CheckedBand? {
    bands.first { band in
      switch (band.test, subject) {
      case (.interval(let interval), .number(let number)): interval.contains(number)
      case (.option(let option), .text(let text)): option == text
      case (.otherwise, _): true
      default: false
      }
    }
  }

  func display(_ value: Value, of expression: CheckedExpression) -> String {
    var percent = false
    if case .cell(let index) = expression.kind { percent = program.cells[index].isPercent }
    return value.display(asPercent: percent)
  }

  private func arithmetic<T>(at span: SourceSpan, _ body: () throws(ArithmeticError) -> T) throws(RuntimeFailure) -> T {
    do {
      return try body()
    } catch {
      throw overflow(at: span)
    }
  }

  /// One step of a list's element-by-element arithmetic, which is not exact: rounded at 18 digits.
  private func apply(
    _ operation: BinaryOperator, _ a: ExactDecimal, _ b: ExactDecimal, in expression: CheckedExpression,
    divisor: CheckedExpression
  ) throws(RuntimeFailure) -> ExactDecimal {
    if operation == .divide && b.isZero { throw divisionByZero(divisor) }
    return try arithmetic(at: expression.span) { () throws(ArithmeticError) in
      switch operation {
      case .add: try a.adding(b)
      case .subtract: try a.subtracting(b)
      case .multiply: try a.multiplied(by: b)
      default: try a.divided(by: b)
      }
    }
  }

  /// "三公经费预算数 = 0" for every cell a formula uses, to show the values behind a failure.
  func valuesOfInputs(in expression: CheckedExpression) -> [String] {
    var seen = Set<Int>()
    var lines: [String] = []
    EvaluationPlan.cells(in: expression) { index in
      guard seen.insert(index).inserted, case .value(let value) = cells[index] else { return }
      let cell = program.cells[index]
      lines.append("\(cell.name) = \(value.display(asPercent: cell.isPercent))")
    }
    return lines
  }

  private func map(_ value: Value, at span: SourceSpan, _ body: (ExactDecimal) throws(RuntimeFailure) -> ExactDecimal)
    throws(RuntimeFailure) -> Value
  {
    switch value {
    case .number(let number): return .number(try body(number))
    case .list(let elements):
      var mapped: [Value] = []
      for element in elements { mapped.append(try map(element, at: span, body)) }
      return .list(mapped)
    default: return value
    }
  }

  /// Applies a number operation to two values, element by element where lists are involved.
  private func combine(
    _ a: Value, _ b: Value, at span: SourceSpan,
    _ body: (ExactDecimal, ExactDecimal) throws(RuntimeFailure) -> ExactDecimal
  ) throws(RuntimeFailure) -> Value {
    switch (a, b) {
    case (.number(let x), .number(let y)): return .number(try body(x, y))
    case (.list(let xs), .number): return .list(try zipped(xs, Array(repeating: b, count: xs.count), span, body))
    case (.number, .list(let ys)): return .list(try zipped(Array(repeating: a, count: ys.count), ys, span, body))
    case (.list(let xs), .list(let ys)): return .list(try zipped(xs, ys, span, body))
    default: throw RuntimeFailure(code: .typeMismatch, message: "数值运算的对象不是数值", span: span)
    }
  }

  private func zipped(
    _ xs: [Value], _ ys: [Value], _ span: SourceSpan,
    _ body: (ExactDecimal, ExactDecimal) throws(RuntimeFailure) -> ExactDecimal
  ) throws(RuntimeFailure) -> [Value] {
    var result: [Value] = []
    for (x, y) in zip(xs, ys) { result.append(try combine(x, y, at: span, body)) }
    return result
  }

  static func compare(_ operation: BinaryOperator, _ a: Value, _ b: Value) -> Bool {
    if case .date(let x) = a, case .date(let y) = b {
      return compare(operation, .number(ExactDecimal(x.dayNumber)), .number(ExactDecimal(y.dayNumber)))
    }
    if case .number(let x) = a, case .number(let y) = b {
      switch operation {
      case .less: return x < y
      case .lessEqual: return x <= y
      case .greater: return x > y
      case .greaterEqual: return x >= y
      case .notEqual: return x != y
      default: return x == y
      }
    }
    return operation == .notEqual ? a != b : a == b
  }

  private func call(_ builtin: Builtin, _ values: [Value], at span: SourceSpan) throws(RuntimeFailure) -> Value {
    let numbers = values.compactMap(\.number)
    switch builtin {
    case .cap, .atLeast:
      guard let bound = values.last?.number, let first = values.first else { return values.first ?? .list([]) }
      return try map(first, at: span) { x throws(RuntimeFailure) in builtin == .cap ? min(x, bound) : max(x, bound) }
    case .min, .max:
      var candidates = numbers
      if case .list(let elements)? = values.first, values.count == 1 { candidates = elements.compactMap(\.number) }
      guard let first = candidates.first else { return .number(.zero) }
      return .number(candidates.dropFirst().reduce(first) { builtin == .min ? min($0, $1) : max($0, $1) })
    case .round:
      let places = Int(values.last?.number?.description ?? "") ?? 0
      guard let first = values.first else { return .number(.zero) }
      return try map(first, at: span) { x throws(RuntimeFailure) in x.rounded(places: places) }
    case .floor, .ceiling:
      let places = values.count == 2 ? Int(values[1].number?.description ?? "") ?? 0 : 0
      guard let first = values.first else { return .number(.zero) }
      return try map(first, at: span) { x throws(RuntimeFailure) in
        try arithmetic(at: span) { () throws(ArithmeticError) in
          try x.roundedToward(upward: builtin == .ceiling, places: places)
        }
      }
    case .sum, .average:
      guard case .list(let elements)? = values.first else { return .number(.zero) }
      var total = ExactDecimal.zero
      for element in elements.compactMap(\.number) {
        total = try arithmetic(at: span) { () throws(ArithmeticError) in try total.adding(element) }
      }
      guard builtin == .average, !elements.isEmpty else { return .number(total) }
      return .number(
        try arithmetic(at: span) { () throws(ArithmeticError) in try total.divided(by: ExactDecimal(elements.count)) })
    case .days:
      guard case .date(let from)? = values.first, case .date(let to)? = values.last else { return .number(.zero) }
      return .number(ExactDecimal(to.dayNumber - from.dayNumber))
    case .abs:
      guard let first = values.first else { return .number(.zero) }
      return try map(first, at: span) { x throws(RuntimeFailure) in
        try arithmetic(at: span) { () throws(ArithmeticError) in try x.magnitude() }
      }
    }
  }
}
