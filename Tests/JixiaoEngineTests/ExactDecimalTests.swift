import Testing

@testable import JixiaoEngine

/// Parses a literal that the test itself guarantees to be valid.
private func dec(_ text: String) throws -> ExactDecimal {
  try #require(ExactDecimal(parsing: text))
}

@Suite("ExactDecimal")
struct ExactDecimalTests {
  // MARK: Rounding of scaled fractions (half away from zero)

  @Test(arguments: [
    ("0.9485", "9.49"),
    ("0.1675", "1.68"),
    ("0.9505", "9.51"),
    ("0.05%", "0.01"),
  ])
  func fractionTimesTenRoundsHalfUp(fraction: String, expected: String) throws {
    let product = try dec(fraction).multiplied(by: ExactDecimal(10))
    #expect(product.rounded(places: 2) == (try dec(expected)))
  }

  @Test func roundedHalfAwayFromZero() throws {
    #expect(try dec("2.345").rounded(places: 2) == dec("2.35"))
    #expect(try dec("-2.345").rounded(places: 2) == dec("-2.35"))
    #expect(try dec("9.485").rounded(places: 2) == dec("9.49"))
    #expect(try dec("2.344").rounded(places: 2) == dec("2.34"))
    #expect(try dec("-0.5").rounded(places: 0) == ExactDecimal(-1))
    #expect(try dec("1.5").rounded(places: 0) == ExactDecimal(2))
    #expect(try dec("1.23").rounded(places: 18) == dec("1.23"))
    #expect(try dec("1.23").rounded(places: 99) == dec("1.23"))
    #expect(try dec("1.5").rounded(places: -3) == ExactDecimal(2))
  }

  /// 向下取整 goes toward −∞ and 向上取整 toward +∞, negative numbers included.
  @Test func roundedTowardFloorAndCeiling() throws {
    #expect(try dec("2.5").roundedToward(upward: false, places: 0) == ExactDecimal(2))
    #expect(try dec("2.5").roundedToward(upward: true, places: 0) == ExactDecimal(3))
    #expect(try dec("-2.5").roundedToward(upward: false, places: 0) == ExactDecimal(-3))
    #expect(try dec("-2.5").roundedToward(upward: true, places: 0) == ExactDecimal(-2))
    #expect(try dec("1.239").roundedToward(upward: false, places: 2) == dec("1.23"))
    #expect(try dec("1.231").roundedToward(upward: true, places: 2) == dec("1.24"))
    #expect(try dec("-1.231").roundedToward(upward: true, places: 2) == dec("-1.23"))
    #expect(try ExactDecimal(4).roundedToward(upward: true, places: 0) == ExactDecimal(4))
    #expect(throws: ArithmeticError.overflow) { try ExactDecimal(units: .max).roundedToward(upward: true, places: 0) }
    #expect(throws: ArithmeticError.overflow) { try ExactDecimal(units: .min).roundedToward(upward: false, places: 0) }
  }

  @Test func roundingAtExtremesDoesNotTrap() {
    let maxValue = ExactDecimal(units: .max)
    let minValue = ExactDecimal(units: .min)
    #expect(maxValue.rounded(places: 0) <= maxValue)
    #expect(maxValue.rounded(places: 0).isInteger)
    #expect(minValue.rounded(places: 0) >= minValue)
    #expect(minValue.rounded(places: 0).isInteger)
  }

  // MARK: Multiplication and division

  @Test func ratioTimesCount() throws {
    let ratio = try ExactDecimal(24).divided(by: ExactDecimal(25))
    #expect(try ratio.multiplied(by: ExactDecimal(6)) == dec("5.76"))
  }

  @Test func percentageScoreRoundsBeforeScaling() throws {
    let ratio = try dec("23438987.34").divided(by: dec("24712400.00"))
    let fourPlaces = ratio.rounded(places: 4)
    #expect(fourPlaces == (try dec("0.9485")))
    #expect(try ratio.multiplied(by: .hundred).rounded(places: 2) == dec("94.85"))
    #expect(try fourPlaces.multiplied(by: ExactDecimal(10)).rounded(places: 2) == dec("9.49"))
    // Without rounding the ratio first the score comes out one cent lower.
    #expect(try ratio.multiplied(by: ExactDecimal(10)).rounded(places: 2) == dec("9.48"))
  }

  @Test func repeatingQuotientsRoundAtLastDigit() throws {
    let three = ExactDecimal(3)
    #expect(try ExactDecimal.one.divided(by: three).description == "0.333333333333333333")
    #expect(try ExactDecimal(2).divided(by: three).description == "0.666666666666666667")
    #expect(try ExactDecimal(-2).divided(by: three).description == "-0.666666666666666667")
    #expect(
      try ExactDecimal(2).divided(by: ExactDecimal(-3)).description == "-0.666666666666666667")
  }

  @Test func multiplicationRoundsAt18thDigit() throws {
    let tiny = ExactDecimal(units: 5)  // 5e-18
    #expect(try tiny.multiplied(by: dec("0.1")) == ExactDecimal(units: 1))  // 0.5e-18 -> 1e-18
    #expect(try tiny.multiplied(by: dec("-0.1")) == ExactDecimal(units: -1))
    #expect(try tiny.multiplied(by: dec("0.09")) == .zero)  // 0.45e-18 -> 0
    #expect(try dec("-1.5").multiplied(by: dec("-2")) == ExactDecimal(3))
  }

  @Test func overflowThrowsInsteadOfTrapping() throws {
    let huge = try dec("100000000000000000000")  // 1e20
    #expect(throws: ArithmeticError.overflow) { try huge.multiplied(by: huge) }
    let maxValue = ExactDecimal(units: .max)
    let minValue = ExactDecimal(units: .min)
    #expect(throws: ArithmeticError.overflow) { try maxValue.multiplied(by: maxValue) }
    #expect(throws: ArithmeticError.overflow) { try maxValue.multiplied(by: ExactDecimal(2)) }
    #expect(throws: ArithmeticError.overflow) { try maxValue.adding(.one) }
    #expect(throws: ArithmeticError.overflow) { try minValue.subtracting(.one) }
    #expect(throws: ArithmeticError.overflow) { try minValue.negated() }
    #expect(throws: ArithmeticError.overflow) { try minValue.magnitude() }
    #expect(throws: ArithmeticError.overflow) { try maxValue.divided(by: dec("0.5")) }
    #expect(try minValue.multiplied(by: .one) == minValue)
    #expect(try maxValue.divided(by: .one) == maxValue)
  }

  @Test func divisionByZeroThrows() {
    #expect(throws: ArithmeticError.divisionByZero) { try ExactDecimal.one.divided(by: .zero) }
    #expect(throws: ArithmeticError.divisionByZero) { try ExactDecimal.zero.divided(by: .zero) }
  }

  @Test func additionSubtractionNegation() throws {
    #expect(try dec("0.1").adding(dec("0.2")) == dec("0.3"))
    #expect(try dec("0.1").subtracting(dec("0.3")) == dec("-0.2"))
    #expect(try dec("-7.25").negated() == dec("7.25"))
    #expect(try dec("-7.25").magnitude() == dec("7.25"))
    #expect(try dec("7.25").magnitude() == dec("7.25"))
  }

  // MARK: Properties

  @Test func properties() throws {
    #expect(ExactDecimal.zero.isZero)
    #expect(!ExactDecimal.one.isZero)
    #expect(try dec("-0.01").isNegative)
    #expect(!ExactDecimal.zero.isNegative)
    #expect(try dec("5.00").isInteger)
    #expect(try !dec("5.01").isInteger)
    #expect(ExactDecimal.hundred.units == 100_000_000_000_000_000_000)
    #expect(ExactDecimal(Int.min).isNegative)
    #expect(ExactDecimal(Int.max).description == String(Int.max))
  }

  // MARK: Formatting

  @Test(arguments: [
    ("93.76", "93.76"), ("5", "5"), ("0.5", "0.5"), ("-0.01", "-0.01"),
    ("1234567.8", "1234567.8"), ("0", "0"), ("-0", "0"), ("5.000", "5"),
    ("0.000000000000000001", "0.000000000000000001"),
  ])
  func description(input: String, expected: String) throws {
    #expect(try dec(input).description == expected)
  }

  @Test func descriptionOfExtremes() {
    #expect(ExactDecimal(units: .min).description == "-170141183460469231731.687303715884105728")
    #expect(ExactDecimal(units: .max).description == "170141183460469231731.687303715884105727")
  }

  @Test func formatted() throws {
    #expect(try dec("9.485").formatted(places: 2) == "9.49")
    #expect(ExactDecimal(5).formatted(places: 2) == "5.00")
    #expect(try dec("-2.345").formatted(places: 2) == "-2.35")
    #expect(try dec("-0.004").formatted(places: 2) == "0.00")
    #expect(try dec("0.5").formatted(places: 0) == "1")
    #expect(try dec("1.25").formatted(places: 4) == "1.2500")
  }

  @Test func percentDescription() throws {
    #expect(try dec("0.9485").percentDescription == "94.85%")
    #expect(ExactDecimal.one.percentDescription == "100%")
    #expect(try dec("0.05").percentDescription == "5%")
    #expect(try dec("-0.0005").percentDescription == "-0.05%")
    #expect(ExactDecimal.zero.percentDescription == "0%")
  }

  // MARK: Parsing

  @Test func parsesValidInput() throws {
    #expect(try dec("18,779.46").units == 18_779_460_000_000_000_000_000)
    #expect(try dec("93.8%") == dec("0.938"))
    #expect(try dec("0.05%") == dec("0.0005"))
    #expect(try dec("-0.5").units == -500_000_000_000_000_000)
    #expect(try dec("+0.5") == dec("0.5"))
    #expect(try dec("1,000,000") == ExactDecimal(1_000_000))
    #expect(try dec("123,456") == ExactDecimal(123_456))
    #expect(try dec("-1,234.5%") == dec("-12.345"))
  }

  @Test func shiftingByPowersOfTenIsExact() throws {
    #expect(try dec("635.3").shifted(byPowerOfTen: 4) == dec("6353000"))
    #expect(try dec("6353000").shifted(byPowerOfTen: -4) == dec("635.3"))
    #expect(try dec("0.06353").shifted(byPowerOfTen: 8 - 4) == dec("635.3"))
  }

  /// A value is read exactly or not at all: rounding 1.2349999999999999999 to 18 places and then
  /// to 2 would give 1.24 where half-up of the written value gives 1.23.
  @Test func parsingRefusesDigitsBeyondTheEighteenthPlace() throws {
    #expect(try dec("0.000000000000000001") == ExactDecimal(units: 1))
    #expect(try dec("-0.000000000000000001") == ExactDecimal(units: -1))
    #expect(try dec("0.0000000000000001%") == ExactDecimal(units: 1))
    #expect(try dec("1.50000000000000000000") == dec("1.5"))
    for text in ["0.0000000000000000005", "1.2349999999999999999", "0.000000000000000005%", "0.33333333333333333333"] {
      #expect(ExactDecimal(parsing: text) == nil, "\(text)")
    }
  }

  @Test(arguments: [
    "1,2345", "12,34", "", "abc", "1.", ".5", "1e5", ".", "-", "+", "%", "1,", ",123",
    "1,234,56", "1234,567", " 1", "1 ", "1.2.3", "--1", "+-1", "1%%", "5 %", "1,234.5,6",
    "１２", "0x10", "1_000", "12.34.", "-.5",
  ])
  func rejectsInvalidInput(text: String) {
    #expect(ExactDecimal(parsing: text) == nil)
  }

  @Test func parsingOverflowReturnsNil() {
    #expect(
      ExactDecimal(parsing: "170141183460469231731.687303715884105727") == ExactDecimal(units: .max)
    )
    #expect(
      ExactDecimal(parsing: "-170141183460469231731.687303715884105728")
        == ExactDecimal(units: .min))
    #expect(ExactDecimal(parsing: "170141183460469231731.687303715884105728") == nil)
    #expect(ExactDecimal(parsing: "170141183460469231731.6873037158841057275") == nil)
    #expect(ExactDecimal(parsing: "999999999999999999999999999999") == nil)
    #expect(ExactDecimal(parsing: "00000000000000000000000000000000000000001") == .one)
  }

  // MARK: Ordering and equality

  @Test func orderingAndEquality() throws {
    #expect(try dec("5") == dec("5.00"))
    #expect(try dec("5").hashValue == dec("5.00").hashValue)
    #expect(try dec("-0.01") < .zero)
    #expect(try dec("9.48") < dec("9.49"))
    #expect(try dec("-2.35") < dec("-2.345"))
    let sorted = try ["3", "-1", "0.5", "2.25"].map(dec).sorted()
    #expect(sorted.map(\.description) == ["-1", "0.5", "2.25", "3"])
    #expect(try [dec("1.1"), dec("1.01")].max() == dec("1.1"))
  }

  // MARK: Printing and rounding across the range, against plain references

  /// The 64-bit fast paths of printing and rounding agree with the definitions, from single units
  /// to the ends of the range: the digits of the exact value, and half away from zero.
  @Test func printingAndRoundingAgreeWithTheirDefinitions() {
    var random = SplitMix(state: 2026)
    let scale = Int128(ExactDecimal.scale)
    for trial in 0..<20_000 {
      let magnitude = Int128(truncatingIfNeeded: UInt128(random.next()) << 64 | UInt128(random.next()))
      let bits = Int(random.next() % 127)
      var units = magnitude >> (126 - bits)
      if trial % 2 == 0 { units = -units }
      let value = ExactDecimal(units: units)
      let (whole, fraction) = units.magnitude.quotientAndRemainder(dividingBy: UInt128(scale))
      var digits = String(fraction)
      digits = String(repeating: "0", count: 18 - digits.count) + digits
      while digits.last == "0" { digits.removeLast() }
      let sign = units < 0 ? "-" : ""
      #expect(value.description == sign + String(whole) + (digits.isEmpty ? "" : "." + digits))
      for places in [0, 2, 4, 17] {
        let step = Int128(ExactDecimal.pow10(18 - places))
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: step)
        let away: Int128 = remainder.magnitude * 2 >= step.magnitude ? (units < 0 ? -1 : 1) : 0
        let (expected, overflow) = (quotient + away).multipliedReportingOverflow(by: step)
        #expect(value.rounded(places: places).units == (overflow ? units - remainder : expected), "\(units) \(places)")
      }
      // Digits trimmed to a random count, so that every count of places is met.
      let trimmed = ExactDecimal(
        units: units / Int128(ExactDecimal.pow10(trial % 19)) * Int128(ExactDecimal.pow10(trial % 19)))
      for places in -1...19 {
        #expect(trimmed.needsMorePlaces(than: places) == (trimmed.fractionDigitsUsed > places), "\(trimmed) \(places)")
      }
    }
    #expect(ExactDecimal(units: -1).formatted(places: 2) == "0.00")
    #expect(ExactDecimal(units: -5_000_000_000_000_000).formatted(places: 2) == "-0.01")
  }

  /// The 128-bit fast paths of × and ÷ give what the 256-bit way gives, or the same error.
  @Test func productsAndQuotientsAgreeWithTheWideWay() {
    var random = SplitMix(state: 77)
    let scale = UInt128(ExactDecimal.scale)
    func wide(_ n: (high: UInt128, low: UInt128), over d: UInt128, negative: Bool) -> ExactDecimal? {
      guard n.high < d else { return nil }
      let (q, r) = d.dividingFullWidth(n)
      let magnitude = r >= d - r ? q &+ 1 : q
      guard magnitude != 0 || q == 0, magnitude <= UInt128(Int128.max) else { return nil }
      return ExactDecimal(units: negative ? -Int128(magnitude) : Int128(magnitude))
    }
    func draw() -> ExactDecimal {
      let bits = Int(random.next() % 100)
      var raw = Int128(truncatingIfNeeded: UInt128(random.next()) << 64 | UInt128(random.next())) >> (126 - bits)
      // Figures as data gives them, with two decimals or none, take the short ways.
      if random.next() % 2 == 0 { raw = raw / 10_000_000_000_000_000 * 10_000_000_000_000_000 }
      if random.next() % 4 == 0 { raw = raw / Int128(ExactDecimal.scale) * Int128(ExactDecimal.scale) }
      // Multiples of 2^16 that are not of 10^16 pass the short way's first test and must fail its second.
      if random.next() % 5 == 0 { raw = (raw >> 16) << 16 }
      return ExactDecimal(units: random.next() % 3 == 0 ? -raw : raw)
    }
    for _ in 0..<20_000 {
      let (a, b) = (draw(), draw())
      let negative = a.isNegative != b.isNegative
      let product = wide(a.units.magnitude.multipliedFullWidth(by: b.units.magnitude), over: scale, negative: negative)
      #expect((try? a.multiplied(by: b)) == product, "\(a) × \(b)")
      guard !b.isZero else { continue }
      let quotient = wide(a.units.magnitude.multipliedFullWidth(by: scale), over: b.units.magnitude, negative: negative)
      #expect((try? a.divided(by: b)) == quotient, "\(a) ÷ \(b)")
    }
  }

  /// Division of 128 bits by 64 gives what the runtime's 128-bit division gives,
  /// for divisors and dividends of every length (a short divisor, a full one, a top bit set).
  @Test func wideDivisionByASmallDivisorAgreesWithTheRuntime() {
    var random = SplitMix(state: 91)
    for _ in 0..<50_000 {
      let divisor = max(random.next() >> (random.next() % 64), 1)
      let dividend = (UInt128(random.next()) << 64 | UInt128(random.next())) >> (random.next() % 128)
      let (quotient, remainder) = dividend.quotientAndRemainder(dividingBySmall: divisor)
      let expected = dividend.quotientAndRemainder(dividingBy: UInt128(divisor))
      #expect(quotient == expected.quotient && UInt128(remainder) == expected.remainder, "\(dividend) ÷ \(divisor)")
    }
  }

  /// The one-pass parser reads every text as the original split-and-join parser did: random
  /// texts over the characters numbers are written with, and well-formed numbers of every size.
  @Test func parsingAgreesWithTheReferenceParser() {
    var random = SplitMix(state: 88)
    let alphabet = Array("0123456789000.,,+-%1 ")
    for trial in 0..<30_000 {
      var text: String
      if trial % 3 == 0 {
        let whole = String(random.next() % 100_000_000_000)
        let fraction = String(random.next() % 1_000_000_000_000).padding(
          toLength: Int(random.next() % 22), withPad: "0", startingAt: 0)
        text = (random.next() % 4 == 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
        if random.next() % 3 == 0 { text += "%" }
      } else {
        text = String((0..<Int(random.next() % 26)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
      }
      #expect(ExactDecimal(parsing: text) == referenceParse(text), "\(text)")
    }
  }
}

/// The parser as it was before it became one pass over the bytes, kept as the reference.
private func referenceParse(_ text: String) -> ExactDecimal? {
  func isDigits(_ text: Substring) -> Bool {
    text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }
  var body = Substring(text)
  let percent = body.last == "%"
  if percent { body.removeLast() }
  let negative = body.first == "-"
  if body.first == "-" || body.first == "+" { body.removeFirst() }

  let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
  let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
  guard
    let head = groups.first, !head.isEmpty, isDigits(head),
    groups.count == 1 || head.count <= 3,
    groups.dropFirst().allSatisfy({ $0.count == 3 && isDigits($0) })
  else { return nil }
  let fraction = parts.count == 2 ? parts[1] : ""
  guard parts.count == 1 || (!fraction.isEmpty && isDigits(fraction)) else { return nil }

  // All significant digits, and how many of them sit left of the decimal point.
  let digits = (groups.joined() + fraction).utf8.map { UInt128($0 &- UInt8(ascii: "0")) }
  let kept = groups.joined().count - (percent ? 2 : 0) + ExactDecimal.fractionDigits  // >= 16
  var magnitude: UInt128 = 0
  for index in 0..<kept {
    let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
    let (next, overflowB) = shifted.addingReportingOverflow(
      index < digits.count ? digits[index] : 0)
    guard !overflowA, !overflowB else { return nil }
    magnitude = next
  }
  // A digit past the 18th place cannot be kept, and rounding it here would round twice.
  guard kept >= digits.count || digits[kept...].allSatisfy({ $0 == 0 }) else { return nil }
  return try? ExactDecimal.make(magnitude: magnitude, negative: negative)
}
