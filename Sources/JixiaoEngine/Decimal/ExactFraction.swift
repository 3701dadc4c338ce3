/// A formula's value while it is computed: a signed fraction of integers of any size, so that
/// + − × ÷ never round. Only the finished value is rounded, once, to an `ExactDecimal`:
/// 0.0000000001 × 0.0000000001 × 10^19 is 0.1 and 1 ÷ (1 ÷ 30000000000 ＋ 0) is 30000000000,
/// where rounding each step to 18 digits gives 0 and 30000000300.
struct ExactFraction: Sendable {
  var negative: Bool
  var numerator: BigUInt
  /// Never zero.
  var denominator: BigUInt

  /// `10^0 … 10^18`.
  private static let powersOfTen: [UInt128] = (0...ExactDecimal.fractionDigits).map(ExactDecimal.pow10)

  /// The decimal as digits over a power of ten with trailing zeros removed (0.9 is 9/10, 3 is 3/1),
  /// which keeps the numbers of an ordinary formula within 128 bits.
  init(_ value: ExactDecimal) {
    var digits = value.units.magnitude
    var places = ExactDecimal.fractionDigits
    if digits == 0 {
      places = 0
    } else {
      // 10^16, 10^8, 10^4, 10^2, 10^1: at most five divisions find up to 18 trailing zeros.
      for step in [16, 8, 4, 2, 1] where places >= step && digits % Self.powersOfTen[step] == 0 {
        digits /= Self.powersOfTen[step]
        places -= step
      }
    }
    negative = value.isNegative
    numerator = BigUInt(digits)
    denominator = BigUInt(Self.powersOfTen[places])
  }

  private init(negative: Bool, numerator: BigUInt, denominator: BigUInt) {
    self.negative = negative && !numerator.isZero
    self.numerator = numerator
    self.denominator = denominator
  }

  var isZero: Bool { numerator.isZero }

  var negated: ExactFraction {
    ExactFraction(negative: !negative, numerator: numerator, denominator: denominator)
  }

  func adding(_ other: ExactFraction) -> ExactFraction {
    let sameDenominator = !(denominator < other.denominator) && !(other.denominator < denominator)
    let (a, b, common) =
      sameDenominator
      ? (numerator, other.numerator, denominator)
      : (numerator * other.denominator, other.numerator * denominator, denominator * other.denominator)
    if negative == other.negative {
      return ExactFraction(negative: negative, numerator: a + b, denominator: common)
    }
    // Opposite signs: the larger magnitude keeps its sign.
    return b < a
      ? ExactFraction(negative: negative, numerator: a - b, denominator: common)
      : ExactFraction(negative: other.negative, numerator: b - a, denominator: common)
  }

  func multiplied(by other: ExactFraction) -> ExactFraction {
    ExactFraction(
      negative: negative != other.negative, numerator: numerator * other.numerator,
      denominator: denominator * other.denominator)
  }

  /// The quotient; the caller has made sure the divisor is not zero.
  func divided(by other: ExactFraction) -> ExactFraction {
    ExactFraction(
      negative: negative != other.negative, numerator: numerator * other.denominator,
      denominator: denominator * other.numerator)
  }

  /// The value rounded half away from zero at the 18th fractional digit, and whether that was
  /// exact; nil when even the rounded value lies beyond the range of `ExactDecimal`.
  func rounded() -> (value: ExactDecimal, exact: Bool)? {
    let quotient: UInt128
    let remainderIsZero: Bool
    let up: Bool
    if let n = numerator.uint128, let d = denominator.uint128 {
      // The common case, as `ExactDecimal.divided(by:)` does it.
      let scaled = n.multipliedFullWidth(by: ExactDecimal.scale)
      guard scaled.high < d else { return nil }
      let remainder: UInt128
      (quotient, remainder) = d.dividingFullWidth(scaled)
      (remainderIsZero, up) = (remainder == 0, remainder >= d - remainder)
    } else {
      guard
        let (q, remainder) = (numerator * BigUInt(ExactDecimal.scale)).quotientAndRemainder(dividingBy: denominator)
      else { return nil }
      (quotient, remainderIsZero, up) = (q, remainder.isZero, !(remainder + remainder < denominator))
    }
    guard !up || quotient != .max else { return nil }
    let magnitude = up ? quotient + 1 : quotient
    guard let value = try? ExactDecimal.make(magnitude: magnitude, negative: negative) else { return nil }
    return (value, remainderIsZero)
  }
}
