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
      let step = code[pc]
      pc &+= 1
      let (x, y, z) = (Int(step.x), Int(step.y), Int(step.z))
      switch step.operation {
      case .add:
        let (sum, overflow) = r[y].addingReportingOverflow(r[z])
        if overflow { return false }
        r[x] = sum
      case .subtract:
        let (difference, overflow) = r[y].subtractingReportingOverflow(r[z])
        if overflow { return false }
        r[x] = difference
      case .multiply:
        guard let (value, _) = try? ExactDecimal(units: r[y]).product(ExactDecimal(units: r[z])) else { return false }
        r[x] = value.units
      case .divide:
        guard let (value, _) = try? ExactDecimal(units: r[y]).quotient(ExactDecimal(units: r[z])) else { return false }
        r[x] = value.units
      case .product:
        guard let value = Self.once(placesStep, try? ExactDecimal(units: r[y]).product(ExactDecimal(units: r[z])))
        else { return false }
        r[x] = value
      case .quotient:
        guard let value = Self.once(placesStep, try? ExactDecimal(units: r[y]).quotient(ExactDecimal(units: r[z])))
        else { return false }
        r[x] = value
      case .multiplyWhole:
        let (value, overflow) = r[y].multipliedReportingOverflow(by: r[z])
        if overflow { return false }
        r[x] = value
      case .exactProduct:
        guard let (value, exact) = try? ExactDecimal(units: r[y]).product(ExactDecimal(units: r[z])), exact
        else { return false }
        r[x] = value.units
      case .negate:
        if r[y] == .min { return false }
        r[x] = -r[y]
      case .absolute:
        if r[y] == .min { return false }
        r[x] = abs(r[y])
      case .not:
        r[x] = r[y] == 0 ? 1 : 0
      case .minimum:
        r[x] = min(r[y], r[z])
      case .maximum:
        r[x] = max(r[y], r[z])
      case .less:
        r[x] = r[y] < r[z] ? 1 : 0
      case .lessEqual:
        r[x] = r[y] <= r[z] ? 1 : 0
      case .equal:
        r[x] = r[y] == r[z] ? 1 : 0
      case .notEqual:
        r[x] = r[y] != r[z] ? 1 : 0
      case .round:
        r[x] = ExactDecimal(units: r[y]).rounded(places: z).units
      case .floor, .ceiling:
        guard let value = try? ExactDecimal(units: r[y]).roundedToward(upward: step.operation == .ceiling, places: z)
        else { return false }
        r[x] = value.units
      case .days:
        let (days, overflow) = r[z].subtractingReportingOverflow(r[y])
        guard !overflow, let count = Int(exactly: days) else { return false }
        r[x] = ExactDecimal(count).units
      case .move:
        r[x] = r[y]
      case .checklist:
        var sum: Int128 = 0
        for item in Int(itemStarts[y])..<Int(itemStarts[y + 1]) where r[Int(items[item].condition)] != 0 {
          let overflow: Bool
          (sum, overflow) = sum.addingReportingOverflow(r[Int(items[item].points)])
          if overflow { return false }
        }
        r[x] = sum
      case .lookup:
        let value = r[y]
        var band = Int(lookupStarts[z])
        let end = Int(lookupStarts[z + 1])
        while band < end && !lookups[band].bounds.contains(value) { band += 1 }
        if band == end { return false }  // E043 in the full sheet
        r[x] = r[Int(lookups[band].result)]
      case .jump:
        pc = z
      case .jumpIfZero:
        if r[x] == 0 { pc = z }
      case .jumpIfNotZero:
        if r[x] != 0 { pc = z }
      case .jumpUnlessWithin:
        if !bounds[y].contains(r[x]) { pc = z }
      case .jumpUnlessLess:
        if !(r[x] < r[y]) { pc = z }
      case .jumpUnlessLessEqual:
        if !(r[x] <= r[y]) { pc = z }
      case .jumpUnlessEqual:
        if r[x] != r[y] { pc = z }
      case .jumpUnlessNotEqual:
        if r[x] == r[y] { pc = z }
      case .jumpIfGiven:
        if frame.known[x] { pc = z }
      case .fail:
        return false
      case .require:
        if !frame.known[x] { return false }
      case .checkDefault:
        guard checks[y].accepts(r[x]) else { return false }
      case .fraction:
        f[x] = SmallFraction(ExactDecimal(units: r[y]))
      case .fractionAdd:
        guard let value = f[y].adding(f[z]) else { return false }
        f[x] = value
      case .fractionSubtract:
        guard let value = f[y].adding(f[z].negated) else { return false }
        f[x] = value
      case .fractionMultiply:
        guard let value = f[y].multiplied(by: f[z]) else { return false }
        f[x] = value
      case .fractionDivide:
        guard !f[z].isZero, let value = f[y].divided(by: f[z]) else { return false }
        f[x] = value
      case .fractionNegate:
        f[x] = f[y].negated
      case .fractionMove:
        f[x] = f[y]
      case .roundFraction:
        guard let value = Self.once(placesStep, f[y].rounded()) else { return false }
        r[x] = value
      case .score, .scoreExact:
        let value = step.operation == .scoreExact ? r[y] : ExactDecimal(units: r[y]).rounded(step: scoreStep).units
        guard value >= 0, value <= r[z] else { return false }  // E041 in the full sheet
        r[x] = value
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
