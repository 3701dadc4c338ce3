/// A register of the compiled plan's machine: an index into the frame's `Int128` registers (a
/// number's units, 0 or 1 for 是否, a day number, a text's number; see `SlotLayout`) or, for the
/// `fraction…` instructions, into its exact fractions.
typealias Register = Int32

/// One step of the compiled plan: the program of a ruleset is one array of these, run from the
/// first to the last by one loop (`CompiledPlan.execute`), jumps going forward only. Each step
/// does what `Evaluator` does for the same part of a formula; where `Evaluator` would stop with a
/// problem, the step fails and the record goes to `Scorer`.
///
/// An operation and three numbers, x, y and z (registers, places, table positions; a jump's
/// destination is always z), 16 bytes with no payload to unpack: the loop reads the operation and
/// jumps to its case. The compilers build steps with the functions below, named as the operations.
struct Instruction: Sendable, Equatable, CustomStringConvertible {
  enum Operation: UInt8, Sendable {
    /// x = y ∘ z as `ExactDecimal` does it, each step rounded at 18 places.
    case add, subtract, multiply, divide
    /// x = y × z or y ÷ z of two plain values, exact or refused as `Evaluator.rounded` refuses
    /// (E042, E058).
    case product, quotient
    /// x = y × k, k a whole number (not units) in register z: exact, no rounding.
    case multiplyWhole
    /// x = y × z, a product that must be exact (a formula `PlanCompiler.isDecimal` accepts).
    case exactProduct
    /// x = −y, |y|, 非 y.
    case negate, absolute, not
    /// x = 最小 or 最大 of y and z.
    case minimum, maximum
    /// x = 1 if y ∘ z holds, else 0.
    case less, lessEqual, equal, notEqual
    /// 四舍五入, 向下取整, 向上取整 of y at z places into x.
    case round, floor, ceiling
    /// x = 天数 from the date y to the date z.
    case days
    /// x = y.
    case move
    /// A checklist whose points are constants: x = the sum of the points of the items
    /// (`PlanCompiler.items`, run y) whose condition holds.
    case checklist
    /// Bands whose results are constants: x = the result of the first band
    /// (`PlanCompiler.lookups`, run z) that y falls in; none is E043 in the full sheet.
    case lookup
    /// To z; if x is 0; if x is not 0; unless x lies in `bounds[y]`.
    case jump, jumpIfZero, jumpIfNotZero, jumpUnlessWithin
    /// To z unless x ∘ y holds.
    case jumpUnlessLess, jumpUnlessLessEqual, jumpUnlessEqual, jumpUnlessNotEqual
    /// To z if the record gives input x: its default is computed only where it does not.
    case jumpIfGiven
    /// No band matched (E043 in the full sheet).
    case fail
    /// Input x is used here: without it the full sheet names it missing.
    case require
    /// A default x must be a value its input may take (E033 in the full sheet): `checks[y]`.
    case checkDefault
    /// The exact fractions of + − × ÷ (`SmallFraction`): fraction x of the value y; fraction
    /// x = y ∘ z, −y, y; and the one rounding that ends them, value x of fraction y.
    case fraction, fractionAdd, fractionSubtract, fractionMultiply, fractionDivide, fractionNegate, fractionMove
    case roundFraction
    /// Leaf score x of the value y, rounded at the ruleset's precision (not if `scoreExact`: it
    /// already has no more places), refused outside 0…weight z (E041 in the full sheet).
    case score, scoreExact
  }

  var operation: Operation
  var x: Register
  var y: Register
  var z: Register

  init(_ operation: Operation, _ x: Register = 0, _ y: Register = 0, _ z: Register = 0) {
    (self.operation, self.x, self.y, self.z) = (operation, x, y, z)
  }

  var description: String { "\(operation)(\(x), \(y), \(z))" }

  static func add(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.add, x, y, z) }
  static func subtract(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.subtract, x, y, z) }
  static func multiply(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.multiply, x, y, z) }
  static func divide(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.divide, x, y, z) }
  static func product(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.product, x, y, z) }
  static func quotient(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.quotient, x, y, z) }
  static func multiplyWhole(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.multiplyWhole, x, y, z) }
  static func exactProduct(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.exactProduct, x, y, z) }
  static func negate(_ x: Register, _ y: Register) -> Self { Self(.negate, x, y) }
  static func absolute(_ x: Register, _ y: Register) -> Self { Self(.absolute, x, y) }
  static func not(_ x: Register, _ y: Register) -> Self { Self(.not, x, y) }
  static func minimum(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.minimum, x, y, z) }
  static func maximum(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.maximum, x, y, z) }
  static func days(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.days, x, y, z) }
  static func move(_ x: Register, _ y: Register) -> Self { Self(.move, x, y) }
  static func round(_ x: Register, _ y: Register, places: Int32) -> Self { Self(.round, x, y, places) }
  static func floor(_ x: Register, _ y: Register, places: Int32) -> Self { Self(.floor, x, y, places) }
  static func ceiling(_ x: Register, _ y: Register, places: Int32) -> Self { Self(.ceiling, x, y, places) }
  static func checklist(_ total: Register, items: Int32) -> Self { Self(.checklist, total, items) }
  static func lookup(_ result: Register, _ subject: Register, bands: Int32) -> Self {
    Self(.lookup, result, subject, bands)
  }

  static func compare(_ x: Register, _ y: Register, _ z: Register, test: Comparison) -> Self {
    let operation: Operation =
      switch test {
      case .less: .less
      case .lessEqual: .lessEqual
      case .equal: .equal
      case .notEqual: .notEqual
      }
    return Self(operation, x, y, z)
  }

  static func jump(to: Int32) -> Self { Self(.jump, 0, 0, to) }
  static func jumpIfZero(_ x: Register, to: Int32) -> Self { Self(.jumpIfZero, x, 0, to) }
  static func jumpIfNotZero(_ x: Register, to: Int32) -> Self { Self(.jumpIfNotZero, x, 0, to) }
  static func jumpUnlessWithin(_ x: Register, bounds: Int32, to: Int32) -> Self {
    Self(.jumpUnlessWithin, x, bounds, to)
  }
  static func jumpUnless(_ x: Register, _ y: Register, to: Int32, test: Comparison) -> Self {
    let operation: Operation =
      switch test {
      case .less: .jumpUnlessLess
      case .lessEqual: .jumpUnlessLessEqual
      case .equal: .jumpUnlessEqual
      case .notEqual: .jumpUnlessNotEqual
      }
    return Self(operation, x, y, to)
  }
  static func jumpIfGiven(cell: Int32, to: Int32) -> Self { Self(.jumpIfGiven, cell, 0, to) }
  static var fail: Self { Self(.fail) }
  static func require(cell: Int32) -> Self { Self(.require, cell) }
  static func checkDefault(_ x: Register, check: Int32) -> Self { Self(.checkDefault, x, check) }

  static func fraction(_ x: Register, of y: Register) -> Self { Self(.fraction, x, y) }
  static func fractionAdd(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.fractionAdd, x, y, z) }
  static func fractionSubtract(_ x: Register, _ y: Register, _ z: Register) -> Self {
    Self(.fractionSubtract, x, y, z)
  }
  static func fractionMultiply(_ x: Register, _ y: Register, _ z: Register) -> Self {
    Self(.fractionMultiply, x, y, z)
  }
  static func fractionDivide(_ x: Register, _ y: Register, _ z: Register) -> Self { Self(.fractionDivide, x, y, z) }
  static func fractionNegate(_ x: Register, _ y: Register) -> Self { Self(.fractionNegate, x, y) }
  static func fractionMove(_ x: Register, _ y: Register) -> Self { Self(.fractionMove, x, y) }
  static func roundFraction(_ x: Register, of y: Register) -> Self { Self(.roundFraction, x, y) }
  static func score(_ x: Register, of y: Register, weight: Register, exact: Bool) -> Self {
    Self(exact ? .scoreExact : .score, x, y, weight)
  }

  /// Where the instruction jumps, if it does.
  var target: Int32? {
    switch operation {
    case .jump, .jumpIfZero, .jumpIfNotZero, .jumpUnlessWithin, .jumpUnlessLess, .jumpUnlessLessEqual,
      .jumpUnlessEqual, .jumpUnlessNotEqual, .jumpIfGiven:
      z
    default: nil
    }
  }

  /// The same instruction jumping elsewhere.
  func retargeted(_ target: Int32) -> Instruction {
    guard self.target != nil else { return self }
    return Instruction(operation, x, y, target)
  }
}

/// How two values compare: > and ≥ are < and ≤ with the operands swapped.
enum Comparison: Sendable, Equatable {
  case less, lessEqual, equal, notEqual
}

/// What `InputSpec.problem` asks of a number, on its units: within the input's domain, and whole
/// for a count. The plan checks defaults with it, the short way of a table its cells.
struct NumberCheck: Sendable {
  var domain: Bounds
  var whole: Bool

  init(_ spec: InputSpec) {
    domain = Bounds(spec.numberDomain)
    whole = if case .count = spec.kind { true } else { false }
  }

  func accepts(_ units: Int128) -> Bool {
    domain.contains(units) && (!whole || ExactDecimal(units: units).isInteger)
  }
}

/// A band's interval on numbers' units, as the closed interval of the whole units it holds (an
/// open end moved in by one unit), so that a test is two comparisons: a missing end is the end
/// of the range; an empty interval has its least above its greatest.
struct Bounds: Sendable {
  var least: Int128
  var greatest: Int128

  init(_ interval: Interval) {
    least = interval.lower.map { $0.units } ?? .min
    greatest = interval.upper.map { $0.units } ?? .max
    if interval.lower != nil, !interval.lowerClosed {
      let (next, overflow) = least.addingReportingOverflow(1)
      if overflow { (least, greatest) = (.max, .min) } else { least = next }
    }
    if interval.upper != nil, !interval.upperClosed {
      let (previous, overflow) = greatest.subtractingReportingOverflow(1)
      if overflow { (least, greatest) = (.max, .min) } else { greatest = previous }
    }
  }

  static let everything = Bounds(Interval(lower: nil, lowerClosed: true, upper: nil, upperClosed: true))

  /// The one value of an option.
  init(exactly value: Int128) {
    (least, greatest) = (value, value)
  }

  @inline(__always)
  func contains(_ value: Int128) -> Bool {
    value >= least && value <= greatest
  }
}
