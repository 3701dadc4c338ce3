extension UInt128 {
  /// Division by a divisor that fits in 64 bits: one 128-by-64 division where the quotient fits
  /// in 64 bits, as it does when a score is rounded by 10^16 (the runtime's general 128-bit
  /// division takes longer).
  @inline(__always)
  func quotientAndRemainder(dividingBySmall divisor: UInt64) -> (quotient: UInt128, remainder: UInt64) {
    let (high, low) = (UInt64(truncatingIfNeeded: self >> 64), UInt64(truncatingIfNeeded: self))
    if high == 0 {
      let (quotient, remainder) = low.quotientAndRemainder(dividingBy: divisor)
      return (UInt128(quotient), remainder)
    }
    let (highQuotient, highRemainder) = high < divisor ? (0, high) : high.quotientAndRemainder(dividingBy: divisor)
    // highRemainder < divisor, so the quotient of this step fits in 64 bits.
    let (lowQuotient, remainder) = divisor.dividingFullWidth((highRemainder, low))
    return (UInt128(highQuotient) << 64 | UInt128(lowQuotient), remainder)
  }
}
