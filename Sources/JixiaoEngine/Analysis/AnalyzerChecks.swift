extension Analyzer {
  /// A leaf's score must stay within [0, 分值] for every input in the declared domains.
  mutating func checkBounds(of indicator: CheckedIndicator, score value: AbstractValue) {
    guard let score = indicator.score, let range = value.interval else { return }
    let rounded = range.mapEnds { $0.rounded(places: program.precision) }
    let tooLow = rounded.lower.map { $0.isNegative } ?? true
    let tooHigh = rounded.upper.map { $0 > indicator.weight } ?? true
    let isChecklist: Bool = if case .checklist = score.kind { true } else { false }  // W007 says it better
    if !tooLow && !tooHigh && !isChecklist, let best = rounded.upper, best < indicator.weight {
      report(
        .fullMarksUnreachable, .warning, at: score.span,
        "指标\(indicator.name.quotedName)按声明的取值范围最高只能得 \(best) 分，达不到它的分值 \(indicator.weight)",
        notes: ["多半是评审范围、分档或清单的分数与分值不一致；如标准确实如此，请用“# 读法：”注释说明"])
      return
    }
    guard tooLow || tooHigh else { return }
    let reach =
      tooHigh
      ? rounded.upper.map { "最高可达 \($0)" } ?? "没有上限" : rounded.lower.map { "最低可达 \($0)" } ?? "没有下限"
    var notes: [String] = []
    if let example = Counterexample.search(for: indicator, in: program) {
      notes.append(
        "反例：当 \(example.inputs) 时，得分 = \(example.score)，\(example.score.isNegative ? "低于 0 分" : "超过 \(indicator.weight) 分")"
      )
    } else {
      notes.append("未找到具体的反例，但按声明的取值范围无法证明得分不超出")
    }
    if tooHigh, let best = rounded.upper, score.writtenNumbers.contains(best) {
      // 分值 changed from 6 to 4 while the formula still says × 6 or 封顶（…，6）.
      notes.append(
        "公式最高得 \(best) 分，正是公式中写的 \(best)：多半是指标分值改成了 \(indicator.weight)，公式仍按原来的 \(best) 分计算；请把公式按 \(indicator.weight) 分改写（如 × \(best) 改为 × \(indicator.weight)，封顶（…，\(best)）改为 封顶（…，\(indicator.weight)））"
      )
    } else {
      notes.append("在公式中用“封顶（…，\(indicator.weight)）”“保底（…，0）”写明上下限，证明即可通过")
    }
    report(
      .scoreMayExceed, at: score.span,
      "指标\(indicator.name.quotedName)的得分可能超出 0 到 \(indicator.weight) 分：按声明的取值范围\(reach)",
      notes: notes)
  }

  /// A 缺省 formula must give what the input declares: the rest of the analysis relies on it.
  mutating func checkDefault(_ value: AbstractValue, of index: Int, spec: InputSpec, expression: CheckedExpression) {
    let domain = AbstractValue.domain(of: spec.element)
    guard let allowed = domain.interval, let range = value.interval else { return }
    let below = allowed.lower.map { low in range.lower.map { $0 < low } ?? true } ?? false
    let above = allowed.upper.map { high in range.upper.map { $0 > high } ?? true } ?? false
    let fractional = domain.isInteger && !value.isInteger
    guard below || above || fractional else { return }
    let cell = program.cells[index]
    func show(_ number: ExactDecimal) -> String { Value.number(number).display(asPercent: cell.isPercent) }
    // Below a declared lower end other than 0, “负数” would not be the problem.
    let lowest = allowed.lower.map(show) ?? "0"
    let problem =
      fractional
      ? "可能算出非整数"
      : below
        ? "可能算出\(range.lower.map { " " + show($0) } ?? (lowest == "0" || lowest == "0%" ? "负数" : "低于 \(lowest) 的值"))"
        : "可能算出\(range.upper.map { " " + show($0) } ?? "超过 \(allowed.upper.map(show) ?? "上限") 的值")"
    let example = below ? "保底（…，\(lowest)）" : "封顶（…，\(allowed.upper.map(show) ?? "上限")）"
    report(
      .defaultOutOfRange, at: expression.span,
      "输入\(cell.name.quotedName)的缺省公式\(problem)，不在它声明的取值范围 \(allowed.display(percent: cell.isPercent)) 内",
      notes: ["用“保底”“封顶”“绝对值”或“如果”让缺省值留在范围内，如：\(fractional ? "保底（…，0）" : example)"])
  }

  /// A divisor that can be zero for some input in the declared domains, with no guard around it.
  mutating func checkDivisor(_ divisor: CheckedExpression, _ value: AbstractValue, in division: CheckedExpression) {
    guard let range = value.interval, range.contains(.zero) else { return }
    var names: [String] = []
    EvaluationPlan.cells(in: divisor) { index in
      let name = program.cells[index].name
      if !names.contains(name) { names.append(name) }
    }
    let guardExample = "如果 \(text(divisor)) = 0 则 … 否则 …"
    report(
      .divisionMayBeZero, at: divisor.span, "除数“\(text(divisor))”在声明的取值范围内可能为零",
      notes: [
        names.isEmpty ? "除数是常数 0" : "涉及：\(names.joined(separator: "、"))（数据可以为 0）",
        "先判断除数为零的情况，如：\(guardExample)",
      ])
  }

  mutating func analyzeBands(
    _ subject: CheckedExpression, _ bands: [CheckedBand], in expression: CheckedExpression, _ environment: Environment
  ) -> AbstractValue {
    let subjectValue = analyze(subject, environment)
    var result: AbstractValue?
    func take(_ band: CheckedBand, _ environment: Environment) {
      let value = analyze(band.result, environment)
      result = result.map { $0.joined(value) } ?? value
    }
    guard case .number(let range, let integer) = subjectValue else {
      for band in bands { take(band, environment) }
      return result ?? .unknown
    }
    let percent = isPercent(subject)
    // Limits lacking % (W008) make arms overlap or die only as a repeat of that slip; a value no
    // arm scores is still an error whatever the cause.
    let slipped = program.bandsLackingPercent.contains(expression.span.start.offset)
    func show(_ interval: Interval) -> String { interval.display(percent: percent) }
    var remaining = [range]
    var taken: [(Interval, Int)] = []
    for (position, band) in bands.enumerated() {
      let covers: Interval
      switch band.test {
      case .interval(let interval): covers = interval
      case .otherwise: covers = .everything
      case .option: continue
      }
      let reachable = remaining.map { $0.intersection(covers) }.filter { !$0.isEmpty }
      if reachable.isEmpty && !slipped {
        report(
          .deadBand, .warning, at: band.span,
          "这一档（\(show(covers))）永远不会被采用：“\(text(subject))”的取值范围 \(show(range)) 中没有留给它的值")
      }
      if case .interval = band.test, !slipped {
        for (earlier, number) in taken {
          let overlap = earlier.intersection(covers).intersection(range)
          if !overlap.isEmpty {
            let place =
              overlap.isSinglePoint
              ? (percent ? overlap.lower?.percentDescription : overlap.lower?.description) ?? "" : show(overlap)
            report(
              .bandOverlap, at: band.span, "\(place) 同时属于第 \(number) 档和第 \(position + 1) 档",
              notes: ["相邻两档的端点只能有一档包含：如 [90%, 95%) 与 [95%, 100%]"])
          }
        }
        taken.append((covers, position + 1))
      }
      remaining = remaining.flatMap { $0.subtracting(covers) }
      var inside = environment
      if case .cell(let index) = subject.kind, let part = reachable.first {
        inside[index] = .number(reachable.dropFirst().reduce(part) { $0.hull($1) }, integer: integer)
      }
      if !reachable.isEmpty { take(band, inside) }
    }
    let gaps = remaining.filter { !$0.isEmpty && !(integer && $0.tightenedToIntegers.isEmpty) }
    if !gaps.isEmpty {
      var notes = ["“\(text(subject))”按声明可取 \(show(range))；每个可能的值都要落在某一档中，或加一档“其他 → 分数”"]
      if slipped { notes.insert("这张分档表有界限没写 %（见 W008），补上 % 多半就能补上空档", at: 0) }
      report(
        .bandGap, at: expression.span,
        "“\(text(subject))”的取值 \(gaps.map(show).joined(separator: "、")) 未被任何档覆盖", notes: notes)
    }
    return result ?? .unknown
  }

  func isPercent(_ expression: CheckedExpression) -> Bool {
    switch expression.kind {
    case .cell(let index): program.cells[index].isPercent
    case .arithmetic(.divide, _, _): true
    default: false
    }
  }

  /// A checklist that is a leaf's whole score should give exactly the leaf's points when all is met.
  mutating func checkChecklistPoints(of indicator: CheckedIndicator, score: CheckedExpression) {
    guard case .checklist(let items) = score.kind else { return }
    var total = ExactDecimal.zero
    for item in items {
      guard case .constant(.number(let points)) = item.points.kind, let next = try? total.adding(points) else { return }
      total = next
    }
    // Points above the weight are already E046, with a counterexample.
    guard total < indicator.weight else { return }
    report(
      .checklistPoints, .warning, at: score.span,
      "清单各项分值之和为 \(total)，而指标\(indicator.name.quotedName)的分值为 \(indicator.weight)",
      notes: ["全部达标时应得满分；请核对各项分值"])
  }

  /// Inputs and definitions that no score, and no row-scoring method, depends on.
  mutating func reportUnused() {
    var used = Set<Int>()
    var pending: [Int] = []
    for indicator in Analyzer.leaves(of: program.indicators) {
      if let score = indicator.score { EvaluationPlan.cells(in: score) { pending.append($0) } }
    }
    for method in program.rowScoring?.methods.values.map({ $0 }) ?? [] {
      EvaluationPlan.cells(in: method) { pending.append($0) }
    }
    while let index = pending.popLast() {
      guard used.insert(index).inserted, let expression = program.cells[index].expression else { continue }
      EvaluationPlan.cells(in: expression) { pending.append($0) }
    }
    for (index, cell) in program.cells.enumerated() where !used.contains(index) && cell.input?.isRowVariable != true {
      if cell.input != nil {
        report(
          .unusedInput, .warning, at: cell.span, "输入\(cell.name.quotedName)没有被任何得分用到",
          notes: ["删去它，或在得分公式中用到它"])
      } else {
        report(.unusedDefinition, .warning, at: cell.span, "“设 \(cell.name)”没有被任何得分用到", notes: ["删去它，或在得分公式中用到它"])
      }
    }
  }
}
