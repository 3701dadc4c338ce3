import Testing

@testable import JixiaoEngine

/// The wide integers and fractions behind exact formulas.
@Suite struct ExactFractionTests {
  static let max128 = BigUInt(.max)

  @Test func carriesAndBorrowsCrossDigits() {
    let sum = Self.max128 + BigUInt(1)
    #expect(sum.limbs == [0, 0, 1])
    #expect(sum.bitWidth == 129)
    #expect((sum - BigUInt(1)).uint128 == .max)
    #expect(sum.uint128 == nil)
    #expect((sum - sum).isZero)
  }

  @Test func productsOfTheWidestNumbers() {
    // (2^128 − 1)² = 2^256 − 2^129 + 1.
    let square = Self.max128 * Self.max128
    #expect(square.limbs == [1, 0, .max - 1, .max])
    #expect((square * .zero).isZero)
    #expect((BigUInt(3) * BigUInt(5)).uint128 == 15)
  }

  @Test func shiftsAndHalves() {
    let big = BigUInt(1).shiftedLeft(by: 200)
    #expect(big.bitWidth == 201)
    #expect(big.limbs == [0, 0, 0, 1 << 8])
    var halved = big
    for _ in 0..<200 { halved = halved.halved() }
    #expect(halved.uint128 == 1)
  }

  /// n = q·d + r divides back into q and r, for quotients up to 128 bits and wide divisors.
  @Test func divisionUndoesMultiplication() throws {
    var random = SplitMix(state: 7)
    for _ in 0..<300 {
      let q = (UInt128(random.next()) << 64 | UInt128(random.next())) >> Int.random(in: 0...127, using: &random)
      let d =
        BigUInt(UInt128(random.next()) << 64 | UInt128(random.next()))
        * BigUInt(UInt128(random.next()) >> Int.random(in: 0...63, using: &random) | 1)
      let r = random.next() % 2 == 0 ? d - BigUInt(1) : d.halved()
      let (quotient, remainder) = try #require((BigUInt(q) * d + r).quotientAndRemainder(dividingBy: d))
      #expect(quotient == q)
      #expect(remainder.limbs == r.limbs)
    }
  }

  @Test func divisionRefusesQuotientsBeyond128BitsAndZeroDivisors() {
    let huge = BigUInt(1).shiftedLeft(by: 300)
    #expect(huge.quotientAndRemainder(dividingBy: BigUInt(1).shiftedLeft(by: 172)) == nil)
    #expect(huge.quotientAndRemainder(dividingBy: BigUInt(1).shiftedLeft(by: 173))?.quotient == 1 << 127)
    #expect(huge.quotientAndRemainder(dividingBy: .zero) == nil)
    #expect(BigUInt(5).quotientAndRemainder(dividingBy: huge)?.quotient == 0)
  }

  static func fraction(_ text: String) throws -> ExactFraction {
    ExactFraction(try #require(ExactDecimal(parsing: text)))
  }

  @Test func decimalsBecomeShortFractions() throws {
    let tenth = try Self.fraction("0.9")
    #expect(tenth.numerator.uint128 == 9 && tenth.denominator.uint128 == 10)
    let three = try Self.fraction("-3")
    #expect(three.negative && three.numerator.uint128 == 3 && three.denominator.uint128 == 1)
    #expect(try Self.fraction("0").denominator.uint128 == 1)
    let large = try Self.fraction("100000000000000000000")
    // At most 18 zeros go: the denominator is 10^18 at most, and here 1.
    #expect(large.numerator.uint128 == 100_000_000_000_000_000_000 && large.denominator.uint128 == 1)
  }

  @Test func roundsOnceHalfAwayFromZeroAndSaysWhetherExactly() throws {
    let third = try Self.fraction("1").divided(by: Self.fraction("3"))
    #expect(third.rounded()?.value.description == "0.333333333333333333")
    #expect(third.rounded()?.exact == false)
    let twoThirds = try Self.fraction("-2").divided(by: Self.fraction("3"))
    #expect(twoThirds.rounded()?.value.description == "-0.666666666666666667")
    let exact = try Self.fraction("0.8625").divided(by: Self.fraction("0.9")).multiplied(by: Self.fraction("3"))
    #expect(exact.rounded()?.value.description == "2.875")
    #expect(exact.rounded()?.exact == true)
    // Wide numbers on the way, a short result at the end.
    let tiny = try Self.fraction("0.000000000000000001")
    let back = tiny.multiplied(by: tiny).multiplied(by: tiny).divided(by: tiny.multiplied(by: tiny))
    #expect(back.rounded()?.value.description == "0.000000000000000001")
    #expect(try Self.fraction("0.5").adding(Self.fraction("-0.75")).rounded()?.value.description == "-0.25")
  }

  @Test func roundingRefusesValuesBeyondTheRange() throws {
    let big = try Self.fraction("100000000000000000000")
    #expect(big.multiplied(by: big).rounded() == nil)
    #expect(try big.divided(by: Self.fraction("0.5")).rounded() == nil)
    #expect(try big.divided(by: Self.fraction("-2")).rounded()?.value.description == "-50000000000000000000")
  }
}
