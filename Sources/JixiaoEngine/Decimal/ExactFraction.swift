/// A formula's value while it is computed: a signed fraction of integers of any size, so that
/// + − × ÷ never round. Only the finished value is rounded, once, to an `ExactDecimal`:
/// 0.0000000001 × 0.0000000001 × 10^19 is 0.1 and 1 ÷ (1 ÷ 30000000000 ＋ 0) is 30000000000,
/// where rounding each step to 18 digits gives 0 and 30000000300.
struct ExactFraction: Sendable {
  /// A `SmallFraction` while its parts fit in 128 bits, which is the common case and needs no
  /// memory of its own, or wide integers (numerator, denominator, never zero) once a step outgrows them.
  private enum Parts: Sendable {
    case small(SmallFraction)
    case wide(negative: Bool, BigUInt, BigUInt)
  }

  private var parts: Parts

  /// The decimal as digits over a power of ten with trailing zeros removed (0.9 is 9/10, 3 is 3/1),
  /// which keeps the numbers of an ordinary formula within 128 bits.
  init(_ value: ExactDecimal) { parts = .small(SmallFraction(value)) }

  private init(_ small: SmallFraction) { parts = .small(small) }

  private init(negative: Bool, _ numerator: BigUInt, _ denominator: BigUInt) {
    parts = .wide(negative: negative && !numerator.isZero, numerator, denominator)
  }

  var negative: Bool {
    switch parts {
    case .small(let small): small.negative
    case .wide(let negative, _, _): negative
    }
  }

  var numerator: BigUInt {
    switch parts {
    case .small(let small): BigUInt(small.numerator)
    case .wide(_, let n, _): n
    }
  }

  var denominator: BigUInt {
    switch parts {
    case .small(let small): BigUInt(small.denominator)
    case .wide(_, _, let d): d
    }
  }

  private var small: SmallFraction? {
    if case .small(let small) = parts { small } else { nil }
  }

  var isZero: Bool {
    switch parts {
    case .small(let small): small.isZero
    case .wide(_, let n, _): n.isZero
    }
  }

  var negated: ExactFraction {
    switch parts {
    case .small(let small): ExactFraction(small.negated)
    case .wide(let negative, let n, let d): ExactFraction(negative: !negative, n, d)
    }
  }

  func adding(_ other: ExactFraction) -> ExactFraction {
    if let x = small, let y = other.small, let sum = x.adding(y) { return ExactFraction(sum) }
    let (n, m, d) = (numerator, other.numerator, denominator)
    let sameDenominator = !(d < other.denominator) && !(other.denominator < d)
    let (x, y, common) = sameDenominator ? (n, m, d) : (n * other.denominator, m * d, d * other.denominator)
    if negative == other.negative { return ExactFraction(negative: negative, x + y, common) }
    // Opposite signs: the larger magnitude keeps its sign.
    return y < x
      ? ExactFraction(negative: negative, x - y, common) : ExactFraction(negative: other.negative, y - x, common)
  }

  func multiplied(by other: ExactFraction) -> ExactFraction {
    if let x = small, let y = other.small, let product = x.multiplied(by: y) { return ExactFraction(product) }
    return ExactFraction(
      negative: negative != other.negative, numerator * other.numerator, denominator * other.denominator)
  }

  /// The quotient; the caller has made sure the divisor is not zero.
  func divided(by other: ExactFraction) -> ExactFraction {
    if let x = small, let y = other.small, let quotient = x.divided(by: y) { return ExactFraction(quotient) }
    return ExactFraction(
      negative: negative != other.negative, numerator * other.denominator, denominator * other.numerator)
  }

  /// The value rounded half away from zero at the 18th fractional digit, and whether that was
  /// exact; nil when even the rounded value lies beyond the range of `ExactDecimal`.
  func rounded() -> (value: ExactDecimal, exact: Bool)? {
    switch parts {
    case .small(let small):
      return small.rounded()
    case .wide(let negative, let n, let d):
      guard let (quotient, remainder) = (n * BigUInt(ExactDecimal.scale)).quotientAndRemainder(dividingBy: d)
      else { return nil }
      let up = !(remainder + remainder < d)
      guard !up || quotient != .max else { return nil }
      guard let value = try? ExactDecimal.make(magnitude: up ? quotient + 1 : quotient, negative: negative) else {
        return nil
      }
      return (value, remainder.isZero)
    }
  }
}
