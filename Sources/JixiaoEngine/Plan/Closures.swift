// The closures a compiled plan is made of, and how they combine: what `ExpressionCompiler`
// builds formulas from.

/// The compiled plan gives up on a record: `Scorer` scores it, with the messages that say why.
struct Bail: Error {}

/// A formula compiled to a closure over a record's slots, giving one scalar (see `SlotLayout`).
/// Held in a struct so that arrays of them call the closure directly, without a thunk.
struct Code: Sendable {
  let run: @Sendable (inout CompiledPlan.Frame) throws(Bail) -> Int128
  func callAsFunction(_ frame: inout CompiledPlan.Frame) throws(Bail) -> Int128 { try run(&frame) }
}

/// The + − × ÷ of a formula, compiled to give its exact value.
struct ExactCode: Sendable {
  let run: @Sendable (inout CompiledPlan.Frame) throws(Bail) -> SmallFraction
  func callAsFunction(_ frame: inout CompiledPlan.Frame) throws(Bail) -> SmallFraction { try run(&frame) }
}

extension ExpressionCompiler {
  /// One step of arithmetic on two numbers' units as `ExactDecimal` does it; overflow and a zero
  /// divisor bail.
  static func apply(_ operation: BinaryOperator, _ a: Int128, _ b: Int128) throws(Bail) -> Int128 {
    let (x, y) = (ExactDecimal(units: a), ExactDecimal(units: b))
    do {
      return switch operation {
      case .add: try x.adding(y).units
      case .subtract: try x.subtracting(y).units
      case .multiply: try x.multiplied(by: y).units
      default: try x.divided(by: y).units
      }
    } catch {
      throw Bail()
    }
  }

  static func negated(_ value: Int128) throws(Bail) -> Int128 {
    guard value != .min else { throw Bail() }
    return -value
  }

  static func constant(_ slot: Int128) -> Code { Code { _ in slot } }

  /// `combine` applied from left to right, starting from `first`, as `Evaluator` adds a list: one
  /// closure built as a balanced tree, so that calling it never iterates an array (which would
  /// retain each closure) and nests only log₂ n deep.
  static func accumulated(
    _ first: Code, _ rest: [Code], _ combine: @escaping @Sendable (Int128, Int128) throws(Bail) -> Int128
  ) -> Code {
    func fold(_ part: ArraySlice<Code>) -> Running {
      guard part.count > 1 else {
        guard let value = part.first else { return Running { total, _ in total } }
        return Running { total, frame throws(Bail) in try combine(total, try value(&frame)) }
      }
      let middle = part.startIndex + part.count / 2
      let (left, right) = (fold(part[..<middle]), fold(part[middle...]))
      return Running { total, frame throws(Bail) in try right.run(try left.run(total, &frame), &frame) }
    }
    let all = fold(rest[...])
    return Code { frame throws(Bail) in try all.run(try first(&frame), &frame) }
  }

  /// A running total, and the frame.
  struct Running: Sendable {
    let run: @Sendable (Int128, inout CompiledPlan.Frame) throws(Bail) -> Int128
  }

  /// A band's test and result: the result when the subject falls in the band, else nil.
  struct Match: Sendable {
    let run: @Sendable (Int128, inout CompiledPlan.Frame) throws(Bail) -> Int128?
  }

  /// The first band that matches, tried in order, as a balanced tree of closures.
  static func firstMatch(_ part: ArraySlice<Match>) -> Match {
    guard part.count > 1 else { return part.first ?? Match { _, _ in nil } }
    let middle = part.startIndex + part.count / 2
    let (left, right) = (firstMatch(part[..<middle]), firstMatch(part[middle...]))
    return Match { subject, frame throws(Bail) in
      if let found = try left.run(subject, &frame) { return found }
      return try right.run(subject, &frame)
    }
  }

  /// A cell's slot, once the record gives the cell or it has been computed.
  static func load(cell: Int, slot: Int) -> Code {
    Code { frame throws(Bail) in
      guard frame.known[cell] else { throw Bail() }
      return frame.slots[slot]
    }
  }

  static func negation(_ value: Code) -> Code {
    Code { frame throws(Bail) in try negated(try value(&frame)) }
  }

  static func arithmetic(_ operation: BinaryOperator, _ a: Code, _ b: Code) -> Code {
    Code { frame throws(Bail) in try apply(operation, try a(&frame), try b(&frame)) }
  }

  /// An operand as compile time knows it: a constant or a cell is read in place by the closure
  /// that uses it, which saves a closure call for each (most operands are one or the other).
  enum Operand {
    case constant(Int128)
    case cell(Int, slot: Int)
    case code(Code)

    var code: Code {
      switch self {
      case .constant(let value): ExpressionCompiler.constant(value)
      case .cell(let cell, let slot): ExpressionCompiler.load(cell: cell, slot: slot)
      case .code(let code): code
      }
    }
  }

  /// `combine` of two operands as one closure, reading constants and cells in place.
  static func binary(
    _ a: Operand, _ b: Operand, _ combine: @escaping @Sendable (Int128, Int128) throws(Bail) -> Int128
  ) -> Code {
    switch (a, b) {
    case (.cell(let cell, let slot), .constant(let value)):
      return Code { frame throws(Bail) in
        guard frame.known[cell] else { throw Bail() }
        return try combine(frame.slots[slot], value)
      }
    case (.constant(let value), .cell(let cell, let slot)):
      return Code { frame throws(Bail) in
        guard frame.known[cell] else { throw Bail() }
        return try combine(value, frame.slots[slot])
      }
    case (.cell(let first, let firstSlot), .cell(let second, let secondSlot)):
      return Code { frame throws(Bail) in
        guard frame.known[first], frame.known[second] else { throw Bail() }
        return try combine(frame.slots[firstSlot], frame.slots[secondSlot])
      }
    case (.code(let code), .constant(let value)):
      return Code { frame throws(Bail) in try combine(try code(&frame), value) }
    case (.code(let code), .cell(let cell, let slot)):
      return Code { frame throws(Bail) in
        let first = try code(&frame)
        guard frame.known[cell] else { throw Bail() }
        return try combine(first, frame.slots[slot])
      }
    default:
      let (first, second) = (a.code, b.code)
      return Code { frame throws(Bail) in try combine(try first(&frame), try second(&frame)) }
    }
  }

  /// 如果 … 则 … 否则: a constant branch (most are) is returned in place.
  static func choice(_ truth: Code, _ yes: Operand, _ no: Operand) -> Code {
    switch (yes, no) {
    case (.constant(let first), .constant(let second)):
      return Code { frame throws(Bail) in try truth(&frame) != 0 ? first : second }
    case (.code(let first), .constant(let second)):
      return Code { frame throws(Bail) in try truth(&frame) != 0 ? try first(&frame) : second }
    case (.constant(let first), .code(let second)):
      return Code { frame throws(Bail) in try truth(&frame) != 0 ? first : try second(&frame) }
    default:
      let (first, second) = (yes.code, no.code)
      return Code { frame throws(Bail) in try truth(&frame) != 0 ? try first(&frame) : try second(&frame) }
    }
  }
}
