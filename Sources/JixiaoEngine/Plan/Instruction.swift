/// A register of the compiled plan's machine: an index into the frame's `Int128` registers (a
/// number's units, 0 or 1 for 是否, a day number, a text's number; see `SlotLayout`) or, for the
/// `fraction…` instructions, into its exact fractions.
typealias Register = Int32

/// One step of the compiled plan: the program of a ruleset is one array of these, run from the
/// first to the last by one loop (`CompiledPlan.execute`), jumps going forward only. Each step
/// does what `Evaluator` does for the same part of a formula; where `Evaluator` would stop with a
/// problem, the step fails and the record goes to `Scorer`.
enum Instruction: Sendable, Equatable {
  /// `target = a ∘ b` as `ExactDecimal` does it, each step rounded at 18 places.
  case add(Register, Register, Register)
  case subtract(Register, Register, Register)
  case multiply(Register, Register, Register)
  case divide(Register, Register, Register)
  /// One × or ÷ of two plain values, exact or refused as `Evaluator.rounded` refuses (E042, E058).
  case product(Register, Register, Register)
  case quotient(Register, Register, Register)
  /// `target = a × k`, k a whole number (not units) in its register: exact, no rounding.
  case multiplyWhole(Register, Register, Register)
  /// A product that must be exact (a formula `PlanCompiler.isDecimal` accepts).
  case exactProduct(Register, Register, Register)
  case negate(Register, Register)
  case absolute(Register, Register)
  case not(Register, Register)
  case minimum(Register, Register, Register)
  case maximum(Register, Register, Register)
  /// `target = a ∘ b`, 1 or 0. (Each comparison comes last, so that an instruction takes 16 bytes.)
  case compare(Register, Register, Register, test: Comparison)
  /// 四舍五入, 向下取整, 向上取整 at the given places.
  case round(Register, Register, places: Int32)
  case floor(Register, Register, places: Int32)
  case ceiling(Register, Register, places: Int32)
  /// 天数 from the first date to the second.
  case days(Register, Register, Register)
  case move(Register, Register)
  /// A checklist whose points are constants: `total` = the sum of the points of the items
  /// (`PlanCompiler.items`, run `index`) whose condition holds.
  case checklist(Register, items: Int32)
  /// Bands whose results are constants: `result` = the result of the first band
  /// (`PlanCompiler.lookups`, run `index`) the subject falls in; none is E043 in the full sheet.
  case lookup(Register, Register, bands: Int32)

  case jump(to: Int32)
  case jumpIfZero(Register, to: Int32)
  case jumpIfNotZero(Register, to: Int32)
  /// A band's test: on unless the subject lies in `bounds[index]`.
  case jumpUnlessWithin(Register, bounds: Int32, to: Int32)
  case jumpUnless(Register, Register, to: Int32, test: Comparison)
  /// An input's default is computed only where the record does not give the input.
  case jumpIfGiven(cell: Int32, to: Int32)
  /// No band matched (E043 in the full sheet).
  case fail
  /// The input is used here: without it the full sheet names it missing.
  case require(cell: Int32)
  /// A default must be a value its input may take (E033 in the full sheet): `checks[index]`.
  case checkDefault(Register, check: Int32)

  /// The exact fractions of + − × ÷ (`SmallFraction`), and the one rounding that ends them.
  case fraction(Register, of: Register)
  case fractionAdd(Register, Register, Register)
  case fractionSubtract(Register, Register, Register)
  case fractionMultiply(Register, Register, Register)
  case fractionDivide(Register, Register, Register)
  case fractionNegate(Register, Register)
  case fractionMove(Register, Register)
  case roundFraction(Register, of: Register)

  /// A leaf's score: rounded at the ruleset's precision unless `exact` (then it already has no
  /// more places), and refused outside 0…weight (E041 in the full sheet).
  case score(Register, of: Register, weight: Register, exact: Bool)

  /// Where the instruction jumps, if it does.
  var target: Int32? {
    switch self {
    case .jump(let to), .jumpIfZero(_, let to), .jumpIfNotZero(_, let to), .jumpUnlessWithin(_, _, let to),
      .jumpUnless(_, _, let to, _), .jumpIfGiven(_, let to):
      to
    default: nil
    }
  }

  /// The same instruction jumping elsewhere.
  func retargeted(_ target: Int32) -> Instruction {
    switch self {
    case .jump: .jump(to: target)
    case .jumpIfZero(let a, _): .jumpIfZero(a, to: target)
    case .jumpIfNotZero(let a, _): .jumpIfNotZero(a, to: target)
    case .jumpUnlessWithin(let a, let bounds, _): .jumpUnlessWithin(a, bounds: bounds, to: target)
    case .jumpUnless(let a, let b, _, let test): .jumpUnless(a, b, to: target, test: test)
    case .jumpIfGiven(let cell, _): .jumpIfGiven(cell: cell, to: target)
    default: self
    }
  }
}

/// How two values compare: > and ≥ are < and ≤ with the operands swapped.
enum Comparison: Sendable, Equatable {
  case less, lessEqual, equal, notEqual

  @inline(__always)
  func holds(_ a: Int128, _ b: Int128) -> Bool {
    switch self {
    case .less: a < b
    case .lessEqual: a <= b
    case .equal: a == b
    case .notEqual: a != b
    }
  }
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

/// A band's interval on numbers' units: a missing end is the end of the range, closed.
struct Bounds: Sendable {
  var lower: Int128
  var lowerClosed: Bool
  var upper: Int128
  var upperClosed: Bool

  init(_ interval: Interval) {
    lower = interval.lower?.units ?? .min
    lowerClosed = interval.lower == nil || interval.lowerClosed
    upper = interval.upper?.units ?? .max
    upperClosed = interval.upper == nil || interval.upperClosed
  }

  static let everything = Bounds(Interval(lower: nil, lowerClosed: true, upper: nil, upperClosed: true))

  /// The one value of an option.
  init(exactly value: Int128) {
    (lower, lowerClosed, upper, upperClosed) = (value, true, value, true)
  }

  @inline(__always)
  func contains(_ value: Int128) -> Bool {
    (lowerClosed ? value >= lower : value > lower) && (upperClosed ? value <= upper : value < upper)
  }
}
