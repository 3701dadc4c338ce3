/// Formulas into instructions, following `Evaluator` case by case. Each function puts its value
/// in `target` when one is given (a definition's own register, the result of a branch), else
/// where it costs least: a constant or a cell is its own register, read in place.
extension PlanCompiler {
  /// Registers for a value of `count` slots: a list's elements, or a scalar's one.
  mutating func slots(of expression: CheckedExpression, count: Int, into target: Register? = nil)
    throws(Unsupported) -> [Register]
  {
    guard expression.type.length != nil else { return [try scalar(expression, into: target)] }
    let targets = target.map { target in (0..<count).map { target + Register($0) } }
    let values = try elements(of: expression, count: count, into: targets)
    guard let targets else { return values }
    return zip(values, targets).map { value, target in place(value, target) }
  }

  /// `value` in `target` when one is given.
  mutating func place(_ value: Register, _ target: Register?) -> Register {
    guard let target, target != value else { return value }
    emit(.move(target, value))
    return target
  }

  /// A value that is not a list.
  mutating func scalar(_ expression: CheckedExpression, into target: Register? = nil) throws(Unsupported) -> Register {
    guard expression.type.length == nil else { throw Unsupported() }
    switch expression.kind {
    case .constant(let value):
      return place(try constant(of: value), target)
    case .cell(let index):
      return place(cell(index), target)
    case .negate(let operand):
      return unary(Instruction.negate, try scalar(operand), target)
    case .not(let operand):
      return unary(Instruction.not, try scalar(operand), target)
    case .arithmetic(let operation, let left, let right):
      if operation == .multiply || operation == .divide, isPlain(left), isPlain(right) {
        // One × or ÷ of two plain values: their exact result rounded once is the decimal
        // operation's own, so no fraction is needed.
        let (a, b) = (try scalar(left), try scalar(right))
        if operation == .multiply { return product(Instruction.product, left, right, a, b, target) }
        return binary(Instruction.quotient, a, b, target)
      }
      guard Evaluator.needsFraction(operation, left, right) else {
        return binary(Self.decimal(operation), try scalar(left), try scalar(right), target)
      }
      if isDecimal(expression) { return try decimal(expression, into: target) }
      return unary({ .roundFraction($0, of: $1) }, try exact(expression), target)
    case .comparison(let operation, let left, let right):
      let (test, a, b) = try comparison(operation, left, right)
      return binary({ .compare($0, $1, $2, test: test) }, a, b, target)
    case .logical(let operation, let left, let right):
      // Kleene logic needs no care here: an unknown side has already failed.
      let result = try scalar(left, into: target ?? temporary())
      let decided = jump(operation == .or ? .jumpIfNotZero(result, to: 0) : .jumpIfZero(result, to: 0))
      _ = try scalar(right, into: result)
      land(decided)
      return result
    case .conditional(let condition, let whenTrue, let whenFalse):
      return try choice(condition, whenTrue, whenFalse, into: target ?? temporary()) {
        compiler, part, result throws(Unsupported) in
        try compiler.scalar(part, into: result)
      }
    case .builtin(let builtin, let arguments):
      return try call(builtin, arguments, into: target)
    case .list:
      throw Unsupported()
    case .bands(let subject, let bands):
      return try bandsCode(subject, bands, into: target)
    case .checklist(let items):
      return try checklist(items, into: target)
    }
  }

  /// `yes` when the condition holds, else `no`: the other is jumped over. A comparison is tested
  /// by the jump itself.
  mutating func branch(
    on condition: CheckedExpression, _ yes: (inout PlanCompiler) throws(Unsupported) -> Void,
    otherwise no: (inout PlanCompiler) throws(Unsupported) -> Void
  ) throws(Unsupported) {
    let unmet: Int
    if case .comparison(let operation, let left, let right) = condition.kind {
      let (test, a, b) = try comparison(operation, left, right)
      unmet = jump(.jumpUnless(a, b, to: 0, test: test))
    } else {
      unmet = jump(.jumpIfZero(try scalar(condition), to: 0))
    }
    try yes(&self)
    let done = jump(.jump(to: 0))
    land(unmet)
    try no(&self)
    land(done)
  }

  /// 如果 … 则 … 否则 with its value in `result`: each branch compiled by `compile` into it.
  private mutating func choice(
    _ condition: CheckedExpression, _ whenTrue: CheckedExpression, _ whenFalse: CheckedExpression,
    into result: Register,
    _ compile: (inout PlanCompiler, CheckedExpression, Register) throws(Unsupported) -> Register
  ) throws(Unsupported) -> Register {
    try branch(on: condition) { compiler throws(Unsupported) in
      _ = try compile(&compiler, whenTrue, result)
    } otherwise: { compiler throws(Unsupported) in
      _ = try compile(&compiler, whenFalse, result)
    }
    return result
  }

  private mutating func unary(
    _ make: (Register, Register) -> Instruction, _ operand: Register, _ target: Register?
  ) -> Register {
    let result = target ?? temporary()
    emit(make(result, operand))
    return result
  }

  private mutating func binary(
    _ make: (Register, Register, Register) -> Instruction, _ a: Register, _ b: Register, _ target: Register?
  ) -> Register {
    let result = target ?? temporary()
    emit(make(result, a, b))
    return result
  }

  /// `a × b` where a factor may be a whole constant: × 1 is nothing, × k a multiplication of the
  /// units by k, exact, with no division by the scale. Else `multiply`.
  private mutating func product(
    _ multiply: (Register, Register, Register) -> Instruction, _ left: CheckedExpression, _ right: CheckedExpression,
    _ a: Register, _ b: Register, _ target: Register?
  ) -> Register {
    for (factor, other) in [(right, a), (left, b)] {
      guard case .constant(.number(let number)) = factor.kind, factor.type.length == nil, number.isInteger else {
        continue
      }
      let whole = number.units / ExactDecimal.one.units
      return whole == 1 ? place(other, target) : binary(Instruction.multiplyWhole, other, constant(whole), target)
    }
    return binary(multiply, a, b, target)
  }

  private static func decimal(_ operation: BinaryOperator) -> (Register, Register, Register) -> Instruction {
    switch operation {
    case .add: Instruction.add
    case .subtract: Instruction.subtract
    case .multiply: Instruction.multiply
    default: Instruction.divide
    }
  }

  /// Whether the exact value `exact` gives for the expression is its value: not a definition
  /// kept as a fraction, a branch or + − × ÷, which `exact` looks into.
  private func isPlain(_ expression: CheckedExpression) -> Bool {
    switch expression.kind {
    case .constant, .builtin, .bands, .checklist: true
    case .cell(let index): program.cells[index].input != nil || decimalDefinitions.contains(index)
    default: false
    }
  }

  /// Whether the formula's exact value is a decimal: + − × without ÷ or a definition kept as a
  /// fraction. `decimal` then computes it without a fraction.
  func isDecimal(_ expression: CheckedExpression) -> Bool {
    switch expression.kind {
    case .arithmetic(.divide, _, _): false
    case .arithmetic(_, let left, let right): isDecimal(left) && isDecimal(right)
    case .negate(let operand): isDecimal(operand)
    case .conditional(_, let whenTrue, let whenFalse): isDecimal(whenTrue) && isDecimal(whenFalse)
    case .cell(let index):
      program.cells[index].type != .number || program.cells[index].input != nil || decimalDefinitions.contains(index)
    default: true
    }
  }

  /// The exact value of a formula `isDecimal` accepts: a product that needs more than 18 places
  /// fails (the full sheet would round it once).
  mutating func decimal(_ expression: CheckedExpression, into target: Register? = nil) throws(Unsupported)
    -> Register
  {
    switch expression.kind {
    case .arithmetic(let operation, let left, let right):
      let (a, b) = (try decimal(left), try decimal(right))
      return switch operation {
      case .add: binary(Instruction.add, a, b, target)
      case .subtract: binary(Instruction.subtract, a, b, target)
      default: product(Instruction.exactProduct, left, right, a, b, target)
      }
    case .negate(let operand):
      return unary(Instruction.negate, try decimal(operand), target)
    case .conditional(let condition, let whenTrue, let whenFalse):
      return try choice(condition, whenTrue, whenFalse, into: target ?? temporary()) {
        compiler, part, result throws(Unsupported) in
        try compiler.decimal(part, into: result)
      }
    default:
      return try scalar(expression, into: target)
    }
  }

  /// The formula's exact value in a fraction register: + − × ÷ carried as a fraction, a
  /// definition with its own exact value, a branch with the exact value of the branch taken.
  mutating func exact(_ expression: CheckedExpression, into target: Register? = nil) throws(Unsupported)
    -> Register
  {
    func result() -> Register { target ?? fractionTemporary() }
    func placed(_ value: Register) -> Register {
      guard let target, target != value else { return value }
      emit(.fractionMove(target, value))
      return target
    }
    if case .constant(.number(let number)) = expression.kind {
      let constant = fractionTemporary()
      fractionConstants.append((constant, SmallFraction(number)))
      return placed(constant)
    }
    if isDecimal(expression) {
      let value = try decimal(expression)
      let fraction = result()
      emit(.fraction(fraction, of: value))
      return fraction
    }
    switch expression.kind {
    case .negate(let operand):
      let value = try exact(operand)
      let fraction = result()
      emit(.fractionNegate(fraction, value))
      return fraction
    case .arithmetic(let operation, let left, let right):
      let (a, b) = (try exact(left), try exact(right))
      let fraction = result()
      switch operation {
      case .add: emit(.fractionAdd(fraction, a, b))
      case .subtract: emit(.fractionSubtract(fraction, a, b))
      case .multiply: emit(.fractionMultiply(fraction, a, b))
      default: emit(.fractionDivide(fraction, a, b))
      }
      return fraction
    case .cell(let index) where program.cells[index].input == nil && program.cells[index].type == .number:
      return placed(definitionFraction(index))
    case .conditional(let condition, let whenTrue, let whenFalse):
      return try choice(condition, whenTrue, whenFalse, into: result()) { compiler, part, result throws(Unsupported) in
        try compiler.exact(part, into: result)
      }
    default:
      let value = try scalar(expression)
      let fraction = result()
      emit(.fraction(fraction, of: value))
      return fraction
    }
  }

  /// A list's elements, each in its own register (computed into `targets` when given):
  /// arithmetic, negation, branches and the rounding functions go element by element, as
  /// `Evaluator` maps them.
  private mutating func elements(of expression: CheckedExpression, count: Int, into targets: [Register]? = nil)
    throws(Unsupported) -> [Register]
  {
    func target(_ index: Int) -> Register? { targets?[index] }
    guard expression.type.length == count else {
      // A scalar taking part in a list's arithmetic applies to every element.
      return Array(repeating: try scalar(expression), count: count)
    }
    switch expression.kind {
    case .constant(.list(let values)):
      var registers: [Register] = []
      for value in values { registers.append(try constant(of: value)) }
      return registers
    case .cell(let index):
      let base = cell(index)
      return (0..<count).map { base + Register($0) }
    case .list(let values):
      var registers: [Register] = []
      for (index, value) in values.enumerated() { registers.append(try scalar(value, into: target(index))) }
      return registers
    case .negate(let operand):
      return try elements(of: operand, count: count).enumerated().map { unary(Instruction.negate, $1, target($0)) }
    case .arithmetic(let operation, let left, let right):
      let (a, b) = (try elements(of: left, count: count), try elements(of: right, count: count))
      return zip(a, b).enumerated().map { index, operands in
        operation == .multiply
          ? product(Instruction.multiply, left, right, operands.0, operands.1, target(index))
          : binary(Self.decimal(operation), operands.0, operands.1, target(index))
      }
    case .conditional(let condition, let whenTrue, let whenFalse):
      let results = targets ?? (0..<count).map { _ in temporary() }
      try branch(on: condition) { compiler throws(Unsupported) in
        for (result, value) in zip(results, try compiler.elements(of: whenTrue, count: count, into: results)) {
          _ = compiler.place(value, result)
        }
      } otherwise: { compiler throws(Unsupported) in
        for (result, value) in zip(results, try compiler.elements(of: whenFalse, count: count, into: results)) {
          _ = compiler.place(value, result)
        }
      }
      return results
    case .builtin(let builtin, let arguments) where !arguments.isEmpty:
      let values = try elements(of: arguments[0], count: count)
      var rest: [Register] = []
      for argument in arguments.dropFirst() { rest.append(try scalar(argument)) }
      var registers: [Register] = []
      for (index, value) in values.enumerated() {
        registers.append(try apply(builtin, to: value, rest, arguments, into: target(index)))
      }
      return registers
    default:
      throw Unsupported()
    }
  }

  /// The test of a comparison and its operands: > and ≥ are < and ≤ with the operands swapped.
  private mutating func comparison(
    _ operation: BinaryOperator, _ left: CheckedExpression, _ right: CheckedExpression
  ) throws(Unsupported) -> (Comparison, Register, Register) {
    let (a, b) = (try scalar(left), try scalar(right))
    let ordered = [ValueType.number, .date]
    guard ordered.contains(left.type) == ordered.contains(right.type) else { throw Unsupported() }
    // Other values are only equal or not: `Evaluator.compare` reads every other operator as =.
    let operation = ordered.contains(left.type) || operation == .notEqual ? operation : .equal
    return switch operation {
    case .less: (.less, a, b)
    case .lessEqual: (.lessEqual, a, b)
    case .greater: (.less, b, a)
    case .greaterEqual: (.lessEqual, b, a)
    case .notEqual: (.notEqual, a, b)
    default: (.equal, a, b)
    }
  }

  /// A checklist: its conditions in order, then one `checklist` step adding the points of those
  /// that hold; points that are not constants are added each behind a jump.
  private mutating func checklist(_ items: [CheckedChecklistItem], into target: Register?) throws(Unsupported)
    -> Register
  {
    let total = target ?? temporary()
    var constantPoints: [Register?] = []
    for item in items {
      guard case .constant(let points) = item.points.kind else {
        constantPoints.append(nil)
        continue
      }
      constantPoints.append(try constant(of: points))
    }
    guard constantPoints.allSatisfy({ $0 != nil }) else {
      emit(.move(total, constant(0)))
      for item in items {
        let unmet = jump(.jumpIfZero(try scalar(item.condition), to: 0))
        emit(.add(total, total, try scalar(item.points)))
        land(unmet)
      }
      return total
    }
    for (item, points) in zip(items, constantPoints) {
      self.items.append((try scalar(item.condition), points ?? 0))
    }
    itemStarts.append(Int32(self.items.count))
    emit(.checklist(total, items: Int32(itemStarts.count - 2)))
    return total
  }

  /// Bands whose results are all constants are one `lookup`; others are tried one by one.
  private mutating func bandsCode(_ subject: CheckedExpression, _ bands: [CheckedBand], into target: Register?)
    throws(Unsupported) -> Register
  {
    let value = try scalar(subject)
    let isNumber = subject.type == .number
    let result = target ?? temporary()
    /// A band's test as bounds on the subject: an option is the one number it is.
    func test(_ band: CheckedBand) -> Bounds?? {
      switch band.test {
      case .interval(let interval): isNumber ? Bounds(interval) : nil
      case .option(let option): isNumber ? nil : Bounds(exactly: number(of: option))
      case .otherwise: .some(nil)
      }
    }
    if bands.allSatisfy({ if case .constant = $0.result.kind { true } else { false } }) {
      for band in bands {
        guard let bounds = test(band), case .constant(let outcome) = band.result.kind else { continue }
        lookups.append((bounds ?? .everything, try constant(of: outcome)))
      }
      lookupStarts.append(Int32(lookups.count))
      emit(.lookup(result, value, bands: Int32(lookupStarts.count - 2)))
      return result
    }
    var done: [Int] = []
    for band in bands {
      guard let bounds = test(band) else { continue }
      var missed: Int?
      if let bounds {
        self.bounds.append(bounds)
        missed = jump(.jumpUnlessWithin(value, bounds: Int32(self.bounds.count - 1), to: 0))
      }
      _ = try scalar(band.result, into: result)
      done.append(jump(.jump(to: 0)))
      if let missed { land(missed) }
    }
    emit(.fail)  // E043 in the full sheet
    for at in done { land(at) }
    return result
  }

  private mutating func call(_ builtin: Builtin, _ arguments: [CheckedExpression], into target: Register?)
    throws(Unsupported) -> Register
  {
    switch builtin {
    case .min, .max:
      var values: [Register] = []
      if arguments.count == 1 {
        values = try elements(of: arguments[0], count: arguments[0].type.length ?? 1)
      } else {
        for argument in arguments { values.append(try scalar(argument)) }
      }
      guard var result = values.first else { return place(constant(0), target) }
      for (position, value) in values.enumerated().dropFirst() {
        let last = position == values.count - 1
        result = binary(builtin == .min ? Instruction.minimum : Instruction.maximum, result, value, last ? target : nil)
      }
      return place(result, target)
    case .sum, .average:
      guard let list = arguments.first, let count = list.type.length else { throw Unsupported() }
      // From 0, as `Evaluator` adds them: 0 + x is x.
      let values = try elements(of: list, count: count)
      var total = values.first ?? constant(0)
      for (position, value) in values.enumerated().dropFirst() {
        let last = position == values.count - 1 && builtin == .sum
        total = binary(Instruction.add, total, value, last ? target : nil)
      }
      guard builtin == .average else { return place(total, target) }
      return binary(Instruction.divide, total, constant(ExactDecimal(count).units), target)
    case .days:
      guard arguments.count == 2 else { throw Unsupported() }
      return binary(Instruction.days, try scalar(arguments[0]), try scalar(arguments[1]), target)
    default:
      guard let first = arguments.first else { throw Unsupported() }
      let value = try scalar(first)
      var rest: [Register] = []
      for argument in arguments.dropFirst() { rest.append(try scalar(argument)) }
      return try apply(builtin, to: value, rest, arguments, into: target)
    }
  }

  /// 封顶, 保底, 四舍五入, 向下取整, 向上取整 and 绝对值 of one number (or one element of a list).
  private mutating func apply(
    _ builtin: Builtin, to value: Register, _ rest: [Register], _ arguments: [CheckedExpression],
    into target: Register?
  ) throws(Unsupported) -> Register {
    /// The places of 四舍五入 and 取整, which the checker requires to be a constant.
    var places: Int32 {
      guard arguments.count == 2, case .constant(.number(let places)) = arguments[1].kind else { return 0 }
      return Int32(places.description) ?? 0
    }
    switch builtin {
    case .cap, .atLeast:
      guard let bound = rest.first else { throw Unsupported() }
      return binary(builtin == .cap ? Instruction.minimum : Instruction.maximum, value, bound, target)
    case .round: return unary({ .round($0, $1, places: places) }, value, target)
    case .floor: return unary({ .floor($0, $1, places: places) }, value, target)
    case .ceiling: return unary({ .ceiling($0, $1, places: places) }, value, target)
    case .abs: return unary(Instruction.absolute, value, target)
    default: throw Unsupported()
    }
  }
}
