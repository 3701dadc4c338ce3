/// Turns checked formulas into the compiled plan's instructions, following `Evaluator` case by
/// case: conditions are lazy (a jump over what is not taken), a formula's + − × ÷ are one exact
/// fraction rounded once, a list's arithmetic goes element by element (a list is one register per
/// element). Constants and cells are registers of their own, read in place.
struct PlanCompiler {
  /// What the compiled form does not cover: the plan is then not compiled at all.
  struct Unsupported: Error {}

  let program: Program
  let layout: SlotLayout
  private var texts: [String: Int128]
  private(set) var code: [Instruction] = []
  var bounds: [Bounds] = []
  var checks: [NumberCheck] = []
  /// The bands `lookup` searches and the items `checklist` adds, each run of them ending where
  /// the next begins (`lookupStarts`, `itemStarts`).
  var lookups: [(bounds: Bounds, result: Register)] = []
  var items: [(condition: Register, points: Register)] = []
  var lookupStarts: [Int32] = [0]
  var itemStarts: [Int32] = [0]
  /// Registers: the record's slots first, then one per plan row, the total, the constants and
  /// the temporaries; the fraction registers are numbered apart.
  private(set) var registerCount: Int
  private(set) var fractionCount = 0
  private(set) var constants: [(Register, Int128)] = []
  var fractionConstants: [(Register, SmallFraction)] = []
  private var constantRegisters: [Int128: Register] = [:]
  /// The exact value of each number definition kept as a fraction, by cell.
  var definitionFractions: [Int: Register] = [:]
  /// The number definitions without a fraction: their value is exact in decimals (see `isDecimal`).
  var decimalDefinitions: Set<Int> = []
  /// The definitions whose value is never negative (see `isNonNegative`).
  var nonNegativeDefinitions: Set<Int> = []
  let rowBase: Int
  let totalRegister: Register

  init(program: Program, layout: SlotLayout, rows: Int) {
    self.program = program
    self.layout = layout
    texts = layout.texts
    rowBase = layout.slotCount
    totalRegister = Register(layout.slotCount + rows)
    registerCount = layout.slotCount + rows + 1
  }

  // MARK: Registers and labels

  mutating func temporary() -> Register {
    registerCount += 1
    return Register(registerCount - 1)
  }

  mutating func fractionTemporary() -> Register {
    fractionCount += 1
    return Register(fractionCount - 1)
  }

  mutating func constant(_ value: Int128) -> Register {
    if let known = constantRegisters[value] { return known }
    let register = temporary()
    constantRegisters[value] = register
    constants.append((register, value))
    return register
  }

  mutating func emit(_ instruction: Instruction) { code.append(instruction) }

  /// A jump whose target is not known yet: `land` sets it to the next instruction.
  mutating func jump(_ instruction: Instruction) -> Int {
    code.append(instruction)
    return code.count - 1
  }

  mutating func land(_ jumps: Int...) {
    for at in jumps { code[at] = code[at].retargeted(Int32(code.count)) }
  }

  /// A text's number; a text no option has gets a number of its own.
  mutating func number(of text: String) -> Int128 {
    if let known = texts[text] { return known }
    texts[text] = Int128(texts.count)
    return Int128(texts.count - 1)
  }

  mutating func constant(of value: Value) throws(Unsupported) -> Register {
    if case .text(let text) = value { return constant(number(of: text)) }
    guard let slot = layout.slot(of: value) else { throw Unsupported() }
    return constant(slot)
  }

  /// A cell's registers, once the input is there (definitions and defaults come before their use).
  mutating func cell(_ index: Int) -> Register {
    if program.cells[index].input != nil, program.cells[index].expression == nil { emit(.require(cell: Int32(index))) }
    return Register(layout.base[index])
  }

  // MARK: Cells and scores

  /// A definition's value, or an input's default where the record does not give the input.
  mutating func compute(_ index: Int, _ expression: CheckedExpression) throws(Unsupported) {
    let cell = program.cells[index]
    let base = Register(layout.base[index])
    guard let spec = cell.input else {
      // Definitions come in evaluation order: those a formula uses are known here already.
      if isNonNegative(expression) { nonNegativeDefinitions.insert(index) }
      if cell.type == .number && isDecimal(expression) {
        _ = try decimal(expression, into: base)
        decimalDefinitions.insert(index)
      } else if cell.type == .number {
        // A number definition keeps its exact value for the formulas that use it.
        emit(.roundFraction(base, of: try exact(expression, into: definitionFraction(index))))
      } else {
        _ = try slots(of: expression, count: layout.length[index], into: base)
      }
      return
    }
    let given = jump(.jumpIfGiven(cell: Int32(index), to: 0))
    let check = NumberCheck(spec)
    let values = try slots(of: expression, count: layout.length[index], into: base)
    if !passesAlways(check, expression) {
      checks.append(check)
      for value in values { emit(.checkDefault(value, check: Int32(checks.count - 1))) }
    }
    land(given)
  }

  /// Whether every value the formula can take passes the check, known before any record: the
  /// check asks nothing, or it asks only for numbers not below 0 and the formula is never
  /// negative, or the formula is a constant that passes.
  private func passesAlways(_ check: NumberCheck, _ expression: CheckedExpression) -> Bool {
    let unbounded = check.domain.greatest == .max && !check.whole
    if unbounded && check.domain.least == .min { return true }
    if unbounded && check.domain.least <= 0 && isNonNegative(expression) { return true }
    guard case .constant(let value) = expression.kind, let units = constantUnits(value) else { return false }
    return units.allSatisfy(check.accepts)
  }

  /// Whether the formula's value is never negative by its form alone: constants, inputs whose
  /// domain starts at 0 or above, definitions of such (`nonNegativeDefinitions`), and + × ÷,
  /// 最小, 最大, 封顶, 保底, rounding, 绝对值, 求和, 平均, branches, bands and checklists of such.
  func isNonNegative(_ expression: CheckedExpression) -> Bool {
    func all(_ parts: [CheckedExpression]) -> Bool { parts.allSatisfy(isNonNegative) }
    switch expression.kind {
    case .constant(let value): return constantUnits(value)?.allSatisfy { $0 >= 0 } ?? false
    case .cell(let index):
      if let spec = program.cells[index].input { return Bounds(spec.numberDomain).least >= 0 }
      return nonNegativeDefinitions.contains(index)
    case .arithmetic(let operation, let left, let right): return operation != .subtract && all([left, right])
    case .conditional(_, let whenTrue, let whenFalse): return all([whenTrue, whenFalse])
    case .list(let values): return all(values)
    case .bands(_, let bands): return all(bands.map(\.result))
    case .checklist(let items): return all(items.map(\.points))
    case .builtin(let builtin, let arguments):
      switch builtin {
      case .abs: return true
      case .atLeast, .max: return arguments.contains(where: isNonNegative)
      case .cap, .min: return !arguments.isEmpty && all(arguments)
      case .round, .floor, .ceiling, .sum, .average: return arguments.first.map(isNonNegative) ?? false
      case .days: return false
      }
    default: return false
    }
  }

  /// A constant's numbers in units (one for a scalar), nil for what is not a number.
  private func constantUnits(_ value: Value) -> [Int128]? {
    let values = if case .list(let elements) = value { elements } else { [value] }
    let units = values.compactMap { if case .number(let number) = $0 { number.units } else { nil } }
    return units.count == values.count ? units : nil
  }

  mutating func definitionFraction(_ index: Int) -> Register {
    if let known = definitionFractions[index] { return known }
    let register = fractionTemporary()
    definitionFractions[index] = register
    return register
  }

  /// A leaf's score, checked against its weight. A score the formula alone keeps within 0…weight
  /// and within the precision (bands or a checklist of points, say) is computed in place.
  mutating func score(row: Int, _ expression: CheckedExpression, weight: ExactDecimal) throws(Unsupported) {
    guard expression.type == .number else { throw Unsupported() }
    let exact = (places(of: expression) ?? .max) <= program.precision
    if exact, let (low, high) = range(of: expression), low >= 0, high <= weight.units {
      _ = try scalar(expression, into: Register(rowBase + row))
      return
    }
    let value = try scalar(expression)
    emit(.score(Register(rowBase + row), of: value, weight: constant(weight.units), exact: exact))
  }

  /// A sum of plan rows' scores into `target`, as `Evaluator` adds them from 0 (0 + x is x).
  mutating func sum(rows: [Int], into target: Register) {
    guard let first = rows.first else {
      emit(.move(target, constant(0)))
      return
    }
    var total = Register(rowBase + first)
    for row in rows.dropFirst() {
      emit(.add(target, total, Register(rowBase + row)))
      total = target
    }
    if rows.count == 1 { emit(.move(target, total)) }
  }

  /// The least and greatest value of the formula, in units, when the formula alone says so
  /// (constants, a checklist of points, bands of results, and branches and sums of these).
  private func range(of expression: CheckedExpression) -> (low: Int128, high: Int128)? {
    func union(_ all: [CheckedExpression]) -> (low: Int128, high: Int128)? {
      var result: (low: Int128, high: Int128) = (.max, .min)
      for part in all {
        guard let (low, high) = range(of: part) else { return nil }
        result = (min(result.low, low), max(result.high, high))
      }
      return all.isEmpty ? nil : result
    }
    switch expression.kind {
    case .constant(.number(let number)): return (number.units, number.units)
    case .conditional(_, let whenTrue, let whenFalse): return union([whenTrue, whenFalse])
    case .bands(_, let bands): return union(bands.map(\.result))
    case .checklist(let items):
      // Any subset of the items may hold: from the sum of the negative points to that of the positive.
      var result: (low: Int128, high: Int128) = (0, 0)
      for item in items {
        guard case .constant(.number(let points)) = item.points.kind else { return nil }
        let (low, lowOverflow) = result.low.addingReportingOverflow(min(points.units, 0))
        let (high, highOverflow) = result.high.addingReportingOverflow(max(points.units, 0))
        guard !lowOverflow, !highOverflow else { return nil }
        result = (low, high)
      }
      return result
    case .arithmetic(.add, let left, let right):
      guard let a = range(of: left), let b = range(of: right) else { return nil }
      let (low, lowOverflow) = a.low.addingReportingOverflow(b.low)
      let (high, highOverflow) = a.high.addingReportingOverflow(b.high)
      return lowOverflow || highOverflow ? nil : (low, high)
    default: return nil
    }
  }

  /// The most decimal places the value can have, when the formula alone says so (a checklist's
  /// points, a band's results); nil when it depends on the data.
  private func places(of expression: CheckedExpression) -> Int? {
    func most(_ all: [CheckedExpression]) -> Int? {
      var most = 0
      for part in all {
        guard let places = places(of: part) else { return nil }
        most = max(most, places)
      }
      return most
    }
    switch expression.kind {
    case .constant(.number(let number)): return number.fractionDigitsUsed
    case .negate(let operand): return places(of: operand)
    case .arithmetic(let operation, let left, let right) where operation == .add || operation == .subtract:
      return Evaluator.needsFraction(operation, left, right) ? nil : most([left, right])
    case .conditional(_, let whenTrue, let whenFalse): return most([whenTrue, whenFalse])
    case .checklist(let items): return most(items.map(\.points))
    case .bands(_, let bands): return most(bands.map(\.result))
    case .builtin(.cap, let arguments), .builtin(.atLeast, let arguments), .builtin(.abs, let arguments):
      return most(arguments)
    default: return nil
    }
  }
}
