/// Exact rationals for the property test of the evaluator's arithmetic, written independently of
/// the engine's `BigUInt` and `ExactFraction`: plain schoolbook arithmetic on base-10^9 digits,
/// slow and simple, so that the two do not share a mistake.
struct TestInteger: Equatable {
  static let base: UInt64 = 1_000_000_000
  var negative = false
  /// Base-10^9 digits, least significant first, no zero digit at the top.
  var digits: [UInt64] = []

  init(_ value: Int) {
    negative = value < 0
    var rest = value.magnitude
    while rest > 0 {
      digits.append(UInt64(rest % UInt(Self.base)))
      rest /= UInt(Self.base)
    }
  }

  /// Decimal digits without sign or point.
  init(decimal text: Substring) {
    var chunks: [UInt64] = []
    var end = text.endIndex
    while end > text.startIndex {
      let start = text.index(end, offsetBy: -9, limitedBy: text.startIndex) ?? text.startIndex
      chunks.append(UInt64(text[start..<end]) ?? 0)
      end = start
    }
    digits = chunks
    trim()
  }

  var isZero: Bool { digits.isEmpty }

  mutating func trim() {
    while digits.last == 0 { digits.removeLast() }
    if digits.isEmpty { negative = false }
  }

  static func compareMagnitudes(_ a: [UInt64], _ b: [UInt64]) -> Int {
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    for index in a.indices.reversed() where a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
    return 0
  }

  static func addMagnitudes(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
    var result: [UInt64] = []
    var carry: UInt64 = 0
    for index in 0..<max(a.count, b.count) {
      let sum = (index < a.count ? a[index] : 0) + (index < b.count ? b[index] : 0) + carry
      result.append(sum % base)
      carry = sum / base
    }
    if carry > 0 { result.append(carry) }
    return result
  }

  /// a − b for |a| ≥ |b|.
  static func subtractMagnitudes(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
    var result: [UInt64] = []
    var borrow: UInt64 = 0
    for index in a.indices {
      let subtrahend = (index < b.count ? b[index] : 0) + borrow
      if a[index] >= subtrahend {
        result.append(a[index] - subtrahend)
        borrow = 0
      } else {
        result.append(a[index] + base - subtrahend)
        borrow = 1
      }
    }
    return result
  }

  static func + (a: TestInteger, b: TestInteger) -> TestInteger {
    var result = TestInteger(0)
    if a.negative == b.negative {
      result.digits = addMagnitudes(a.digits, b.digits)
      result.negative = a.negative
    } else if compareMagnitudes(a.digits, b.digits) >= 0 {
      result.digits = subtractMagnitudes(a.digits, b.digits)
      result.negative = a.negative
    } else {
      result.digits = subtractMagnitudes(b.digits, a.digits)
      result.negative = b.negative
    }
    result.trim()
    return result
  }

  static prefix func - (a: TestInteger) -> TestInteger {
    var result = a
    result.negative.toggle()
    result.trim()
    return result
  }

  static func - (a: TestInteger, b: TestInteger) -> TestInteger { a + -b }

  static func * (a: TestInteger, b: TestInteger) -> TestInteger {
    var product = [UInt64](repeating: 0, count: a.digits.count + b.digits.count + 1)
    for (i, x) in a.digits.enumerated() {
      var carry: UInt64 = 0
      for (j, y) in b.digits.enumerated() {
        let total = product[i + j] + x * y + carry
        product[i + j] = total % base
        carry = total / base
      }
      var k = i + b.digits.count
      while carry > 0 {
        let total = product[k] + carry
        product[k] = total % base
        carry = total / base
        k += 1
      }
    }
    var result = TestInteger(0)
    result.digits = product
    result.negative = a.negative != b.negative
    result.trim()
    return result
  }

  static func < (a: TestInteger, b: TestInteger) -> Bool { (a - b).negative }
  static func <= (a: TestInteger, b: TestInteger) -> Bool { !(b < a) }

  static func powerOfTen(_ exponent: Int) -> TestInteger {
    TestInteger(decimal: Substring("1" + String(repeating: "0", count: exponent)))
  }
}

/// numerator / denominator with a positive denominator.
struct TestRational {
  var numerator: TestInteger
  var denominator: TestInteger
  /// For a decimal literal, its number of decimals (the denominator is 10^places).
  var places = 0

  /// A decimal literal such as "0.0000000049", "-3" or "123000".
  init(decimal text: String) {
    let negative = text.hasPrefix("-")
    let parts = text.drop { $0 == "-" }.split(separator: ".")
    let fraction = parts.count > 1 ? parts[1] : ""
    let magnitude = TestInteger(decimal: Substring(parts[0] + fraction))
    numerator = negative ? -magnitude : magnitude
    denominator = TestInteger.powerOfTen(fraction.count)
    places = fraction.count
  }

  init(_ numerator: TestInteger, _ denominator: TestInteger) {
    (self.numerator, self.denominator) = denominator.negative ? (-numerator, -denominator) : (numerator, denominator)
  }

  /// The result, or nil for a division by exactly zero.
  func applying(_ operation: Character, _ other: TestRational) -> TestRational? {
    switch operation {
    case "＋":
      TestRational(numerator * other.denominator + other.numerator * denominator, denominator * other.denominator)
    case "－":
      TestRational(numerator * other.denominator - other.numerator * denominator, denominator * other.denominator)
    case "×": TestRational(numerator * other.numerator, denominator * other.denominator)
    default:
      other.numerator.isZero ? nil : TestRational(numerator * other.denominator, denominator * other.numerator)
    }
  }
  /// Whether `text` (an exact decimal such as "0.05", "-3" or "30000000000") is this value rounded
  /// half away from zero to `places` decimals: with k = text × 10^places and x = n / d,
  /// (2k − 1)·d ≤ 2x·10^places·d < (2k + 1)·d for x ≥ 0, and the mirror image below zero.
  func roundsTo(_ text: String, places: Int) -> Bool {
    let k = TestRational(decimal: text).scaled(to: places)
    let twice = numerator * TestInteger.powerOfTen(places) * TestInteger(2)
    let (low, high) = (TestInteger(2) * k - TestInteger(1), TestInteger(2) * k + TestInteger(1))
    return numerator.negative
      ? low * denominator < twice && twice <= high * denominator
      : low * denominator <= twice && twice < high * denominator
  }

  /// Whether this value differs from `text` by at most half a unit of the 18th decimal place.
  func isWithinHalfUnit(of text: String) -> Bool {
    let c = TestRational(decimal: text)
    let scale = TestInteger.powerOfTen(18) * TestInteger(2)
    var gap = (numerator * c.denominator - c.numerator * denominator) * scale
    gap.negative = false
    return gap <= denominator * c.denominator
  }

  /// The integer value × 10^places of a decimal with at most that many places.
  func scaled(to places: Int) -> TestInteger {
    numerator * TestInteger.powerOfTen(places - self.places)
  }

  var isZero: Bool { numerator.isZero }
}
