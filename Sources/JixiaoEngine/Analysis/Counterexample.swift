/// Looks for concrete data that pushes a score outside its points: corners of the declared
/// domains and the numbers the rules themselves mention, tried in a fixed order.
enum Counterexample {
  struct Found {
    var inputs: String
    var score: ExactDecimal
  }

  static func search(for indicator: CheckedIndicator, in program: Program, attempts: Int = 400) -> Found? {
    guard let score = indicator.score else { return nil }
    var inputs: [Int] = []
    var pending: [Int] = []
    var seen = Set<Int>()
    EvaluationPlan.cells(in: score) { pending.append($0) }
    while let index = pending.popLast() {
      guard seen.insert(index).inserted else { continue }
      if program.cells[index].input != nil { inputs.append(index) }
      if let expression = program.cells[index].expression, program.cells[index].input == nil {
        EvaluationPlan.cells(in: expression) { pending.append($0) }
      }
    }
    inputs.sort()
    var constants: [ExactDecimal] = [.zero, .one, ExactDecimal(2), ExactDecimal(10), ExactDecimal(1000)]
    collectConstants(score, into: &constants)
    for index in seen {
      if let expression = program.cells[index].expression { collectConstants(expression, into: &constants) }
    }
    let candidates = inputs.map { values(for: program.cells[$0], constants: constants) }
    guard !inputs.isEmpty, candidates.allSatisfy({ !$0.isEmpty }) else { return nil }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for attempt in 0..<attempts {
      var given: [Int: GivenValue] = [:]
      var shown: [String] = []
      for (position, index) in inputs.enumerated() {
        let options = candidates[position]
        let pick: Int
        switch attempt {
        case 0: pick = options.count - 1
        case 1: pick = 0
        default:
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          pick = Int((state >> 33) % UInt64(options.count))
        }
        let value = options[pick]
        given[index] = GivenValue(value: value, reason: nil, span: indicator.span)
        shown.append("\(program.cells[index].name) = \(value.display(asPercent: program.cells[index].isPercent))")
      }
      var evaluator = Evaluator(program: program, given: given)
      guard case .success(.number(let raw)?) = evaluator.evaluate(score) else { continue }
      let rounded = raw.rounded(places: program.precision)
      if rounded.isNegative || rounded > indicator.weight {
        return Found(inputs: shown.joined(separator: "，"), score: rounded)
      }
    }
    return nil
  }

  private static func collectConstants(_ expression: CheckedExpression, into constants: inout [ExactDecimal]) {
    switch expression.kind {
    case .constant(.date(let date)):
      // A day on either side of a deadline.
      constants += [-1, 0, 1].map { ExactDecimal(date.dayNumber + $0) }
    case .constant(.number(let value)):
      constants.append(value)
      if let doubled = try? value.multiplied(by: ExactDecimal(2)) { constants.append(doubled) }
    case .bands(_, let bands):
      for band in bands {
        if case .interval(let interval) = band.test {
          constants += [interval.lower, interval.upper].compactMap { $0 }
        }
      }
    default: break
    }
    for child in expression.children { collectConstants(child, into: &constants) }
  }

  /// Values worth trying for an input: its domain's corners and the rules' own numbers.
  private static func values(for cell: Cell, constants: [ExactDecimal]) -> [Value] {
    guard let spec = cell.input else { return [] }
    let elements: [Value]
    switch spec.kind {
    case .boolean: elements = [.boolean(true), .boolean(false)]
    case .choice(let options): elements = options.map(Value.text)
    case .points(let low, let high): elements = [low, high].map(Value.number)
    case .date:
      elements = constants.compactMap { Int($0.description).flatMap(CivilDate.init(dayNumber:)).map(Value.date) }
    default:
      let domain = AbstractValue.domain(of: spec.element)
      let numbers = Array(Set(constants)).sorted().filter { value in
        guard let interval = domain.interval, interval.contains(value) else { return false }
        return !domain.isInteger || value.isInteger
      }
      elements = numbers.map(Value.number)
    }
    guard let length = spec.length else { return elements }
    return elements.map { .list(Array(repeating: $0, count: length)) }
  }
}

extension CheckedExpression {
  /// The expressions directly inside this one.
  var children: [CheckedExpression] {
    switch kind {
    case .negate(let operand), .not(let operand): [operand]
    case .arithmetic(_, let l, let r), .comparison(_, let l, let r), .logical(_, let l, let r): [l, r]
    case .conditional(let c, let t, let f): [c, t, f]
    case .builtin(_, let arguments), .list(let arguments): arguments
    case .bands(let subject, let bands): [subject] + bands.map(\.result)
    case .checklist(let items): items.flatMap { [$0.condition, $0.points] }
    case .constant, .cell: []
    }
  }

  /// Every number written in this expression (not in the definitions it uses).
  var writtenNumbers: [ExactDecimal] {
    if case .constant(.number(let value)) = kind { return [value] }
    return children.flatMap(\.writtenNumbers)
  }
}
