/// An unsigned integer of any size: the numerator and denominator of an `ExactFraction`, which
/// outgrow 128 bits as soon as a formula multiplies or divides a few 18-digit decimals
/// (0.0000000001 × 0.0000000049 ÷ 0.00000000000000001 is 49 × 10^17 / 10^37 before it is 0.049).
struct BigUInt: Comparable, Sendable {
  /// 64-bit digits, least significant first, with no zero digit at the top (zero has none).
  private(set) var limbs: [UInt64]

  static let zero = BigUInt(limbs: [])

  init(_ value: UInt128) {
    self.init(limbs: [UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64)])
  }

  private init(limbs: [UInt64]) {
    self.limbs = limbs
    while self.limbs.last == 0 { self.limbs.removeLast() }
  }

  var isZero: Bool { limbs.isEmpty }

  /// The number of bits up to the highest one bit; 0 for zero.
  var bitWidth: Int {
    guard let top = limbs.last else { return 0 }
    return limbs.count * 64 - top.leadingZeroBitCount
  }

  /// The value, when it fits in 128 bits.
  var uint128: UInt128? {
    limbs.count <= 2 ? UInt128(limb(1)) << 64 | UInt128(limb(0)) : nil
  }

  private func limb(_ index: Int) -> UInt64 { index < limbs.count ? limbs[index] : 0 }

  static func < (a: BigUInt, b: BigUInt) -> Bool {
    guard a.limbs.count == b.limbs.count else { return a.limbs.count < b.limbs.count }
    for index in a.limbs.indices.reversed() where a.limbs[index] != b.limbs[index] {
      return a.limbs[index] < b.limbs[index]
    }
    return false
  }

  static func + (a: BigUInt, b: BigUInt) -> BigUInt {
    let count = max(a.limbs.count, b.limbs.count)
    var sum: [UInt64] = []
    sum.reserveCapacity(count + 1)
    var carry: UInt64 = 0
    for index in 0..<count {
      let (partial, overflowA) = a.limb(index).addingReportingOverflow(b.limb(index))
      let (digit, overflowB) = partial.addingReportingOverflow(carry)
      sum.append(digit)
      carry = (overflowA ? 1 : 0) + (overflowB ? 1 : 0)
    }
    sum.append(carry)
    return BigUInt(limbs: sum)
  }

  /// `a − b`; the caller makes sure that `a ≥ b`.
  static func - (a: BigUInt, b: BigUInt) -> BigUInt {
    var difference = a.limbs
    var borrow: UInt64 = 0
    for index in difference.indices {
      let (partial, overflowA) = difference[index].subtractingReportingOverflow(b.limb(index))
      let (digit, overflowB) = partial.subtractingReportingOverflow(borrow)
      difference[index] = digit
      borrow = (overflowA ? 1 : 0) + (overflowB ? 1 : 0)
    }
    return BigUInt(limbs: difference)
  }

  static func * (a: BigUInt, b: BigUInt) -> BigUInt {
    guard !a.isZero, !b.isZero else { return .zero }
    var product = [UInt64](repeating: 0, count: a.limbs.count + b.limbs.count)
    for (i, x) in a.limbs.enumerated() {
      var carry: UInt64 = 0
      for (j, y) in b.limbs.enumerated() {
        let (high, low) = x.multipliedFullWidth(by: y)
        let (partial, overflowA) = low.addingReportingOverflow(product[i + j])
        let (digit, overflowB) = partial.addingReportingOverflow(carry)
        product[i + j] = digit
        // x·y + digit + carry < 2^128, so the new carry fits in 64 bits.
        carry = high &+ (overflowA ? 1 : 0) &+ (overflowB ? 1 : 0)
      }
      product[i + b.limbs.count] = carry
    }
    return BigUInt(limbs: product)
  }

  /// The value times 2^bits.
  func shiftedLeft(by bits: Int) -> BigUInt {
    guard !isZero, bits > 0 else { return self }
    let (whole, part) = (bits / 64, bits % 64)
    var shifted = [UInt64](repeating: 0, count: whole)
    var carry: UInt64 = 0
    for digit in limbs {
      shifted.append(digit << part | carry)
      carry = part == 0 ? 0 : digit >> (64 - part)
    }
    shifted.append(carry)
    return BigUInt(limbs: shifted)
  }

  /// The value divided by 2, rounded down.
  func halved() -> BigUInt {
    var result = limbs
    for index in result.indices {
      result[index] = result[index] >> 1 | (limb(index + 1) << 63)
    }
    return BigUInt(limbs: result)
  }

  /// The quotient and remainder when the quotient fits in 128 bits; nil when it does not or the
  /// divisor is zero. A quotient that large is beyond every `ExactDecimal`, which is all this
  /// division is for, so it never needs more than 128 steps.
  func quotientAndRemainder(dividingBy divisor: BigUInt) -> (quotient: UInt128, remainder: BigUInt)? {
    guard !divisor.isZero else { return nil }
    if let d = divisor.uint128, limbs.count <= 4 {
      let high = UInt128(limb(3)) << 64 | UInt128(limb(2))
      guard high < d else { return nil }
      let (quotient, remainder) = d.dividingFullWidth((high, UInt128(limb(1)) << 64 | UInt128(limb(0))))
      return (quotient, BigUInt(remainder))
    }
    let shift = bitWidth - divisor.bitWidth
    guard shift >= 0 else { return (0, self) }
    guard shift <= 128 else { return nil }
    // Binary long division: subtract the divisor times 2^k wherever it fits, from the top.
    var remainder = self
    var step = divisor.shiftedLeft(by: shift)
    var quotient: UInt128 = 0
    for bit in stride(from: shift, through: 0, by: -1) {
      if !(remainder < step) {
        guard bit < 128 else { return nil }
        remainder = remainder - step
        quotient |= 1 << bit
      }
      step = step.halved()
    }
    return (quotient, remainder)
  }
}
