import Testing

@testable import JixiaoEngine

/// Issue 10, “exact or refused”: + − × ÷ are computed exactly and rounded once; a value that 18
/// digits cannot settle is a diagnostic naming the formula, never a number.
@Suite struct ExactArithmeticTests {
  /// What the real evaluator makes of each formula, written as `设` in a ruleset of this precision.
  static func evaluate(_ formulas: [String], precision: Int) throws -> [CellResult] {
    let definitions = formulas.enumerated().map { "    设 式\($0.offset) = \($0.element)" }.joined(separator: "\n")
    let rules = """
      规则集 "测试" {
        满分 10
        精度 \(precision)
        等级 { 优 ≥ 9；差 }
        指标 甲 10 {
      \(definitions)
          得分 = 10
        }
      }
      """
    let compiled = Compiler.compile(SourceFile(path: "t.rules", text: rules), staticChecks: false)
    #expect(!compiled.diagnostics.hasErrors, "\(compiled.diagnostics.map(\.message))")
    let program = try #require(compiled.plan).program
    let evaluator = Evaluator(program: program, given: [:])
    return formulas.indices.compactMap { index in
      program.cells.firstIndex { $0.name == "式\(index)" }.map { evaluator.cells[$0] }
    }
  }

  static func score(_ formula: String, weight: Int = 10) throws -> (String?, [Diagnostic]) {
    let (sheet, diagnostics) = try EvaluatorTests.run(
      "指标 甲 \(weight) { 得分 = \(formula) }", data: #"{"subject": "s", "inputs": {}}"#, fullMarks: weight)
    return (sheet?.rows.first?.score?.description, diagnostics)
  }

  // MARK: The three cases of the issue

  @Test func tinyProductsOverATinyDivisorKeepTheirDigits() throws {
    // 10^-10 × 4.9 × 10^-9 ÷ 10^-17 = 0.049; rounding the product at 18 digits made it 0.
    let (score, diagnostics) = try Self.score("0.0000000001 × 0.0000000049 ÷ 0.00000000000000001")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(score == "0.05")
  }

  @Test func tinyProductsTimesAHugeFactorKeepTheirDigits() throws {
    let (score, diagnostics) = try Self.score("0.0000000001 × 0.0000000001 × 10000000000000000000")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(score == "0.1")
  }

  @Test func aQuotientUsedAsADivisorIsNotMagnified() throws {
    // 1 ÷ 30000000000 rounded to 18 digits and then divided into 1 gave 30000000300.
    let (score, diagnostics) = try Self.score("1 ÷ （1 ÷ 30000000000 ＋ 0）", weight: 30_000_000_000)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(score == "30000000000")
  }

  /// A definition made of + − × ÷, or a branch of one, counts with its exact value in the formulas
  /// that use it: 0.8625 ÷ 0.9 is 0.958333…, and rounded to 18 digits before × 3 it gave 2.87.
  @Test(arguments: [
    "设 比率 = 实际 ÷ 目标  得分 = 比率 × 3",
    "设 比率 = 如果 目标 = 0 则 1 否则 实际 ÷ 目标  得分 = 封顶（比率 × 3，3）",
    "设 比率 = 实际 ÷ 目标  设 分 = 比率 × 3  得分 = 分 ＋ 0",
    "得分 = 3 ×（如果 目标 = 0 则 1 否则 实际 ÷ 目标）",
  ])
  func definitionsAndBranchesCountWithTheirExactValue(body: String) throws {
    let (sheet, diagnostics) = try EvaluatorTests.run(
      "指标 甲 10 { 输入 实际：百分比  输入 目标：百分比  \(body) }",
      data: #"{"subject": "s", "inputs": {"实际": "86.25%", "目标": "90%"}}"#)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(sheet?.rows.first?.score?.description == "2.88")
  }

  /// The static checks compute constant formulas the same way: 1 ÷ （1 ÷ 3 ＋ 0） is 3, not
  /// 3.000000000000000003 and a spurious E046 on an indicator of 3 points.
  @Test func constantFormulasGetNoSpuriousE046() {
    let rules = testRuleset("指标 甲 3 { 得分 = 1 ÷ （1 ÷ 3 ＋ 0） }  指标 乙 7 { 得分 = 7 }")
    let diagnostics = Compiler.compile(SourceFile(path: "t.rules", text: rules)).diagnostics
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  }

  /// Random constant formulas whose exact value lies within an indicator's 10 points pass the
  /// static checks: none gets E046 from digits lost on the way.
  @Test func randomConstantScoresWithinTheirPointsPassTheStaticChecks() {
    var random = SplitMix(state: 102)
    var scores: [String] = []
    while scores.count < 200 {
      let (text, exact) = Self.formula(leaves: Int.random(in: 2...5, using: &random), exponents: -12...15, &random)
      guard let exact, !exact.numerator.negative, exact.numerator <= TestInteger(10) * exact.denominator else {
        continue
      }
      scores.append(text)
    }
    for batch in stride(from: 0, to: scores.count, by: 50) {
      let indicators = scores[batch..<batch + 50].enumerated().map { "指标 乙\($0.offset) 10 { 得分 = \($0.element) }" }
      let rules = testRuleset(indicators.joined(separator: "\n"), fullMarks: 500)
      let diagnostics = Compiler.compile(SourceFile(path: "t.rules", text: rules)).diagnostics
      #expect(diagnostics.filter { $0.code == .scoreMayExceed }.map(\.message) == [])
    }
  }

  // MARK: Refused

  /// A cell's outcome as text: its value, or the code and message of its failure.
  static func shown(_ result: CellResult) -> String {
    switch result {
    case .value(let value): value.number?.description ?? "\(value)"
    case .failed(let failure): "\(failure.code.rawValue) \(failure.message)"
    case .unknown: "unknown"
    }
  }

  /// 1 ÷ 200.0000000000000001 is just below 0.005 and rounds to 0.005 at 18 digits: at 精度 2 the
  /// exact value scores 0.00 and the rounded one 0.01, so it is refused; at 精度 0 both give 0.
  @Test func aValueThatEighteenDigitsCannotSettleIsRefusedAtThatPrecision() throws {
    let formula = ["1 ÷ 200.0000000000000001"]
    #expect(
      try Self.evaluate(formula, precision: 2).map(Self.shown) == [
        "E058 “1 ÷ 200.0000000000000001”的精确值超过 18 位小数，保留 18 位是 0.005，恰在精度 2 位的进位或比较界限上，无法确定结果"
      ])
    #expect(try Self.evaluate(formula, precision: 0).map(Self.shown) == ["0.005"])
  }

  @Test func aResultBeyondTheRangeIsRefusedAndAnIntermediateOneIsNot() throws {
    let results = try Self.evaluate(
      ["100000000000000000000 × 10", "100000000000000000000 × 10 ÷ 100", "（0 － 100000000000000000000）× 10"],
      precision: 2)
    #expect(
      results.map(Self.shown) == [
        "E042 “100000000000000000000 × 10”的计算结果超出可表示的范围", "10000000000000000000",
        "E042 “（0 － 100000000000000000000）× 10”的计算结果超出可表示的范围",
      ])
  }

  /// Lists are computed element by element, each step rounded at 18 digits; an overflow there
  /// names the formula too.
  @Test func anOverflowInAListNamesTheFormula() throws {
    let (_, diagnostics) = try EvaluatorTests.run(
      "指标 甲 10 { 输入 x：数值 × 2  得分 = 封顶（求和（x × 100000000000000000000），10） }",
      data: #"{"subject": "s", "inputs": {"x": [1, 2]}}"#)
    #expect(diagnostics.map(\.message) == ["指标“甲”：“x × 100000000000000000000”的计算结果超出可表示的范围"])
  }

  @Test func aDivisorThatIsExactlyZeroIsNamedEvenWhenRoundingWouldHideIt() throws {
    // (1 ÷ 3) × 3 − 1 is exactly 0; step by step it was −0.000000000000000001.
    let results = try Self.evaluate(["2 ÷ （1 ÷ 3 × 3 － 1）", "1 ÷ （0.0000000001 × 0.0000000001）"], precision: 2)
    #expect(results.map(Self.shown) == ["E040 除数“（1 ÷ 3 × 3 － 1）”为零", "100000000000000000000"])
  }

  // MARK: The property: exact or refused

  /// Random + − × ÷ over decimals from 10^-12 to 10^16, through the real evaluator, against exact
  /// rationals rounded half away from zero at the ruleset's precision: every answer is the exact
  /// one, or a diagnostic whose reason holds for the exact value.
  @Test func randomFormulasAreExactOrRefused() throws {
    let tally = try Self.check(seed: 20_261_203, rounds: 40, leaves: 2...5, exponents: -12...15)
    // Most formulas give a number; the refusals are the rare ones that must be.
    #expect(tally["equal", default: 0] >= 3400, "\(tally)")
    #expect(tally["E058", default: 0] + tally["E058 below 10^-18", default: 0] <= 200, "\(tally)")
  }

  /// With the magnitudes of budgets and rates (0.01 to 9999), nothing is refused: every answer is
  /// the exact one, and the only diagnostics are divisions by an exact zero.
  @Test func ordinaryFormulasAreAlwaysExact() throws {
    let tally = try Self.check(seed: 2019, rounds: 20, leaves: 2...4, exponents: -2...3)
    #expect(Set(tally.keys).isSubset(of: ["equal", "E040"]), "\(tally)")
    #expect(tally["equal", default: 0] >= 1900, "\(tally)")
  }

  /// Runs `rounds` rulesets of 100 random formulas each, at precisions 2, 10, 0 and 4 in turn, and
  /// counts the verdicts; every verdict must hold.
  static func check(seed: UInt64, rounds: Int, leaves: ClosedRange<Int>, exponents: ClosedRange<Int>) throws
    -> [String: Int]
  {
    var random = SplitMix(state: seed)
    var tally: [String: Int] = [:]
    for round in 0..<rounds {
      let precision = [2, 10, 0, 4][round % 4]
      let cases = (0..<100).map { _ in
        formula(leaves: Int.random(in: leaves, using: &random), exponents: exponents, &random)
      }
      let results = try evaluate(cases.map(\.text), precision: precision)
      try #require(results.count == cases.count)
      for ((text, exact), result) in zip(cases, results) {
        let verdict = judge(result, exact: exact, precision: precision)
        tally[verdict.kind, default: 0] += 1
        #expect(verdict.holds, "精度 \(precision)：\(text) → \(verdict.kind)")
      }
    }
    return tally
  }

  static func judge(_ result: CellResult, exact: TestRational?, precision: Int) -> (kind: String, holds: Bool) {
    switch result {
    case .value(.number(let value)):
      guard let exact else { return ("a number for a zero divisor", false) }
      return ("equal", exact.roundsTo(value.formatted(places: precision), places: precision))
    case .failed(let failure) where failure.code == .divisionByZero:
      return ("E040", exact == nil)
    case .failed(let failure) where failure.code == .arithmeticOverflow:
      guard let exact else { return ("E042 for a zero divisor", false) }
      // |x| · 10^18 ≥ 2^127 − 1/2: beyond every ExactDecimal.
      var twice = exact.numerator * TestInteger.powerOfTen(18) * TestInteger(2)
      twice.negative = false
      let limit = TestInteger(decimal: "340282366920938463463374607431768211455")
      return ("E042", limit * exact.denominator <= twice)
    case .failed(let failure) where failure.code == .inexactResult:
      guard let exact, let start = failure.message.range(of: "保留 18 位是 "),
        let end = failure.message[start.upperBound...].firstIndex(of: "，")
      else { return ("E058 without its value", false) }
      // The 18-digit value is short, within half a unit of the exact one, and not equal to it.
      let shown = String(failure.message[start.upperBound..<end])
      let short = TestRational(decimal: shown).places <= precision + 1
      let differs =
        !(exact.numerator * TestRational(decimal: shown).denominator
        == TestRational(decimal: shown).numerator * exact.denominator)
      // Mostly a value below 10^-18, such as 10^-12 × 10^-9, which is no number of 18 digits.
      return (shown == "0" ? "E058 below 10^-18" : "E058", short && differs && exact.isWithinHalfUnit(of: shown))
    default:
      return ("unexpected \(result)", false)
    }
  }

  static let operations: [Character] = ["＋", "－", "×", "÷"]

  /// A fully bracketed formula and its exact value (nil where it divides by zero).
  static func formula(leaves: Int, exponents: ClosedRange<Int>, _ random: inout SplitMix) -> (
    text: String, exact: TestRational?
  ) {
    guard leaves > 1 else {
      let text = operand(exponents: exponents, &random)
      return (text, TestRational(decimal: text))
    }
    let split = Int.random(in: 1..<leaves, using: &random)
    let (left, right) = (
      formula(leaves: split, exponents: exponents, &random),
      formula(leaves: leaves - split, exponents: exponents, &random)
    )
    let operation = operations[Int.random(in: 0..<4, using: &random)]
    let exact = left.exact.flatMap { a in right.exact.flatMap { a.applying(operation, $0) } }
    return ("（\(left.text) \(operation) \(right.text)）", exact)
  }

  /// A decimal of 1 to 4 significant digits from 10^exponent to 10^(exponent + 1) for an exponent
  /// of the range, or now and then 0.
  static func operand(exponents: ClosedRange<Int>, _ random: inout SplitMix) -> String {
    guard Int.random(in: 0..<40, using: &random) > 0 else { return "0" }
    let digits = Int.random(in: 1...4, using: &random)
    let mantissa = String(Int.random(in: pow10(digits - 1)..<pow10(digits), using: &random))
    let exponent = Int.random(in: exponents, using: &random)
    let shift = exponent - mantissa.count + 1
    if shift >= 0 { return mantissa + String(repeating: "0", count: shift) }
    let padded = String(repeating: "0", count: max(0, -shift - mantissa.count + 1)) + mantissa
    let point = padded.index(padded.endIndex, offsetBy: shift)
    return padded[..<point] + "." + padded[point...]
  }

  static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { result, _ in result * 10 } }
}
