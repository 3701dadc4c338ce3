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
  /// Inputs' defaults and definitions, in an order where each comes after what it uses, then
  /// the leaves' scores: one closure.
  let scoreLeaves: Action
  /// Plan rows with children, deepest first, so that a parent is summed after its children; the
  /// children of `parentRows[i]` are `children[childRanges[i]]`.
  let parentRows: [Int]
  let childRanges: [Range<Int>]
  let children: [Int]

  /// A stage of scoring a record, compiled into one closure.
  struct Action: Sendable {
    let run: @Sendable (inout Frame) throws(Bail) -> Void

    /// The actions one after another, as a balanced tree of closures (see `accumulated`).
    static func sequence(_ actions: ArraySlice<Action>) -> Action {
      guard actions.count > 1 else { return actions.first ?? Action { _ in } }
      let middle = actions.startIndex + actions.count / 2
      let (first, then) = (sequence(actions[..<middle]), sequence(actions[middle...]))
      return Action { frame throws(Bail) in
        try first.run(&frame)
        try then.run(&frame)
      }
    }
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
    var compiler = ExpressionCompiler(program: program, layout: layout)
    var actions: [Action] = []
    do throws(ExpressionCompiler.Unsupported) {
      for index in program.evaluationOrder {
        guard let expression = program.cells[index].expression else { continue }
        actions.append(try Self.compute(index, expression, program, layout, &compiler))
      }
      for (row, planned) in plan.rows.enumerated() {
        guard let score = planned.indicator.score else { continue }
        guard score.type == .number else { throw ExpressionCompiler.Unsupported() }
        let (code, weight, precision) = (try compiler.scalar(score), planned.indicator.weight, program.precision)
        actions.append(
          Action { frame throws(Bail) in
            let score = ExactDecimal(units: try code(&frame)).rounded(places: precision)
            guard !score.isNegative, score <= weight else { throw Bail() }  // E041 in the full sheet
            frame.rowScores[row] = score
          })
      }
    } catch {
      return nil
    }
    scoreLeaves = Action.sequence(actions[...])
    parentRows = plan.rows.indices.reversed().filter { !plan.rows[$0].children.isEmpty }
    var ranges: [Range<Int>] = []
    var children: [Int] = []
    for row in parentRows {
      ranges.append(children.count..<(children.count + plan.rows[row].children.count))
      children += plan.rows[row].children
    }
    childRanges = ranges
    self.children = children
  }

  /// A definition's value, or an input's default where the record does not give the input.
  private static func compute(
    _ index: Int, _ expression: CheckedExpression, _ program: Program, _ layout: SlotLayout,
    _ compiler: inout ExpressionCompiler
  ) throws(ExpressionCompiler.Unsupported) -> Action {
    let cell = program.cells[index]
    let base = layout.base[index]
    guard let spec = cell.input else {
      if cell.type == .number {
        // A number definition keeps its exact value for the formulas that use it.
        let exact = try compiler.exact(expression)
        let rounded = compiler.roundedOnce(ExactCode { frame throws(Bail) in frame.fractions[index] })
        return Action { frame throws(Bail) in
          frame.fractions[index] = try exact(&frame)
          frame.slots[base] = try rounded(&frame)
          frame.known[index] = true
        }
      }
      let values = try compiler.slots(of: expression, count: layout.length[index]).enumerated().map { offset, code in
        Action { frame throws(Bail) in frame.slots[base + offset] = try code(&frame) }
      }
      let all = Action.sequence(values[...])
      return Action { frame throws(Bail) in
        try all.run(&frame)
        frame.known[index] = true
      }
    }
    let values = try compiler.slots(of: expression, count: layout.length[index]).enumerated().map { offset, code in
      Action { frame throws(Bail) in
        let value = try code(&frame)
        // A default outside what the input may take is E033 in the full sheet.
        guard spec.problem(with: ExactDecimal(units: value)) == nil else { throw Bail() }
        frame.slots[base + offset] = value
      }
    }
    let all = Action.sequence(values[...])
    return Action { frame throws(Bail) in
      guard !frame.known[index] else { return }
      try all.run(&frame)
      frame.known[index] = true
    }
  }

  /// A record as the compiled plan reads it: each cell's value in its slots, and which inputs it gives.
  public struct Record: Sendable {
    var slots: [Int128]
    var given: [Bool]
  }

  /// What a record's scoring needs besides the record, kept between records: the cells' values,
  /// then every row's score, the total and the grade. Its buffers are allocated once and written
  /// through pointers (no copy-on-write check, no bounds check on every slot); copies of a frame
  /// share them, so each batch keeps one frame.
  public struct Frame {
    /// Owns the buffers the frame's pointers point into.
    private final class Buffers {
      let slots: UnsafeMutablePointer<Int128>
      let known: UnsafeMutablePointer<Bool>
      let fractions: UnsafeMutablePointer<SmallFraction>
      let scores: UnsafeMutablePointer<ExactDecimal>

      init(slots: Int, cells: Int, rows: Int) {
        self.slots = .allocate(capacity: slots)
        self.slots.initialize(repeating: 0, count: slots)
        known = .allocate(capacity: cells)
        known.initialize(repeating: false, count: cells)
        fractions = .allocate(capacity: cells)
        fractions.initialize(repeating: SmallFraction(.zero), count: cells)
        scores = .allocate(capacity: rows)
        scores.initialize(repeating: .zero, count: rows)
      }

      deinit {
        slots.deallocate()
        known.deallocate()
        fractions.deallocate()
        scores.deallocate()
      }
    }

    private let buffers: Buffers
    let slots: UnsafeMutablePointer<Int128>
    let known: UnsafeMutablePointer<Bool>
    let fractions: UnsafeMutablePointer<SmallFraction>
    let rowScores: UnsafeMutablePointer<ExactDecimal>
    let rowCount: Int
    public internal(set) var total = ExactDecimal.zero
    /// The grade's position in the rules' grades.
    public internal(set) var grade: Int?

    init(slots: Int, cells: Int, rows: Int) {
      buffers = Buffers(slots: slots, cells: cells, rows: rows)
      (self.slots, known, fractions, rowScores, rowCount) =
        (buffers.slots, buffers.known, buffers.fractions, buffers.scores, rows)
    }

    /// Every plan row's score, in table order.
    public var scores: [ExactDecimal] { Array(UnsafeBufferPointer(start: rowScores, count: rowCount)) }
  }

  public func frame() -> Frame {
    Frame(slots: layout.slotCount, cells: layout.length.count, rows: plan.rows.count)
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
    record.slots.withUnsafeBufferPointer { given in
      if let values = given.baseAddress { frame.slots.update(from: values, count: given.count) }
    }
    record.given.withUnsafeBufferPointer { given in
      if let flags = given.baseAddress { frame.known.update(from: flags, count: given.count) }
    }
    try scoreLeaves.run(&frame)
    for (parent, range) in zip(parentRows, childRanges) {
      var sum: Int128 = 0
      for child in children[range] { sum = try ExpressionCompiler.apply(.add, sum, frame.rowScores[child].units) }
      frame.rowScores[parent] = ExactDecimal(units: sum)
    }
    var units: Int128 = 0
    for row in plan.topLevel { units = try ExpressionCompiler.apply(.add, units, frame.rowScores[row].units) }
    let total = ExactDecimal(units: units)
    frame.total = total
    frame.grade = Scorer.gradeIndex(of: total, in: plan.program.grades)
  }

  /// A record from a decoded data file; nil when it holds what only the full sheet shows (the
  /// report's own scores, stated figures, table rows), which `Scorer` then scores.
  public func record(_ data: DepartmentData) -> Record? {
    guard data.stated.isEmpty, data.reportedScores.isEmpty, data.useReported.isEmpty, data.tableRows.isEmpty,
      data.tableWeights.isEmpty, data.reportedTotal == nil, data.reportedGrade == nil
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
