/// The static guarantees `jixiao check` gives about a checked program, before any data:
/// every score stays within its points, no divisor can be zero unguarded, numeric bands cover
/// their value's whole range without overlap, and no input, definition, branch or band is dead.
/// It runs interval arithmetic over the inputs' declared domains, narrowing a value inside a
/// branch by the branch's condition (如果 预算 = 0 则 … 否则 支出 ÷ 预算 is safe).
struct Analyzer {
  let program: Program
  var diagnostics: [Diagnostic] = []
  /// What each cell can be, over the declared domains.
  var cells: [AbstractValue]
  /// Division and band sites already reported, so that shared definitions report once.
  var reported = Set<String>()

  static func analyze(_ program: Program) -> [Diagnostic] {
    var analyzer = Analyzer(program: program)
    analyzer.run()
    return analyzer.diagnostics
  }

  private init(program: Program) {
    self.program = program
    cells = program.cells.map { cell in cell.input.map(AbstractValue.domain) ?? .unknown }
  }

  /// What a branch knows: the narrowed values of cells, and of compound expressions by their
  /// shape, so that 如果 （甲 ＋ 乙）= 0 则 … 否则 … ÷ （甲 ＋ 乙） is seen to be guarded.
  struct Environment {
    var cells: [Int: AbstractValue] = [:]
    var compounds: [String: AbstractValue] = [:]
    /// Expressions known to be ≠ 0, which an interval cannot say of a value that may be negative.
    var nonZero: Set<String> = []
    /// How two numbers compare here, by their keys: after 如果 在职 ≤ 编制 … 否则, 在职 > 编制.
    /// Two intervals cannot say this, and 在职 ÷ 编制 ≥ 1 and 在职 － 编制 > 0 need it.
    var relations: [Relation] = []

    struct Relation {
      var left: String
      var operation: BinaryOperator
      var right: String
    }

    /// How `left` compares with `right`, if a condition said so.
    func relation(_ left: String, _ right: String) -> BinaryOperator? {
      for fact in relations.reversed() {
        if fact.left == left && fact.right == right { return fact.operation }
        if fact.left == right && fact.right == left { return Analyzer.flipped(fact.operation) }
      }
      return nil
    }

    subscript(index: Int) -> AbstractValue? {
      get { cells[index] }
      set { cells[index] = newValue }
    }
  }

  private mutating func run() {
    for index in program.evaluationOrder {
      guard let expression = program.cells[index].expression else { continue }
      let value = analyze(expression, Environment())
      if let spec = program.cells[index].input {
        checkDefault(value, of: index, spec: spec, expression: expression)
      } else {
        cells[index] = value
      }
    }
    for indicator in Analyzer.leaves(of: program.indicators) {
      guard let score = indicator.score else { continue }
      checkBounds(of: indicator, score: analyze(score, Environment()))
      checkChecklistPoints(of: indicator, score: score)
    }
    if let scoring = program.rowScoring {
      var environment = Environment()
      for variable in [scoring.variables.target, scoring.variables.actual, scoring.variables.points] {
        environment[variable] = .number(.nonNegative, integer: false)
      }
      environment[scoring.variables.met] = .anyBoolean
      for name in scoring.methods.keys.sorted() {
        if let method = scoring.methods[name] { _ = analyze(method, environment) }
      }
    }
    reportUnused()
  }

  static func leaves(of indicators: [CheckedIndicator]) -> [CheckedIndicator] {
    indicators.flatMap { $0.children.isEmpty ? [$0] : leaves(of: $0.children) }
  }

  mutating func report(
    _ code: DiagnosticCode, _ severity: Severity = .error, at span: SourceSpan, _ message: String, notes: [String] = []
  ) {
    let key = "\(code.rawValue)@\(span.start.offset)"
    guard reported.insert(key).inserted else { return }
    diagnostics.append(Diagnostic(code, severity, at: span, message, notes: notes))
  }

  func text(_ expression: CheckedExpression) -> String {
    program.source.text(expression.span).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }
      .joined(separator: " ")
  }

  // MARK: Values

  mutating func analyze(_ expression: CheckedExpression, _ environment: Environment) -> AbstractValue {
    switch expression.kind {
    case .constant(let value): return Analyzer.abstract(value)
    case .cell(let index): return environment[index] ?? cells[index]
    case .list(let elements):
      let values = elements.map { analyze($0, environment) }
      guard let first = values.first else { return .unknown }
      return .list(values.dropFirst().reduce(first) { $0.joined($1) }, count: values.count)
    case .negate(let operand):
      return map(analyze(operand, environment)) { $0.negated }
    case .not(let operand):
      guard case .boolean(let canBeTrue, let canBeFalse) = analyze(operand, environment) else { return .anyBoolean }
      return .boolean(canBeTrue: canBeFalse, canBeFalse: canBeTrue)
    case .arithmetic(let operation, let left, let right):
      if let exact = Evaluator.constantValue(expression) {
        return .number(.point(exact), integer: exact.isInteger)
      }
      let l = analyze(left, environment)
      let r = analyze(right, environment)
      if operation == .divide, !environment.nonZero.contains(Analyzer.key(of: right) ?? "") {
        checkDivisor(right, r, in: expression)
      }
      var value = arithmetic(operation, l, r)
      if let a = Analyzer.key(of: left), let b = Analyzer.key(of: right), let relation = environment.relation(a, b) {
        value = Analyzer.related(value, operation, relation, divisor: r)
      }
      return Analyzer.narrowed(value, of: expression, by: environment)
    case .comparison(let operation, let left, let right):
      return compare(operation, analyze(left, environment), analyze(right, environment))
    case .logical(let operation, let left, let right):
      let l = analyze(left, environment)
      // The right side is only evaluated when the left does not decide.
      let rightEnvironment = refine(environment, by: left, being: operation == .and)
      let r = analyze(right, rightEnvironment)
      guard case .boolean(let lt, let lf) = l, case .boolean(let rt, let rf) = r else { return .anyBoolean }
      return operation == .and
        ? .boolean(canBeTrue: lt && rt, canBeFalse: lf || rf) : .boolean(canBeTrue: lt || rt, canBeFalse: lf && rf)
    case .conditional(let condition, let whenTrue, let whenFalse):
      guard case .boolean(let canBeTrue, let canBeFalse) = analyze(condition, environment) else { return .unknown }
      if !canBeTrue || !canBeFalse {
        report(
          .deadBranch, .warning, at: condition.span,
          "条件“\(text(condition))”在声明的取值范围内总是\(canBeTrue ? "成立" : "不成立")，“\(canBeTrue ? "否则" : "则")”分支永远不会执行")
      }
      var result: AbstractValue?
      if canBeTrue { result = analyze(whenTrue, refine(environment, by: condition, being: true)) }
      if canBeFalse {
        let other = analyze(whenFalse, refine(environment, by: condition, being: false))
        result = result.map { $0.joined(other) } ?? other
      }
      return result ?? .unknown
    case .builtin(let builtin, let arguments):
      let value = call(builtin, arguments.map { analyze($0, environment) }, arguments)
      return Analyzer.narrowed(value, of: expression, by: environment)
    case .bands(let subject, let bands):
      return analyzeBands(subject, bands, in: expression, environment)
    case .checklist(let items):
      var total = Interval.point(.zero)
      for item in items {
        let condition = analyze(item.condition, environment)
        let points = analyze(item.points, refine(environment, by: item.condition, being: true)).interval ?? .everything
        guard case .boolean(let canBeTrue, let canBeFalse) = condition else {
          total = total + points.hull(.point(.zero))
          continue
        }
        if !canBeTrue {
          report(.deadBranch, .warning, at: item.span, "清单中这一项的条件“\(text(item.condition))”永远不成立，它的分值不会计入")
        }
        let possible = canBeTrue ? (canBeFalse ? points.hull(.point(.zero)) : points) : Interval.point(.zero)
        total = total + possible
      }
      return .number(total, integer: false)
    }
  }

  static func abstract(_ value: Value) -> AbstractValue {
    switch value {
    case .number(let number): .number(.point(number), integer: number.isInteger)
    case .boolean(let truth): .boolean(canBeTrue: truth, canBeFalse: !truth)
    case .text(let text): .text(text)
    case .date(let date): .number(.point(ExactDecimal(date.dayNumber)), integer: true)
    case .list(let values):
      values.isEmpty
        ? .unknown
        : .list(values.map(abstract).dropFirst().reduce(abstract(values[0])) { $0.joined($1) }, count: values.count)
    }
  }

  private func map(_ value: AbstractValue, _ transform: (Interval) -> Interval) -> AbstractValue {
    switch value {
    case .number(let interval, _): .number(transform(interval), integer: false)
    case .list(let element, let count): .list(map(element, transform), count: count)
    default: .unknown
    }
  }

  private func arithmetic(_ operation: BinaryOperator, _ l: AbstractValue, _ r: AbstractValue) -> AbstractValue {
    guard let a = l.interval, let b = r.interval else { return .unknown }
    let result: Interval
    switch operation {
    case .add: result = a + b
    case .subtract: result = a - b
    case .multiply: result = a * b
    // A divisor that may be 0 is reported on its own; the quotient is judged where it is defined.
    default: result = a / b.excludingZeroEnd
    }
    let integer = l.isInteger && r.isInteger && operation != .divide
    if case .list(_, let count) = l { return .list(.number(result, integer: integer), count: count) }
    if case .list(_, let count) = r { return .list(.number(result, integer: integer), count: count) }
    return .number(result, integer: integer)
  }

  private func compare(_ operation: BinaryOperator, _ l: AbstractValue, _ r: AbstractValue) -> AbstractValue {
    switch (l, r) {
    case (.number(let a, _), .number(let b, _)):
      let always: Bool
      let never: Bool
      switch operation {
      case .less: (always, never) = (a.isEntirelyBelow(b), b.isEntirelyBelow(a) || b.touchesFromBelow(a))
      case .lessEqual: (always, never) = (a.isEntirelyBelow(b) || a.touchesFromBelow(b), b.isEntirelyBelow(a))
      case .greater: (always, never) = (b.isEntirelyBelow(a), a.isEntirelyBelow(b) || a.touchesFromBelow(b))
      case .greaterEqual: (always, never) = (b.isEntirelyBelow(a) || b.touchesFromBelow(a), a.isEntirelyBelow(b))
      case .equal: (always, never) = (a.isSinglePoint && a == b, a.intersection(b).isEmpty)
      default: (always, never) = (a.intersection(b).isEmpty, a.isSinglePoint && a == b)
      }
      return .boolean(canBeTrue: !never, canBeFalse: !always)
    case (.choice(let options), .text(let option)), (.text(let option), .choice(let options)):
      let equal = operation == .equal
      let can = options.contains(option)
      let must = options == [option]
      return .boolean(canBeTrue: equal ? can : !must, canBeFalse: equal ? !must : can)
    default: return .anyBoolean
    }
  }

  private func call(_ builtin: Builtin, _ values: [AbstractValue], _ arguments: [CheckedExpression]) -> AbstractValue {
    let intervals = values.map { $0.interval ?? .everything }
    // Caps, floors, minima, maxima and absolute values of whole numbers are whole numbers.
    let integer = builtin != .average && builtin != .round && values.allSatisfy(\.isInteger)
    func keepShape(_ interval: Interval) -> AbstractValue {
      if case .list(_, let count)? = values.first { return .list(.number(interval, integer: integer), count: count) }
      return .number(interval, integer: integer)
    }
    switch builtin {
    case .cap, .atLeast:
      guard intervals.count == 2 else { return .unknown }
      let (x, bound) = (intervals[0], intervals[1])
      if builtin == .cap {
        return keepShape(
          Interval(
            from: Interval.lowest([x.lowerEnd, bound.lowerEnd]), to: Interval.lowest([x.upperEnd, bound.upperEnd])))
      }
      return keepShape(
        Interval(
          from: Interval.highest([x.lowerEnd, bound.lowerEnd]), to: Interval.highest([x.upperEnd, bound.upperEnd])))
    case .min, .max:
      let parts = intervals
      guard let first = parts.first else { return .unknown }
      let pick = builtin == .min ? Interval.lowest : Interval.highest
      let low = pick(parts.map(\.lowerEnd))
      let high = pick(parts.map(\.upperEnd))
      _ = first
      return .number(Interval(from: low, to: high), integer: false)
    case .round:
      guard let x = intervals.first, case .constant(.number(let places))? = arguments.last?.kind,
        let digits = Int(places.description)
      else { return .unknown }
      return keepShape(x.mapEnds { $0.rounded(places: digits) }.closedEnds)
    case .floor, .ceiling:
      // Both are monotone, so the ends map to the ends; an end that would overflow is dropped.
      guard let x = intervals.first else { return .unknown }
      var digits = 0
      if arguments.count == 2 {
        guard case .constant(.number(let places)) = arguments[1].kind, let given = Int(places.description) else {
          return .unknown
        }
        digits = given
      }
      let upward = builtin == .ceiling
      let low = x.lower.flatMap { try? $0.roundedToward(upward: upward, places: digits) }
      let high = x.upper.flatMap { try? $0.roundedToward(upward: upward, places: digits) }
      let moved = Interval(lower: low, lowerClosed: low != nil, upper: high, upperClosed: high != nil)
      let whole = digits == 0 || values.allSatisfy(\.isInteger)
      if case .list(_, let count)? = values.first { return .list(.number(moved, integer: whole), count: count) }
      return .number(moved, integer: whole)
    case .sum:
      guard case .list(let element, let count)? = values.first, let interval = element.interval else { return .unknown }
      return .number(
        (0..<count).reduce(Interval.point(.zero)) { total, _ in total + interval }, integer: element.isInteger)
    case .average:
      guard case .list(let element, _)? = values.first, let interval = element.interval else { return .unknown }
      return .number(interval, integer: false)
    case .days:
      // From 甲 to 乙 is 乙 − 甲 in day numbers.
      guard intervals.count == 2 else { return .unknown }
      return .number(intervals[1] - intervals[0], integer: true)
    case .abs:
      guard let x = intervals.first else { return .unknown }
      if let low = x.lower, !low.isNegative { return keepShape(x) }
      if let high = x.upper, high.isNegative || high.isZero { return keepShape(x.negated) }
      let high = Interval.highest([x.negated.upperEnd, x.upperEnd])
      return keepShape(Interval(from: .finite(.zero, closed: true), to: high))
    }
  }

  // MARK: Narrowing by conditions

  /// The environment inside a branch where `condition` is `truth`.
  func refine(_ environment: Environment, by condition: CheckedExpression, being truth: Bool) -> Environment {
    var result = environment
    switch condition.kind {
    case .not(let operand): return refine(environment, by: operand, being: !truth)
    case .logical(.and, let left, let right) where truth,
      .logical(.or, let left, let right) where !truth:
      return refine(refine(environment, by: left, being: truth), by: right, being: truth)
    case .cell(let index):
      result[index] = .boolean(canBeTrue: truth, canBeFalse: !truth)
    case .comparison(let operation, let left, let right):
      let operation = truth ? operation : Analyzer.negation(of: operation)
      let l = environment.valueOf(left, cells)
      let r = environment.valueOf(right, cells)
      if case .cell(let index) = left.kind, let bound = r {
        result[index] = narrowed(l, operation, bound, flipped: false)
      }
      if case .cell(let index) = right.kind, let bound = l {
        result[index] = narrowed(r, operation, bound, flipped: true)
      }
      if left.type == .number, right.type == .number, operation != .notEqual,
        let a = Analyzer.key(of: left), let b = Analyzer.key(of: right)
      {
        result.relations.append(Environment.Relation(left: a, operation: operation, right: b))
      }
      for (side, other) in [(left, right), (right, left)] where operation == .notEqual {
        if case .constant(.number(let zero)) = other.kind, zero.isZero, let key = Analyzer.key(of: side) {
          result.nonZero.insert(key)
        }
      }
      for (side, bound, flipped) in [(left, r, false), (right, l, true)] {
        guard let shape = Analyzer.shape(of: side), let bound else { continue }
        var quiet = self  // its findings were reported where the condition itself was analyzed
        result.compounds[shape] = narrowed(quiet.analyze(side, environment), operation, bound, flipped: flipped)
      }
    default: break
    }
    return result
  }

  /// A cell or compound expression by structure: what a guard can say something about.
  static func key(of expression: CheckedExpression) -> String? {
    if case .cell(let index) = expression.kind { return "#\(index)" }
    return shape(of: expression)
  }

  /// A compound value as a guard around it narrowed it (如果 求和（权重）= 0 则 … 否则 …).
  static func narrowed(_ value: AbstractValue, of expression: CheckedExpression, by environment: Environment)
    -> AbstractValue
  {
    guard let known = shape(of: expression).flatMap({ environment.compounds[$0] }),
      case .number(let a, let integer) = value, case .number(let b, _) = known
    else { return value }
    return .number(a.intersection(b), integer: integer)
  }

  /// A compound expression (arithmetic or a function call) written out by structure, whatever its
  /// spacing or brackets.
  static func shape(of expression: CheckedExpression) -> String? {
    func part(_ e: CheckedExpression) -> String? {
      switch e.kind {
      case .cell(let index): return "#\(index)"
      case .constant(.number(let value)): return value.description
      case .negate(let operand): return part(operand).map { "(- \($0))" }
      case .arithmetic(let operation, let l, let r):
        guard let a = part(l), let b = part(r) else { return nil }
        return "(\(operation.rawValue) \(a) \(b))"
      case .builtin(let builtin, let arguments):
        let parts = arguments.compactMap(part)
        guard parts.count == arguments.count else { return nil }
        return "(\(builtin.rawValue) \(parts.joined(separator: " ")))"
      default: return nil
      }
    }
    switch expression.kind {
    case .arithmetic, .builtin: return part(expression)
    default: return nil
    }
  }

  /// `b operation a` for `a flipped(operation) b`.
  static func flipped(_ operation: BinaryOperator) -> BinaryOperator {
    switch operation {
    case .less: .greater
    case .lessEqual: .greaterEqual
    case .greater: .less
    case .greaterEqual: .lessEqual
    default: operation
    }
  }

  /// a － b and a ÷ b narrowed by how a compares with b. A quotient only for a divisor that
  /// cannot be negative (a zero divisor is E045's), and with closed ends: a > b gives a ÷ b ≥ 1,
  /// as the 18-digit rounding of a quotient just above 1 may be 1 itself.
  static func related(
    _ value: AbstractValue, _ operation: BinaryOperator, _ relation: BinaryOperator, divisor: AbstractValue
  )
    -> AbstractValue
  {
    guard case .number(let interval, let integer) = value else { return value }
    let pivot: Interval.End
    switch operation {
    case .subtract: pivot = .finite(.zero, closed: true)
    case .divide:
      guard let low = divisor.interval?.lower, !low.isNegative else { return value }
      pivot = .finite(.one, closed: true)
    default: return value
    }
    let strict = operation == .subtract
    let limit: Interval
    switch relation {
    case .greater: limit = Interval(from: strict ? pivot.asOpen : pivot, to: .infinite(negative: false))
    case .greaterEqual: limit = Interval(from: pivot, to: .infinite(negative: false))
    case .less: limit = Interval(from: .infinite(negative: true), to: strict ? pivot.asOpen : pivot)
    case .lessEqual: limit = Interval(from: .infinite(negative: true), to: pivot)
    case .equal: limit = Interval(from: pivot, to: pivot)
    default: return value
    }
    let narrowed = interval.intersection(limit)
    return .number(integer ? narrowed.tightenedToIntegers : narrowed, integer: integer)
  }

  static func negation(of operation: BinaryOperator) -> BinaryOperator {
    switch operation {
    case .less: .greaterEqual
    case .lessEqual: .greater
    case .greater: .lessEqual
    case .greaterEqual: .less
    case .equal: .notEqual
    default: .equal
    }
  }

  /// `value` narrowed by `value operation other` (or `other operation value` when flipped).
  private func narrowed(_ value: AbstractValue?, _ operation: BinaryOperator, _ other: AbstractValue, flipped: Bool)
    -> AbstractValue?
  {
    guard let value else { return nil }
    if case .choice(let options) = value, case .text(let option) = other {
      if operation == .equal { return .choice(options.intersection([option])) }
      if operation == .notEqual { return .choice(options.subtracting([option])) }
      return value
    }
    guard case .number(let interval, let integer) = value, let bound = other.interval else { return value }
    let operation = flipped ? Analyzer.flipped(operation) : operation
    var limit = Interval.everything
    switch operation {
    case .greaterEqual: limit = Interval(from: bound.lowerEnd.asClosed, to: .infinite(negative: false))
    case .greater: limit = Interval(from: bound.lowerEnd.asOpen, to: .infinite(negative: false))
    case .lessEqual: limit = Interval(from: .infinite(negative: true), to: bound.upperEnd.asClosed)
    case .less: limit = Interval(from: .infinite(negative: true), to: bound.upperEnd.asOpen)
    case .equal: limit = bound.closedEnds
    case .notEqual:
      guard bound.isSinglePoint, let point = bound.lower else { return value }
      var result = interval
      if result.lower == point { result.lowerClosed = false }
      if result.upper == point { result.upperClosed = false }
      return .number(integer ? result.tightenedToIntegers : result, integer: integer)
    default: break
    }
    let result = interval.intersection(limit)
    return .number(integer ? result.tightenedToIntegers : result, integer: integer)
  }
}

extension Interval {
  var isSinglePoint: Bool { lower != nil && lower == upper && lowerClosed && upperClosed }

  var closedEnds: Interval {
    Interval(lower: lower, lowerClosed: lower != nil, upper: upper, upperClosed: upper != nil)
  }

  /// Every value here is below every value of `other`.
  func isEntirelyBelow(_ other: Interval) -> Bool {
    guard let high = upper, let low = other.lower else { return false }
    return high < low || (high == low && !(upperClosed && other.lowerClosed))
  }

  /// The highest value here is the lowest of `other` (they meet at one point).
  func touchesFromBelow(_ other: Interval) -> Bool {
    guard let high = upper, let low = other.lower else { return false }
    return high == low && upperClosed && other.lowerClosed && isSinglePoint
  }
}

extension Interval.End {
  var asClosed: Interval.End {
    if case .finite(let value, _) = self { return .finite(value, closed: true) }
    return self
  }

  var asOpen: Interval.End {
    if case .finite(let value, _) = self { return .finite(value, closed: false) }
    return self
  }
}

extension Analyzer.Environment {
  func valueOf(_ expression: CheckedExpression, _ cells: [AbstractValue]) -> AbstractValue? {
    switch expression.kind {
    case .cell(let index): return self[index] ?? cells[index]
    case .constant(let value): return Analyzer.abstract(value)
    default: return nil
    }
  }
}
