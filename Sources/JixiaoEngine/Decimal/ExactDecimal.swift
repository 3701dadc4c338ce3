/// Errors raised by checked `ExactDecimal` arithmetic.
public enum ArithmeticError: Error, Sendable, Equatable {
  case overflow
  case divisionByZero
}

/// An exact fixed-point decimal: `value = units / 10^18`, stored in an `Int128`.
///
/// All arithmetic is checked (it throws instead of trapping) and every rounding
/// step rounds half away from zero.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
  public static let fractionDigits = 18
  /// `10^18`, the number of units in `1`.
  static var scale: UInt128 { 1_000_000_000_000_000_000 }  // computed, so that no access waits on a lazy global
  /// 5^16 × this is 1 modulo 2^128.
  private static var inverseOfFiveToThe16th: UInt128 { 0xf60b_3275_305c_1066_e4a4_d141_7cd9_a041 }

  public static let zero = ExactDecimal(units: 0)
  public static let one = ExactDecimal(1)
  public static let hundred = ExactDecimal(100)

  /// The scaled integer: the value multiplied by `10^18`.
  public let units: Int128

  public init(units: Int128) {
    self.units = units
  }

  /// Exact conversion; `|Int| * 10^18` always fits in `Int128`.
  public init(_ value: Int) {
    units = Int128(value) * Int128(Self.scale)
  }

  public var isZero: Bool { units == 0 }
  public var isNegative: Bool { units < 0 }
  public var isInteger: Bool { units % Int128(Self.scale) == 0 }

  public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
    lhs.units < rhs.units
  }

  // MARK: - Arithmetic

  public func adding(_ o: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
    let (sum, overflow) = units.addingReportingOverflow(o.units)
    guard !overflow else { throw .overflow }
    return ExactDecimal(units: sum)
  }

  public func subtracting(_ o: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
    let (difference, overflow) = units.subtractingReportingOverflow(o.units)
    guard !overflow else { throw .overflow }
    return ExactDecimal(units: difference)
  }

  /// The exact product rounded half away from zero at the 18th fractional digit.
  public func multiplied(by o: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
    try product(o).value
  }

  /// The quotient rounded half away from zero at the 18th fractional digit.
  public func divided(by o: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
    try quotient(o).value
  }

  /// The product rounded at the 18th digit, and whether that was exact.
  func product(_ o: ExactDecimal) throws(ArithmeticError) -> (value: ExactDecimal, exact: Bool) {
    let negative = isNegative != o.isNegative
    let (narrow, overflow) = units.magnitude.multipliedReportingOverflow(by: o.units.magnitude)
    if !overflow {
      // The common case (a rate times points, say) in one 128-bit division rather than a 256-bit one.
      let (quotient, remainder) = narrow.quotientAndRemainder(dividingBySmall: UInt64(Self.scale))
      return try Self.rounding(quotient, remainder: UInt128(remainder), divisor: Self.scale, negative: negative)
    }
    let product = units.magnitude.multipliedFullWidth(by: o.units.magnitude)
    // `dividingFullWidth` traps unless the quotient fits in 128 bits.
    guard product.high < Self.scale else { throw .overflow }
    let (quotient, remainder) = Self.scale.dividingFullWidth(product)
    return try Self.rounding(quotient, remainder: remainder, divisor: Self.scale, negative: negative)
  }

  /// The quotient rounded at the 18th digit, and whether that was exact.
  @inline(__always)
  func quotient(_ o: ExactDecimal) throws(ArithmeticError) -> (value: ExactDecimal, exact: Bool) {
    if let short = shortQuotient(o) { return short }
    return try wideQuotient(o)
  }

  /// The quotient when the divisor has at most two decimals, as most figures do, and the quotient
  /// is below 2^64 units (18.4): A × 10^18 ÷ B is A × 100 ÷ (B ÷ 10^16), one division of 128 bits
  /// by 64. nil otherwise, and for a zero divisor.
  @inline(__always)
  private func shortQuotient(_ o: ExactDecimal) -> (value: ExactDecimal, exact: Bool)? {
    let divisor = o.units.magnitude
    // 10^16 is 2^16 × 5^16: most other divisors are turned away by their last 16 bits.
    guard divisor & 0xFFFF == 0 else { return nil }
    // Dividing by the odd 5^16 is multiplying by its inverse modulo 2^128, for a multiple of it.
    // Anything else multiplies to above (2^128 − 1) ÷ 5^16 (about 2^91): a result below 2^64 is
    // the exact quotient.
    let reduced = (divisor >> 16) &* Self.inverseOfFiveToThe16th
    let (scaled, overflow) = units.magnitude.multipliedReportingOverflow(by: 100)
    guard reduced >> 64 == 0, reduced != 0, !overflow else { return nil }
    let small = UInt64(truncatingIfNeeded: reduced)
    let (high, low) = (UInt64(truncatingIfNeeded: scaled >> 64), UInt64(truncatingIfNeeded: scaled))
    guard high < small else { return nil }
    let (quotient, remainder) =
      high == 0 ? low.quotientAndRemainder(dividingBy: small) : small.dividingFullWidth((high, low))
    // Half away from zero; at most 2^64.
    let magnitude = Int128(quotient) + (remainder >= small - remainder ? 1 : 0)
    return (ExactDecimal(units: isNegative != o.isNegative ? -magnitude : magnitude), remainder == 0)
  }

  private func wideQuotient(_ o: ExactDecimal) throws(ArithmeticError) -> (value: ExactDecimal, exact: Bool) {
    guard !o.isZero else { throw .divisionByZero }
    let (divisor, negative) = (o.units.magnitude, isNegative != o.isNegative)
    let (narrow, overflow) = units.magnitude.multipliedReportingOverflow(by: Self.scale)
    if !overflow {
      var (quotient, remainder) = (UInt128(0), UInt128(0))
      if divisor >> 64 == 0 {
        let (q, r) = narrow.quotientAndRemainder(dividingBySmall: UInt64(divisor))
        (quotient, remainder) = (q, UInt128(r))
      } else {
        (quotient, remainder) = narrow.quotientAndRemainder(dividingBy: divisor)
      }
      return try Self.rounding(quotient, remainder: remainder, divisor: divisor, negative: negative)
    }
    let dividend = units.magnitude.multipliedFullWidth(by: Self.scale)
    guard dividend.high < divisor else { throw .overflow }
    let (quotient, remainder) = divisor.dividingFullWidth(dividend)
    return try Self.rounding(quotient, remainder: remainder, divisor: divisor, negative: negative)
  }

  public func negated() throws(ArithmeticError) -> ExactDecimal {
    try Self.make(magnitude: units.magnitude, negative: !isNegative)
  }

  public func magnitude() throws(ArithmeticError) -> ExactDecimal {
    try Self.make(magnitude: units.magnitude, negative: false)
  }

  /// Whether the value needs more than `places` fractional digits (`fractionDigitsUsed > places`)
  /// in one division, not a loop of them.
  public func needsMorePlaces(than places: Int) -> Bool {
    guard places < Self.fractionDigits else { return false }
    guard places >= 0 else { return true }
    return !isMultiple(ofStep: UInt64(Self.pow10(Self.fractionDigits - places)))
  }

  /// Whether the units are a multiple of `step` (10^(18 − places): no more than `places` places).
  @inline(__always)
  func isMultiple(ofStep step: UInt64) -> Bool {
    units.magnitude.quotientAndRemainder(dividingBySmall: step).remainder == 0
  }

  /// How many fractional digits the value needs: 4 for 0.9867 (98.67%), 0 for 5.
  public var fractionDigitsUsed: Int {
    var digits = Self.fractionDigits
    var rest = units
    while digits > 0 && rest % 10 == 0 {
      rest /= 10
      digits -= 1
    }
    return digits
  }

  /// Rounds half away from zero to `places` fractional digits (clamped to `0...18`).
  public func rounded(places: Int) -> ExactDecimal {
    let places = min(max(places, 0), Self.fractionDigits)
    guard places < Self.fractionDigits else { return self }
    return rounded(step: UInt64(Self.pow10(Self.fractionDigits - places)))
  }

  /// Rounds half away from zero to a multiple of `step` units (10^(18 − places)); the compiled
  /// plan works `step` out once. At the extreme ends of the range, where rounding away from zero
  /// would overflow, the truncated multiple.
  @inline(__always)
  func rounded(step: UInt64) -> ExactDecimal {
    let magnitude = units.magnitude
    let remainder = magnitude.quotientAndRemainder(dividingBySmall: step).remainder
    let down = magnitude - UInt128(remainder)
    // 2 × remainder ≥ step, without overflow.
    if remainder >= step - remainder, case (let up, false) = down.addingReportingOverflow(UInt128(step)),
      let value = try? Self.make(magnitude: up, negative: isNegative)
    {
      return value
    }
    return (try? Self.make(magnitude: down, negative: isNegative)) ?? self
  }

  /// The largest multiple of 10^-places not above the value (`upward: false`), or the smallest
  /// not below it (`upward: true`): 向下取整 and 向上取整. Throws only at the ends of the range.
  public func roundedToward(upward: Bool, places: Int) throws(ArithmeticError) -> ExactDecimal {
    let places = min(max(places, 0), Self.fractionDigits)
    guard places < Self.fractionDigits else { return self }
    let step = Int128(Self.pow10(Self.fractionDigits - places))
    let remainder = units % step  // the sign of `units`
    guard remainder != 0 else { return self }
    let truncated = units - remainder
    let away = upward ? remainder > 0 : remainder < 0
    guard away else { return ExactDecimal(units: truncated) }
    let (result, overflow) = truncated.addingReportingOverflow(upward ? step : -step)
    guard !overflow else { throw .overflow }
    return ExactDecimal(units: result)
  }

  // MARK: - Formatting

  /// The minimal exact form: "93.76", "5", "-0.01", "0".
  public var description: String {
    Self.render(units, scaleDigits: Self.fractionDigits, places: nil)
  }

  /// Rounds half away from zero, then prints exactly `places` fractional digits.
  public func formatted(places: Int) -> String {
    let places = min(max(places, 0), Self.fractionDigits)
    return Self.render(
      rounded(places: places).units, scaleDigits: Self.fractionDigits, places: places)
  }

  /// The value times 100 in minimal form with a "%" suffix: 0.9485 -> "94.85%".
  public var percentDescription: String {
    Self.render(units, scaleDigits: Self.fractionDigits - 2, places: nil) + "%"
  }

  // MARK: - Helpers

  /// The value times 10^power (divided for a negative power): 万元 to 元 is a shift by 4.
  public func shifted(byPowerOfTen power: Int) throws(ArithmeticError) -> ExactDecimal {
    let factor = ExactDecimal(units: Int128(Self.pow10(min(abs(power), 20))) * Int128(Self.pow10(Self.fractionDigits)))
    return power >= 0 ? try multiplied(by: factor) : try divided(by: factor)
  }

  /// 10^exponent for 0 … 38, every power of ten a `UInt128` holds: rounding needs one for every
  /// score, so the small ones are constants rather than a lazily built table.
  static func pow10(_ exponent: Int) -> UInt128 {
    switch exponent {
    case 0: 1
    case 1: 10
    case 2: 100
    case 3: 1_000
    case 4: 10_000
    case 5: 100_000
    case 6: 1_000_000
    case 7: 10_000_000
    case 8: 100_000_000
    case 9: 1_000_000_000
    case 10: 10_000_000_000
    case 11: 100_000_000_000
    case 12: 1_000_000_000_000
    case 13: 10_000_000_000_000
    case 14: 100_000_000_000_000
    case 15: 1_000_000_000_000_000
    case 16: 10_000_000_000_000_000
    case 17: 100_000_000_000_000_000
    case 18: 1_000_000_000_000_000_000
    default: 1_000_000_000_000_000_000 * pow10(exponent - 18)
    }
  }

  /// Builds a signed value from a magnitude; `-2^127` is representable, `+2^127` is not.
  @inline(__always)
  static func make(magnitude: UInt128, negative: Bool) throws(ArithmeticError) -> ExactDecimal {
    let limit: UInt128 = negative ? 1 << 127 : (1 << 127) - 1  // |Int128.min|, Int128.max
    guard magnitude <= limit else { throw .overflow }
    return ExactDecimal(units: Int128(truncatingIfNeeded: negative ? 0 &- magnitude : magnitude))
  }

  /// Applies half-away-from-zero rounding to a magnitude quotient, then the sign.
  private static func rounding(
    _ quotient: UInt128, remainder: UInt128, divisor: UInt128, negative: Bool
  ) throws(ArithmeticError) -> (value: ExactDecimal, exact: Bool) {
    var magnitude = quotient
    if remainder >= divisor - remainder {  // 2 * remainder >= divisor, without overflow
      let (next, overflow) = magnitude.addingReportingOverflow(1)
      guard !overflow else { throw .overflow }
      magnitude = next
    }
    return (try make(magnitude: magnitude, negative: negative), remainder == 0)
  }

  /// Prints `value / 10^scaleDigits`; minimal when `places` is nil, otherwise the
  /// first `places` fractional digits (callers round beforehand). Written digit by digit into a
  /// small buffer: a batch prints dozens of numbers for every record.
  private static func render(_ value: Int128, scaleDigits: Int, places: Int?) -> String {
    render(value, scaleDigits: scaleDigits, places: places) { String(decoding: $0, as: UTF8.self) }
  }

  /// The text of `description` added to the bytes, without making a `String` (batch output).
  public func appendDescription(to bytes: inout [UInt8]) {
    Self.render(units, scaleDigits: Self.fractionDigits, places: nil) { bytes.append(contentsOf: $0) }
  }

  /// The digits of `value` ÷ 10^scaleDigits, given to `use` from a buffer on the stack.
  private static func render<Result>(
    _ value: Int128, scaleDigits: Int, places: Int?, _ use: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    let (whole, fraction) = value.magnitude.quotientAndRemainder(dividingBySmall: UInt64(pow10(scaleDigits)))
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
      // The whole part, backwards from the end of the first 44 bytes (2^127 has 39 digits).
      var start = 44
      var rest = whole
      while rest >> 64 != 0 {
        start -= 1
        buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
      var small = UInt64(rest)  // the common case, in 64-bit divisions
      repeat {
        start -= 1
        buffer[start] = UInt8(ascii: "0") + UInt8(small % 10)
        small /= 10
      } while small != 0
      // The fractional digits after it, from the most significant, as many as wanted.
      var digits = UInt64(fraction)
      var shown = places ?? scaleDigits
      if places == nil {
        // Trailing zeros stripped 16, 8, 4, 2 and 1 at a time: up to 31, in five divisions.
        func strip(_ power: UInt64, _ count: Int) {
          if shown > 0 && digits % power == 0 {
            digits /= power
            shown -= count
          }
        }
        if digits == 0 { shown = 0 }
        strip(10_000_000_000_000_000, 16)
        strip(100_000_000, 8)
        strip(10_000, 4)
        strip(100, 2)
        strip(10, 1)
      } else {
        digits /= UInt64(pow10(scaleDigits - shown))
      }
      var end = 44
      if shown > 0 {
        buffer[end] = UInt8(ascii: ".")
        for position in stride(from: shown, to: 0, by: -1) {
          buffer[end + position] = UInt8(ascii: "0") + UInt8(digits % 10)
          digits /= 10
        }
        end += shown + 1
      }
      let isZero = whole == 0 && !buffer[45..<max(end, 45)].contains { $0 != UInt8(ascii: "0") }
      if value < 0 && !isZero {
        start -= 1
        buffer[start] = UInt8(ascii: "-")
      }
      return use(UnsafeBufferPointer(rebasing: buffer[start..<end]))
    }
  }
}
