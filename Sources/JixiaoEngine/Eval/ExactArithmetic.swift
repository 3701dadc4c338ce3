/// Exact arithmetic: a formula's + − × ÷ are carried as one `ExactFraction` and rounded once, at
/// the end, to 18 digits. A value that cannot be given so is refused with a diagnostic naming
/// the formula, never replaced by a near number.
extension Evaluator {
  /// What the + − × ÷ of a formula give.
  enum Exact {
    case value(ExactFraction)
    case missing
    /// A list or a value that is not a number: the step-by-step path computes it.
    case unsupported
    /// This divisor is exactly zero.
    case zeroDivisor(CheckedExpression)
  }

  /// + − × ÷ and negation as one exact fraction; `leaf` gives the value of everything else.
  /// 0.8625 ÷ 0.9 × 3 is 2.875, 0.0000000001 × 0.0000000001 × 10^19 is 0.1, and
  /// 1 ÷ （1 ÷ 30000000000 ＋ 0） is 30000000000: nothing rounds on the way.
  static func exact<Failure: Error>(
    of expression: CheckedExpression, leaf: (CheckedExpression) throws(Failure) -> Exact
  ) throws(Failure) -> Exact {
    switch expression.kind {
    case .negate(let operand):
      let value = try exact(of: operand, leaf: leaf)
      guard case .value(let fraction) = value else { return value }
      return .value(fraction.negated)
    case .arithmetic(let operation, let left, let right):
      let a = try exact(of: left, leaf: leaf)
      switch a {
      case .unsupported, .zeroDivisor: return a
      default: break
      }
      let b = try exact(of: right, leaf: leaf)
      switch (a, b) {
      case (.value(let x), .value(let y)):
        switch operation {
        case .add: return .value(x.adding(y))
        case .subtract: return .value(x.adding(y.negated))
        case .multiply: return .value(x.multiplied(by: y))
        default: return y.isZero ? .zeroDivisor(right) : .value(x.divided(by: y))
        }
      case (_, .unsupported), (_, .zeroDivisor): return b
      default: return .missing
      }
    default:
      return try leaf(expression)
    }
  }

  /// Whether an operation needs the exact path: all but the sum or difference of two plain
  /// values, which `ExactDecimal` gives exactly.
  static func needsFraction(_ operation: BinaryOperator, _ left: CheckedExpression, _ right: CheckedExpression)
    -> Bool
  {
    func isOperation(_ expression: CheckedExpression) -> Bool {
      switch expression.kind {
      case .arithmetic, .negate: true
      default: false
      }
    }
    return operation == .multiply || operation == .divide || isOperation(left) || isOperation(right)
  }

  /// A formula of constants as scoring computes it: 1 ÷ 3 × 3 is 1, 1 ÷ （1 ÷ 3 ＋ 0） is 3.
  static func constantValue(_ expression: CheckedExpression) -> ExactDecimal? {
    let value = exact(of: expression) { leaf in
      if case .constant(.number(let number)) = leaf.kind { .value(ExactFraction(number)) } else { .unsupported }
    }
    guard case .value(let fraction) = value else { return nil }
    return fraction.rounded()?.value
  }

  /// The formula's one rounding, to 18 digits. Refused where the result lies beyond the range
  /// (E042), and where the exact value needs more digits and its 18-digit rounding is a number
  /// of at most one digit more than the precision (E058): 0.004999…9 (twenty nines) rounds to
  /// 0.005, which at 精度 2 would score 0.01 where the exact value scores 0, and 0.8999…9 would
  /// pass a band from 90%. Ordinary values never come that close to such a number.
  func rounded(_ fraction: ExactFraction, of expression: CheckedExpression) throws(RuntimeFailure) -> ExactDecimal {
    var formula: String { program.source.text(expression.span) }
    guard let (value, exact) = fraction.rounded() else {
      throw overflow(at: expression.span, notes: valuesOfInputs(in: expression))
    }
    guard exact || value.needsMorePlaces(than: precision + 1) else {
      throw RuntimeFailure(
        code: .inexactResult,
        message: "“\(formula)”的精确值超过 18 位小数，保留 18 位是 \(value)，恰在精度 \(precision) 位的进位或比较界限上，无法确定结果",
        span: expression.span,
        notes: valuesOfInputs(in: expression) + ["这样的值多半来自位数异常的数据，请核对数据的位数和单位"])
    }
    return value
  }

  /// E042, naming the formula whose result is beyond the range.
  func overflow(at span: SourceSpan, notes: [String] = []) -> RuntimeFailure {
    RuntimeFailure(
      code: .arithmeticOverflow, message: "“\(program.source.text(span))”的计算结果超出可表示的范围", span: span,
      notes: notes)
  }

  func divisionByZero(_ divisor: CheckedExpression) -> RuntimeFailure {
    RuntimeFailure(
      code: .divisionByZero, message: "除数“\(program.source.text(divisor.span))”为零", span: divisor.span,
      notes: valuesOfInputs(in: divisor) + ["请在规则中先判断除数为零的情况，如：如果 预算数 = 0 则 … 否则 …"])
  }
}
