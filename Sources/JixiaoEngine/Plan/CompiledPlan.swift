/// The plan compiled for batches: every input and computed value of a record in one flat array
/// of slots, every formula a closure over those slots built once, so that scoring a record walks
/// no syntax tree and allocates nothing.
///
/// It gives the scores of a record that scores cleanly. Anything else (a missing input, a
/// failure, a score out of range, a step that outgrows 128 bits) makes it give up on that record,
/// and `Scorer` scores it with the messages that say why: the compiled form never guesses, so
/// every score it gives is the one the full sheet has.
public struct CompiledPlan: Sendable {
  let plan: EvaluationPlan
  let layout: SlotLayout
  /// Inputs' defaults and definitions, in an order where each comes after what it uses.
  let steps: [Step]
  /// The leaves' formulas, by plan row.
  let leaves: [Leaf]
  /// Plan rows with children, deepest first, so that a parent is summed after its children.
  let parents: [(row: Int, children: [Int])]
  let precision: Int

  struct Step: Sendable {
    var cell: Int
    /// An input's default is computed only when the record does not give the input.
    var isDefault: Bool
    /// One code per slot of the cell.
    var codes: [Code]
    /// A number definition's exact value, kept for the formulas that use it.
    var exact: ExactCode?
    /// Whether a computed default is a value the input may take (`Evaluator.outsideDomain`).
    var admits: (@Sendable (ExactDecimal) -> Bool)?
  }

  struct Leaf: Sendable {
    var row: Int
    var code: Code
    var weight: ExactDecimal
  }

  /// nil when the rules use what the compiled form does not cover (project tables, 表定 blocks,
  /// free text): then every record is scored by `Scorer`.
  public init?(_ plan: EvaluationPlan) {
    let program = plan.program
    guard program.rowScoring == nil, !plan.rows.contains(where: { $0.indicator.weightFromTable }),
      let layout = SlotLayout(program)
    else { return nil }
    self.plan = plan
    self.layout = layout
    precision = program.precision
    var compiler = ExpressionCompiler(program: program, layout: layout)
    do throws(ExpressionCompiler.Unsupported) {
      var steps: [Step] = []
      for index in program.evaluationOrder {
        let cell = program.cells[index]
        guard let expression = cell.expression else { continue }
        var step = Step(cell: index, isDefault: cell.input != nil, codes: [])
        if let spec = cell.input { step.admits = { spec.problem(with: $0) == nil } }
        if cell.input == nil && cell.type == .number {
          let exact = try compiler.exact(expression)
          step.exact = exact
          step.codes = [compiler.roundedOnce(exact)]
        } else {
          step.codes = try compiler.slots(of: expression, count: layout.length[index])
        }
        steps.append(step)
      }
      self.steps = steps
      var leaves: [Leaf] = []
      for (row, planned) in plan.rows.enumerated() {
        guard let score = planned.indicator.score else { continue }
        guard score.type == .number else { throw ExpressionCompiler.Unsupported() }
        leaves.append(Leaf(row: row, code: try compiler.scalar(score), weight: planned.indicator.weight))
      }
      self.leaves = leaves
    } catch {
      return nil
    }
    parents = plan.rows.indices.reversed().filter { !plan.rows[$0].children.isEmpty }.map {
      ($0, plan.rows[$0].children)
    }
  }

  /// A record as the compiled plan reads it: each cell's value in its slots, and which inputs it gives.
  public struct Record: Sendable {
    var slots: [Int128]
    var given: [Bool]
  }

  /// What a record's scoring needs besides the record, kept between records so that scoring
  /// allocates nothing: the cells' values, and then every row's score, the total and the grade.
  public struct Frame: Sendable {
    var slots: [Int128]
    var known: [Bool]
    var fractions: [SmallFraction]
    public internal(set) var scores: [ExactDecimal]
    public internal(set) var total = ExactDecimal.zero
    /// The grade's position in the rules' grades.
    public internal(set) var grade: Int?
  }

  public func frame() -> Frame {
    Frame(
      slots: Array(repeating: 0, count: layout.slotCount), known: Array(repeating: false, count: layout.length.count),
      fractions: Array(repeating: SmallFraction(.zero), count: layout.length.count),
      scores: Array(repeating: .zero, count: plan.rows.count))
  }

  /// Scores the record into the frame; false when the record needs `Scorer` (see the type's note).
  public func score(_ record: Record, in frame: inout Frame) -> Bool {
    do throws(Bail) {
      try run(record, &frame)
      return true
    } catch {
      return false
    }
  }

  private func run(_ record: Record, _ frame: inout Frame) throws(Bail) {
    frame.slots.withUnsafeMutableBufferPointer { slots in
      record.slots.withUnsafeBufferPointer { given in _ = slots.update(fromContentsOf: given) }
    }
    frame.known.withUnsafeMutableBufferPointer { known in
      record.given.withUnsafeBufferPointer { given in _ = known.update(fromContentsOf: given) }
    }
    // Indices rather than `for step in steps`: a copy of each step would retain its closures.
    for index in steps.indices {
      let cell = steps[index].cell
      if steps[index].isDefault && frame.known[cell] { continue }
      let base = layout.base[cell]
      if steps[index].exact != nil, let fraction = try steps[index].exact?(&frame) { frame.fractions[cell] = fraction }
      for offset in steps[index].codes.indices {
        let value = try steps[index].codes[offset](&frame)
        if let admits = steps[index].admits, !admits(ExactDecimal(units: value)) { throw Bail() }
        frame.slots[base + offset] = value
      }
      frame.known[cell] = true
    }
    for index in leaves.indices {
      let score = ExactDecimal(units: try leaves[index].code(&frame)).rounded(places: precision)
      guard !score.isNegative, score <= leaves[index].weight else { throw Bail() }
      frame.scores[leaves[index].row] = score
    }
    for parent in parents {
      var sum: Int128 = 0
      for child in parent.children { sum = try ExpressionCompiler.apply(.add, sum, frame.scores[child].units) }
      frame.scores[parent.row] = ExactDecimal(units: sum)
    }
    var units: Int128 = 0
    for row in plan.topLevel { units = try ExpressionCompiler.apply(.add, units, frame.scores[row].units) }
    let total = ExactDecimal(units: units)
    frame.total = total
    frame.grade = plan.program.grades.firstIndex { grade in grade.threshold.map { total >= $0 } ?? true }
  }

  /// A record from a decoded data file; nil when it holds what only the full sheet shows (the
  /// report's own scores, stated figures, table rows), which `Scorer` then scores.
  public func record(_ data: DepartmentData) -> Record? {
    guard data.stated.isEmpty, data.reportedScores.isEmpty, data.useReported.isEmpty, data.tableRows.isEmpty,
      data.tableWeights.isEmpty
    else { return nil }
    var record = Record(
      slots: Array(repeating: 0, count: layout.slotCount), given: Array(repeating: false, count: layout.length.count))
    for (index, given) in data.given {
      let values: [Value]
      if case .list(let elements) = given.value { values = elements } else { values = [given.value] }
      guard values.count == layout.length[index] else { return nil }
      for (offset, value) in values.enumerated() {
        guard let slot = layout.slot(of: value) else { return nil }
        record.slots[layout.base[index] + offset] = slot
      }
      record.given[index] = true
    }
    return record
  }
}

/// Where each cell's values live in a record's slots; every scalar is one `Int128`: a number's
/// units, 0 or 1 for 是否, a day number for a date, the position of a text in `texts`.
struct SlotLayout: Sendable {
  var base: [Int]
  var length: [Int]
  var slotCount: Int
  /// Every option and text of the rules, numbered: comparing two texts is comparing numbers.
  var texts: [String: Int128]

  init?(_ program: Program) {
    base = []
    length = []
    var next = 0
    var texts: [String: Int128] = [:]
    for cell in program.cells {
      let count = cell.type.length ?? 1
      if case .choice(let options) = cell.type.element {
        for option in options where texts[option] == nil { texts[option] = Int128(texts.count) }
      }
      guard cell.type.element != .text else { return nil }
      base.append(next)
      length.append(count)
      next += count
    }
    slotCount = next
    self.texts = texts
  }

  func slot(of value: Value) -> Int128? {
    switch value {
    case .number(let number): number.units
    case .boolean(let truth): truth ? 1 : 0
    case .date(let date): Int128(date.dayNumber)
    case .text(let text): texts[text]
    case .list: nil
    }
  }
}
