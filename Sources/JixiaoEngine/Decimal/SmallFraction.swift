/// A signed fraction whose parts fit in 128 bits: the exact value of a formula's + − × ÷ in the
/// common case. Where a step would outgrow them it gives nil: `ExactFraction` then goes on in wide
/// integers, and the compiled plan gives the record up to `Scorer`, which uses `ExactFraction`.
struct SmallFraction: Sendable {
  var negative: Bool
  var numerator: UInt128
  var denominator: UInt128

  /// The decimal as digits over a power of ten without trailing zeros (0.9 is 9/10, 3 is 3/1),
  /// which keeps the parts of an ordinary formula small.
  init(_ value: ExactDecimal) {
    let magnitude = value.units.magnitude
    let (whole, fraction) = magnitude.quotientAndRemainder(dividingBySmall: UInt64(ExactDecimal.scale))
    negative = value.isNegative
    guard fraction != 0 else {
      numerator = whole
      denominator = 1
      return
    }
    var digits = fraction
    var places = 18
    // 10^16, 10^8, 10^4, 10^2, 10^1: five divisions find up to 17 trailing zeros.
    func strip(_ power: UInt64, _ count: Int) {
      if digits % power == 0 {
        digits /= power
        places -= count
      }
    }
    strip(10_000_000_000_000_000, 16)
    strip(100_000_000, 8)
    strip(10_000, 4)
    strip(100, 2)
    strip(10, 1)
    denominator = ExactDecimal.pow10(places)
    // whole × 10^places + digits < 2^127 × 10^18 / 10^18 fits.
    numerator = whole * denominator + UInt128(digits)
  }

  init(negative: Bool, _ numerator: UInt128, _ denominator: UInt128) {
    self.negative = negative && numerator != 0
    self.numerator = numerator
    self.denominator = denominator
  }

  var isZero: Bool { numerator == 0 }
  var negated: SmallFraction { SmallFraction(negative: !negative, numerator, denominator) }

  func adding(_ other: SmallFraction) -> SmallFraction? {
    var (x, y, common) = (numerator, other.numerator, denominator)
    if denominator != other.denominator {
      guard let ad = Self.product(numerator, other.denominator), let cb = Self.product(other.numerator, denominator),
        let bd = Self.product(denominator, other.denominator)
      else { return nil }
      (x, y, common) = (ad, cb, bd)
    }
    if negative == other.negative {
      let (total, overflow) = x.addingReportingOverflow(y)
      return overflow ? nil : SmallFraction(negative: negative, total, common)
    }
    return y < x
      ? SmallFraction(negative: negative, x - y, common) : SmallFraction(negative: other.negative, y - x, common)
  }

  func multiplied(by other: SmallFraction) -> SmallFraction? {
    guard let n = Self.product(numerator, other.numerator), let d = Self.product(denominator, other.denominator)
    else { return nil }
    return SmallFraction(negative: negative != other.negative, n, d)
  }

  /// The quotient; the caller has made sure the divisor is not zero.
  func divided(by other: SmallFraction) -> SmallFraction? {
    guard let n = Self.product(numerator, other.denominator), let d = Self.product(denominator, other.numerator)
    else { return nil }
    return SmallFraction(negative: negative != other.negative, n, d)
  }

  private static func product(_ a: UInt128, _ b: UInt128) -> UInt128? {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : value
  }

  /// Rounded half away from zero at the 18th fractional digit, and whether that was exact; nil
  /// beyond the range of `ExactDecimal`.
  func rounded() -> (value: ExactDecimal, exact: Bool)? {
    let quotient: UInt128
    let remainder: UInt128
    let (scaled, overflow) = numerator.multipliedReportingOverflow(by: ExactDecimal.scale)
    if !overflow && denominator >> 64 == 0 {
      let (q, r) = scaled.quotientAndRemainder(dividingBySmall: UInt64(denominator))
      (quotient, remainder) = (q, UInt128(r))
    } else if !overflow {
      (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: denominator)
    } else {
      let wide = numerator.multipliedFullWidth(by: ExactDecimal.scale)
      guard wide.high < denominator else { return nil }
      (quotient, remainder) = denominator.dividingFullWidth(wide)
    }
    let up = remainder >= denominator - remainder
    let magnitude = up ? quotient &+ 1 : quotient
    // Within ±(2^127 − 1), and −2^127; +1 wrapping to 0 is beyond it too.
    guard !(up && magnitude == 0),
      magnitude < 1 << 127 || (negative && magnitude == 1 << 127)
    else { return nil }
    let value = ExactDecimal(units: negative ? Int128(truncatingIfNeeded: 0 &- magnitude) : Int128(magnitude))
    return (value, remainder == 0)
  }
}
