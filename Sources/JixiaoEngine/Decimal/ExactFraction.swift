/// A formula's value while it is computed: a signed fraction of integers of any size, so that
/// + − × ÷ never round. Only the finished value is rounded, once, to an `ExactDecimal`:
/// 0.0000000001 × 0.0000000001 × 10^19 is 0.1 and 1 ÷ (1 ÷ 30000000000 ＋ 0) is 30000000000,
/// where rounding each step to 18 digits gives 0 and 30000000300.
struct ExactFraction: Sendable {
  /// Numerator and denominator (never zero): in 128 bits while they fit, which is the common case
  /// and needs no memory of its own, or as wide integers once a step outgrows them.
  private enum Parts: Sendable {
    case small(UInt128, UInt128)
    case wide(BigUInt, BigUInt)
  }

  var negative: Bool
  private var parts: Parts

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
    parts = .small(digits, Self.powersOfTen[places])
  }

  private init(negative: Bool, _ parts: Parts) {
    self.parts = parts
    self.negative = false
    self.negative = negative && !isZero
  }

  var numerator: BigUInt {
    switch parts {
    case .small(let n, _): BigUInt(n)
    case .wide(let n, _): n
    }
  }

  var denominator: BigUInt {
    switch parts {
    case .small(_, let d): BigUInt(d)
    case .wide(_, let d): d
    }
  }

  var isZero: Bool {
    switch parts {
    case .small(let n, _): n == 0
    case .wide(let n, _): n.isZero
    }
  }

  var negated: ExactFraction { ExactFraction(negative: !negative, parts) }

  func adding(_ other: ExactFraction) -> ExactFraction {
    if case .small(let a, let b) = parts, case .small(let c, let d) = other.parts,
      let sum = Self.smallSum(negative, a, b, other.negative, c, d)
    {
      return sum
    }
    let (n, m, d) = (numerator, other.numerator, denominator)
    let sameDenominator = !(d < other.denominator) && !(other.denominator < d)
    let (x, y, common) = sameDenominator ? (n, m, d) : (n * other.denominator, m * d, d * other.denominator)
    if negative == other.negative { return ExactFraction(negative: negative, .wide(x + y, common)) }
    // Opposite signs: the larger magnitude keeps its sign.
    return y < x
      ? ExactFraction(negative: negative, .wide(x - y, common))
      : ExactFraction(negative: other.negative, .wide(y - x, common))
  }

  /// ±a/b ± c/d in 128 bits, as `adding` does it with wide integers; nil where a step outgrows them.
  private static func smallSum(
    _ negative: Bool, _ a: UInt128, _ b: UInt128, _ otherNegative: Bool, _ c: UInt128, _ d: UInt128
  ) -> ExactFraction? {
    var (x, y, common) = (a, c, b)
    if b != d {
      guard let ad = product(a, d), let cb = product(c, b), let bd = product(b, d) else { return nil }
      (x, y, common) = (ad, cb, bd)
    }
    if negative == otherNegative {
      let (total, overflow) = x.addingReportingOverflow(y)
      return overflow ? nil : ExactFraction(negative: negative, .small(total, common))
    }
    return y < x
      ? ExactFraction(negative: negative, .small(x - y, common))
      : ExactFraction(negative: otherNegative, .small(y - x, common))
  }

  func multiplied(by other: ExactFraction) -> ExactFraction {
    if case .small(let a, let b) = parts, case .small(let c, let d) = other.parts,
      let n = Self.product(a, c), let m = Self.product(b, d)
    {
      return ExactFraction(negative: negative != other.negative, .small(n, m))
    }
    return ExactFraction(
      negative: negative != other.negative, .wide(numerator * other.numerator, denominator * other.denominator))
  }

  /// The quotient; the caller has made sure the divisor is not zero.
  func divided(by other: ExactFraction) -> ExactFraction {
    if case .small(let a, let b) = parts, case .small(let c, let d) = other.parts,
      let n = Self.product(a, d), let m = Self.product(b, c)
    {
      return ExactFraction(negative: negative != other.negative, .small(n, m))
    }
    return ExactFraction(
      negative: negative != other.negative, .wide(numerator * other.denominator, denominator * other.numerator))
  }

  private static func product(_ a: UInt128, _ b: UInt128) -> UInt128? {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : value
  }

  /// The value rounded half away from zero at the 18th fractional digit, and whether that was
  /// exact; nil when even the rounded value lies beyond the range of `ExactDecimal`.
  func rounded() -> (value: ExactDecimal, exact: Bool)? {
    let quotient: UInt128
    let remainderIsZero: Bool
    let up: Bool
    switch parts {
    case .small(let n, let d):
      // The common case, as `ExactDecimal.divided(by:)` does it.
      let scaled = n.multipliedFullWidth(by: ExactDecimal.scale)
      guard scaled.high < d else { return nil }
      let remainder: UInt128
      (quotient, remainder) = d.dividingFullWidth(scaled)
      (remainderIsZero, up) = (remainder == 0, remainder >= d - remainder)
    case .wide(let n, let d):
      guard let (q, remainder) = (n * BigUInt(ExactDecimal.scale)).quotientAndRemainder(dividingBy: d) else {
        return nil
      }
      (quotient, remainderIsZero, up) = (q, remainder.isZero, !(remainder + remainder < d))
    }
    guard !up || quotient != .max else { return nil }
    let magnitude = up ? quotient + 1 : quotient
    guard let value = try? ExactDecimal.make(magnitude: magnitude, negative: negative) else { return nil }
    return (value, remainderIsZero)
  }
}
