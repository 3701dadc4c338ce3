/// The loop that runs a compiled plan's instructions over a frame's registers: one switch per
/// instruction, no call per step except for the arithmetic that needs one. false when an
/// instruction fails: the record then goes to `Scorer`.
extension CompiledPlan {
  func execute(_ code: UnsafeBufferPointer<Instruction>, _ frame: Frame) -> Bool {
    let r = frame.registers
    let f = frame.fractions
    let precision = min(max(plan.program.precision, 0), ExactDecimal.fractionDigits)
    // Scores are rounded to multiples of `scoreStep` units; a rounded step's result must not be
    // a multiple of `placesStep` (E042), if there is such a step.
    let scoreStep = UInt64(ExactDecimal.pow10(ExactDecimal.fractionDigits - precision))
    let placesStep = precision + 1 < ExactDecimal.fractionDigits ? scoreStep / 10 : nil
    let (bounds, checks, lookups, lookupStarts) = (tables.bounds, tables.checks, tables.lookups, tables.lookupStarts)
    let (items, itemStarts) = (tables.items, tables.itemStarts)
    var pc = 0
    while pc < code.count {
      let instruction = code[pc]
      pc &+= 1
      switch instruction {
      case .add(let t, let a, let b):
        let (sum, overflow) = r[Int(a)].addingReportingOverflow(r[Int(b)])
        if overflow { return false }
        r[Int(t)] = sum
      case .subtract(let t, let a, let b):
        let (difference, overflow) = r[Int(a)].subtractingReportingOverflow(r[Int(b)])
        if overflow { return false }
        r[Int(t)] = difference
      case .multiply(let t, let a, let b):
        guard let value = try? ExactDecimal(units: r[Int(a)]).multiplied(by: ExactDecimal(units: r[Int(b)]))
        else { return false }
        r[Int(t)] = value.units
      case .divide(let t, let a, let b):
        guard let value = try? ExactDecimal(units: r[Int(a)]).divided(by: ExactDecimal(units: r[Int(b)]))
        else { return false }
        r[Int(t)] = value.units
      case .product(let t, let a, let b):
        guard
          let value = Self.once(
            placesStep, try? ExactDecimal(units: r[Int(a)]).product(ExactDecimal(units: r[Int(b)])))
        else { return false }
        r[Int(t)] = value
      case .quotient(let t, let a, let b):
        guard
          let value = Self.once(
            placesStep, try? ExactDecimal(units: r[Int(a)]).quotient(ExactDecimal(units: r[Int(b)])))
        else { return false }
        r[Int(t)] = value
      case .multiplyWhole(let t, let a, let b):
        let (value, overflow) = r[Int(a)].multipliedReportingOverflow(by: r[Int(b)])
        if overflow { return false }
        r[Int(t)] = value
      case .exactProduct(let t, let a, let b):
        guard let (value, exact) = try? ExactDecimal(units: r[Int(a)]).product(ExactDecimal(units: r[Int(b)])), exact
        else { return false }
        r[Int(t)] = value.units
      case .negate(let t, let a):
        if r[Int(a)] == .min { return false }
        r[Int(t)] = -r[Int(a)]
      case .absolute(let t, let a):
        if r[Int(a)] == .min { return false }
        r[Int(t)] = abs(r[Int(a)])
      case .not(let t, let a):
        r[Int(t)] = r[Int(a)] == 0 ? 1 : 0
      case .minimum(let t, let a, let b):
        r[Int(t)] = min(r[Int(a)], r[Int(b)])
      case .maximum(let t, let a, let b):
        r[Int(t)] = max(r[Int(a)], r[Int(b)])
      case .compare(let t, let a, let b, let test):
        r[Int(t)] = test.holds(r[Int(a)], r[Int(b)]) ? 1 : 0
      case .round(let t, let a, let places):
        r[Int(t)] = ExactDecimal(units: r[Int(a)]).rounded(places: Int(places)).units
      case .floor(let t, let a, let places), .ceiling(let t, let a, let places):
        let upward = if case .ceiling = instruction { true } else { false }
        guard let value = try? ExactDecimal(units: r[Int(a)]).roundedToward(upward: upward, places: Int(places))
        else { return false }
        r[Int(t)] = value.units
      case .days(let t, let a, let b):
        let (days, overflow) = r[Int(b)].subtractingReportingOverflow(r[Int(a)])
        guard !overflow, let count = Int(exactly: days) else { return false }
        r[Int(t)] = ExactDecimal(count).units
      case .move(let t, let a):
        r[Int(t)] = r[Int(a)]
      case .checklist(let total, let index):
        var sum: Int128 = 0
        for item in Int(itemStarts[Int(index)])..<Int(itemStarts[Int(index) + 1])
        where r[Int(items[item].condition)] != 0 {
          let overflow: Bool
          (sum, overflow) = sum.addingReportingOverflow(r[Int(items[item].points)])
          if overflow { return false }
        }
        r[Int(total)] = sum
      case .lookup(let result, let subject, let index):
        let value = r[Int(subject)]
        var band = Int(lookupStarts[Int(index)])
        let end = Int(lookupStarts[Int(index) + 1])
        while band < end && !lookups[band].bounds.contains(value) { band += 1 }
        if band == end { return false }  // E043 in the full sheet
        r[Int(result)] = r[Int(lookups[band].result)]
      case .jump(let to):
        pc = Int(to)
      case .jumpIfZero(let a, let to):
        if r[Int(a)] == 0 { pc = Int(to) }
      case .jumpIfNotZero(let a, let to):
        if r[Int(a)] != 0 { pc = Int(to) }
      case .jumpUnlessWithin(let a, let index, let to):
        if !bounds[Int(index)].contains(r[Int(a)]) { pc = Int(to) }
      case .jumpUnless(let a, let b, let to, let test):
        if !test.holds(r[Int(a)], r[Int(b)]) { pc = Int(to) }
      case .jumpIfGiven(let cell, let to):
        if frame.known[Int(cell)] { pc = Int(to) }
      case .fail:
        return false
      case .require(let cell):
        if !frame.known[Int(cell)] { return false }
      case .checkDefault(let a, let check):
        guard checks[Int(check)].accepts(r[Int(a)]) else { return false }
      case .fraction(let t, let a):
        f[Int(t)] = SmallFraction(ExactDecimal(units: r[Int(a)]))
      case .fractionAdd(let t, let a, let b):
        guard let value = f[Int(a)].adding(f[Int(b)]) else { return false }
        f[Int(t)] = value
      case .fractionSubtract(let t, let a, let b):
        guard let value = f[Int(a)].adding(f[Int(b)].negated) else { return false }
        f[Int(t)] = value
      case .fractionMultiply(let t, let a, let b):
        guard let value = f[Int(a)].multiplied(by: f[Int(b)]) else { return false }
        f[Int(t)] = value
      case .fractionDivide(let t, let a, let b):
        guard !f[Int(b)].isZero, let value = f[Int(a)].divided(by: f[Int(b)]) else { return false }
        f[Int(t)] = value
      case .fractionNegate(let t, let a):
        f[Int(t)] = f[Int(a)].negated
      case .fractionMove(let t, let a):
        f[Int(t)] = f[Int(a)]
      case .roundFraction(let t, let a):
        guard let value = Self.once(placesStep, f[Int(a)].rounded()) else { return false }
        r[Int(t)] = value
      case .score(let t, let a, let weight, let exact):
        let value = exact ? r[Int(a)] : ExactDecimal(units: r[Int(a)]).rounded(step: scoreStep).units
        guard value >= 0, value <= r[Int(weight)] else { return false }  // E041 in the full sheet
        r[Int(t)] = value
      }
    }
    return true
  }

  /// A value rounded once at 18 places, where `Evaluator.rounded` accepts it: exact, or with
  /// more places than the ruleset's precision needs (else E042 in the full sheet).
  @inline(__always)
  private static func once(_ placesStep: UInt64?, _ result: (value: ExactDecimal, exact: Bool)?) -> Int128? {
    guard let (value, exact) = result else { return nil }
    guard exact || placesStep.map({ !value.isMultiple(ofStep: $0) }) ?? false else { return nil }
    return value.units
  }
}
