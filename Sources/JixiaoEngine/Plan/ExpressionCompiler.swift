/// Turns checked formulas into closures, following `Evaluator` case by case: conditions are lazy,
/// a formula's + − × ÷ are one exact fraction rounded once, a list's arithmetic goes element by
/// element (a list compiles to one closure per element). Where `Evaluator` would stop with a
/// problem, or would find an input missing, the closures bail.
struct ExpressionCompiler {
  /// What the compiled form does not cover: the plan is then not compiled at all.
  struct Unsupported: Error {}

  let program: Program
  let layout: SlotLayout
  private var texts: [String: Int128]

  init(program: Program, layout: SlotLayout) {
    self.program = program
    self.layout = layout
    texts = layout.texts
  }

  /// A text's number; a text no option has gets a number of its own.
  private mutating func number(of text: String) -> Int128 {
    if let known = texts[text] { return known }
    texts[text] = Int128(texts.count)
    return Int128(texts.count - 1)
  }

  private mutating func constant(_ value: Value) throws(Unsupported) -> Int128 {
    if case .text(let text) = value { return number(of: text) }
    guard let slot = layout.slot(of: value) else { throw Unsupported() }
    return slot
  }

  /// `count` closures for a value of that many slots: a list's elements, or a scalar's one.
  mutating func slots(of expression: CheckedExpression, count: Int) throws(Unsupported) -> [Code] {
    expression.type.length == nil ? [try scalar(expression)] : try elements(of: expression, count: count)
  }

  /// A value that is not a list.
  mutating func scalar(_ expression: CheckedExpression) throws(Unsupported) -> Code {
    guard expression.type.length == nil else { throw Unsupported() }
    switch expression.kind {
    case .constant(let value):
      return Self.constant(try constant(value))
    case .cell(let index):
      return Self.load(cell: index, slot: layout.base[index])
    case .negate(let operand):
      return Self.negation(try scalar(operand))
    case .not(let operand):
      let truth = try scalar(operand)
      return Code { frame throws(Bail) in try truth(&frame) == 0 ? 1 : 0 }
    case .arithmetic(let operation, let left, let right):
      if operation == .multiply || operation == .divide, isPlain(left), isPlain(right) {
        // One × or ÷ of two plain values: their exact result rounded once is the decimal
        // operation's own, so no fraction is needed.
        let precision = program.precision
        return Self.binary(try operand(left), try operand(right)) { a, b throws(Bail) in
          let (x, y) = (ExactDecimal(units: a), ExactDecimal(units: b))
          guard let (value, exact) = try? (operation == .multiply ? x.product(y) : x.quotient(y)),
            exact || value.fractionDigitsUsed > precision + 1
          else { throw Bail() }
          return value.units
        }
      }
      if Evaluator.needsFraction(operation, left, right) { return roundedOnce(try exact(expression)) }
      return Self.binary(try operand(left), try operand(right)) { a, b throws(Bail) in try Self.apply(operation, a, b) }
    case .comparison(let operation, let left, let right):
      return try comparison(operation, left, right)
    case .logical(let operation, let left, let right):
      let (a, b) = (try scalar(left), try scalar(right))
      // Kleene logic needs no care here: an unknown side has already bailed.
      if operation == .or { return Code { frame throws(Bail) in try a(&frame) != 0 ? 1 : try b(&frame) } }
      return Code { frame throws(Bail) in try a(&frame) == 0 ? 0 : try b(&frame) }
    case .conditional(let condition, let whenTrue, let whenFalse):
      return Self.choice(try scalar(condition), try operand(whenTrue), try operand(whenFalse))
    case .builtin(let builtin, let arguments):
      return try call(builtin, arguments)
    case .list:
      throw Unsupported()
    case .bands(let subject, let bands):
      return try bandsCode(subject, bands)
    case .checklist(let items):
      var met: [Code] = []
      for item in items {
        met.append(Self.choice(try scalar(item.condition), try operand(item.points), .constant(0)))
      }
      return Self.accumulated(Self.constant(0), met) { a, b throws(Bail) in try Self.apply(.add, a, b) }
    }
  }

  /// Whether the exact value `exact` gives for the expression is its value: not a definition
  /// (whose formulas use its unrounded value), a branch or + − × ÷, which `exact` looks into.
  private func isPlain(_ expression: CheckedExpression) -> Bool {
    switch expression.kind {
    case .constant, .builtin, .bands, .checklist: true
    case .cell(let index): program.cells[index].input != nil
    default: false
    }
  }

  /// The formula's exact value: + − × ÷ carried as a fraction, a definition with its own exact
  /// value, a branch whose condition is known with the exact value of the branch taken.
  mutating func exact(_ expression: CheckedExpression) throws(Unsupported) -> ExactCode {
    switch expression.kind {
    case .negate(let operand):
      let value = try exact(operand)
      return ExactCode { frame throws(Bail) in try value(&frame).negated }
    case .arithmetic(let operation, let left, let right):
      let (a, b) = (try exact(left), try exact(right))
      return ExactCode { frame throws(Bail) in
        let x = try a(&frame)
        let y = try b(&frame)
        let result: SmallFraction? =
          switch operation {
          case .add: x.adding(y)
          case .subtract: x.adding(y.negated)
          case .multiply: x.multiplied(by: y)
          default: y.isZero ? nil : x.divided(by: y)
          }
        guard let result else { throw Bail() }
        return result
      }
    case .constant(.number(let number)):
      let fraction = SmallFraction(number)
      return ExactCode { _ in fraction }
    case .cell(let index) where program.cells[index].input == nil && program.cells[index].type == .number:
      return ExactCode { frame throws(Bail) in
        guard frame.known[index] else { throw Bail() }
        return frame.fractions[index]
      }
    case .conditional(let condition, let whenTrue, let whenFalse):
      let (truth, yes, no) = (try scalar(condition), try exact(whenTrue), try exact(whenFalse))
      return ExactCode { frame throws(Bail) in try truth(&frame) != 0 ? try yes(&frame) : try no(&frame) }
    case .cell(let index) where expression.type == .number:
      let slot = layout.base[index]
      return ExactCode { frame throws(Bail) in
        guard frame.known[index] else { throw Bail() }
        return SmallFraction(ExactDecimal(units: frame.slots[slot]))
      }
    default:
      let value = try scalar(expression)
      return ExactCode { frame throws(Bail) in SmallFraction(ExactDecimal(units: try value(&frame))) }
    }
  }

  /// The one rounding of a formula's exact value, to 18 digits; where `Evaluator.rounded` refuses
  /// (E042, E058), the record bails.
  func roundedOnce(_ exact: ExactCode) -> Code {
    let precision = program.precision
    return Code { frame throws(Bail) in
      guard let (value, isExact) = try exact(&frame).rounded(), isExact || value.fractionDigitsUsed > precision + 1
      else { throw Bail() }
      return value.units
    }
  }

  /// A list's elements, each its own closure: arithmetic, negation, branches and the rounding
  /// functions go element by element, as `Evaluator` maps them.
  private mutating func elements(of expression: CheckedExpression, count: Int) throws(Unsupported) -> [Code] {
    guard expression.type.length == count else {
      // A scalar taking part in a list's arithmetic applies to every element.
      let value = try scalar(expression)
      return Array(repeating: value, count: count)
    }
    switch expression.kind {
    case .constant(.list(let values)):
      var codes: [Code] = []
      for value in values { codes.append(Self.constant(try constant(value))) }
      return codes
    case .cell(let index):
      return (0..<count).map { Self.load(cell: index, slot: layout.base[index] + $0) }
    case .list(let values):
      var codes: [Code] = []
      for value in values { codes.append(try scalar(value)) }
      return codes
    case .negate(let operand):
      return try elements(of: operand, count: count).map(Self.negation)
    case .arithmetic(let operation, let left, let right):
      let (a, b) = (try elements(of: left, count: count), try elements(of: right, count: count))
      return zip(a, b).map { Self.arithmetic(operation, $0, $1) }
    case .conditional(let condition, let whenTrue, let whenFalse):
      let truth = try scalar(condition)
      let (yes, no) = (try elements(of: whenTrue, count: count), try elements(of: whenFalse, count: count))
      return zip(yes, no).map { Self.choice(truth, .code($0), .code($1)) }
    case .builtin(let builtin, let arguments) where !arguments.isEmpty:
      var rest: [Code] = []
      for argument in arguments.dropFirst() { rest.append(try scalar(argument)) }
      var codes: [Code] = []
      for value in try elements(of: arguments[0], count: count) {
        codes.append(try apply(builtin, to: value, rest, arguments))
      }
      return codes
    default:
      throw Unsupported()
    }
  }

  private mutating func comparison(_ operation: BinaryOperator, _ left: CheckedExpression, _ right: CheckedExpression)
    throws(Unsupported) -> Code
  {
    let (a, b) = (try operand(left), try operand(right))
    let ordered = [ValueType.number, .date]
    guard ordered.contains(left.type) == ordered.contains(right.type) else { throw Unsupported() }
    // Other values are only equal or not: `Evaluator.compare` reads every other operator as =.
    let operation = ordered.contains(left.type) || operation == .notEqual ? operation : .equal
    let test: @Sendable (Int128, Int128) -> Int128 =
      switch operation {
      case .less: { $0 < $1 ? 1 : 0 }
      case .lessEqual: { $0 <= $1 ? 1 : 0 }
      case .greater: { $0 > $1 ? 1 : 0 }
      case .greaterEqual: { $0 >= $1 ? 1 : 0 }
      case .notEqual: { $0 != $1 ? 1 : 0 }
      default: { $0 == $1 ? 1 : 0 }
      }
    return Self.binary(a, b, test)
  }

  private mutating func bandsCode(_ subject: CheckedExpression, _ bands: [CheckedBand]) throws(Unsupported) -> Code {
    enum Test {
      case interval(Interval), option(Int128), always, never
    }
    let value = try scalar(subject)
    let isNumber = subject.type == .number
    var compiled: [(Test, Code)] = []
    for band in bands {
      let test: Test =
        switch band.test {
        case .interval(let interval): isNumber ? .interval(interval) : .never
        case .option(let option): isNumber ? .never : .option(number(of: option))
        case .otherwise: .always
        }
      compiled.append((test, try scalar(band.result)))
    }
    let matches = compiled.map { test, result in
      Match { subject, frame throws(Bail) in
        switch test {
        case .interval(let interval) where interval.contains(ExactDecimal(units: subject)): try result(&frame)
        case .option(let option) where option == subject: try result(&frame)
        case .always: try result(&frame)
        default: nil
        }
      }
    }
    let first = Self.firstMatch(matches[...])
    return Code { frame throws(Bail) in
      guard let result = try first.run(try value(&frame), &frame) else { throw Bail() }  // E043 in the full sheet
      return result
    }
  }

  private mutating func call(_ builtin: Builtin, _ arguments: [CheckedExpression]) throws(Unsupported) -> Code {
    switch builtin {
    case .min, .max:
      var values: [Code] = []
      if arguments.count == 1 {
        values = try elements(of: arguments[0], count: arguments[0].type.length ?? 1)
      } else {
        for argument in arguments { values.append(try scalar(argument)) }
      }
      let isMin = builtin == .min
      guard let first = values.first else { return Self.constant(0) }
      return Self.accumulated(first, Array(values.dropFirst())) { a, b in isMin ? Swift.min(a, b) : Swift.max(a, b) }
    case .sum, .average:
      guard let list = arguments.first, let count = list.type.length else { throw Unsupported() }
      let values = try elements(of: list, count: count)
      let total = Self.accumulated(Self.constant(0), values) { a, b throws(Bail) in try Self.apply(.add, a, b) }
      guard builtin == .average else { return total }
      return Code { frame throws(Bail) in try Self.apply(.divide, try total(&frame), ExactDecimal(count).units) }
    case .days:
      guard arguments.count == 2 else { throw Unsupported() }
      let (from, to) = (try scalar(arguments[0]), try scalar(arguments[1]))
      return Code { frame throws(Bail) in
        let start = try from(&frame)
        return ExactDecimal(Int(try to(&frame) - start)).units
      }
    default:
      guard let first = arguments.first else { throw Unsupported() }
      var rest: [Code] = []
      for argument in arguments.dropFirst() { rest.append(try scalar(argument)) }
      return try apply(builtin, to: try scalar(first), rest, arguments)
    }
  }

  /// 封顶, 保底, 四舍五入, 向下取整, 向上取整 and 绝对值 of one number (or one element of a list).
  private func apply(_ builtin: Builtin, to value: Code, _ rest: [Code], _ arguments: [CheckedExpression])
    throws(Unsupported) -> Code
  {
    /// The places of 四舍五入 and 取整, which the checker requires to be a constant.
    func places() -> Int {
      guard arguments.count == 2, case .constant(.number(let places)) = arguments[1].kind else { return 0 }
      return Int(places.description) ?? 0
    }
    switch builtin {
    case .cap, .atLeast:
      guard let bound = rest.first else { throw Unsupported() }
      let isCap = builtin == .cap
      return Code { frame throws(Bail) in
        let x = try value(&frame)
        let limit = try bound(&frame)
        return isCap ? Swift.min(x, limit) : Swift.max(x, limit)
      }
    case .round:
      let places = places()
      return Code { frame throws(Bail) in ExactDecimal(units: try value(&frame)).rounded(places: places).units }
    case .floor, .ceiling:
      let (places, upward) = (places(), builtin == .ceiling)
      return Code { frame throws(Bail) in
        do {
          return try ExactDecimal(units: try value(&frame)).roundedToward(upward: upward, places: places).units
        } catch {
          throw Bail()
        }
      }
    case .abs:
      return Code { frame throws(Bail) in
        let x = try value(&frame)
        guard x != .min else { throw Bail() }
        return Swift.abs(x)
      }
    default:
      throw Unsupported()
    }
  }

  private mutating func operand(_ expression: CheckedExpression) throws(Unsupported) -> Operand {
    guard expression.type.length == nil else { throw Unsupported() }
    switch expression.kind {
    case .constant(let value): return .constant(try constant(value))
    case .cell(let index): return .cell(index, slot: layout.base[index])
    default: return .code(try scalar(expression))
    }
  }
}
