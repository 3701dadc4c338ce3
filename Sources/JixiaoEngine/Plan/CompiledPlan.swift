/// The plan compiled for batches: every input, computed value, score and constant of a record in
/// one flat array of registers, and the whole ruleset one array of instructions over them, built
/// once and run by one loop (`execute`), so that scoring a record walks no syntax tree, calls no
/// closure and allocates nothing.
///
/// It gives the scores of a record that scores cleanly. Anything else (a missing input, a
/// failure, a score out of range, a step that outgrows 128 bits) makes it give up on that record,
/// and `Scorer` scores it with the messages that say why: the compiled form never guesses, so
/// every score it gives is the one the full sheet has.
public struct CompiledPlan: Sendable {
  let plan: EvaluationPlan
  let layout: SlotLayout
  /// The instructions, checking before each use of an input that the record gives it.
  let careful: [Instruction]
  /// The same without those checks, for a record that gives every input without a default.
  let quick: [Instruction]
  /// The inputs without a default: a record that gives them all runs `quick`.
  let required: [Int]
  /// By cell, what an input's number must be: a record is taken only with figures that pass.
  let inputChecks: [NumberCheck?]
  let tables: PlanTables
  let registerCount: Int
  let fractionCount: Int
  let constants: [(Register, Int128)]
  let fractionConstants: [(Register, SmallFraction)]
  let rowBase: Int
  let totalRegister: Register

  /// nil when the rules use what the compiled form does not cover (project tables, 表定 blocks,
  /// free text): then every record is scored by `Scorer`.
  public init?(_ plan: EvaluationPlan) {
    let program = plan.program
    guard program.rowScoring == nil, !plan.rows.contains(where: { $0.indicator.weightFromTable }),
      let layout = SlotLayout(program)
    else { return nil }
    self.plan = plan
    self.layout = layout
    var compiler = PlanCompiler(program: program, layout: layout, rows: plan.rows.count)
    do throws(PlanCompiler.Unsupported) {
      for index in program.evaluationOrder {
        guard let expression = program.cells[index].expression else { continue }
        try compiler.compute(index, expression)
      }
      for (row, planned) in plan.rows.enumerated() {
        guard let score = planned.indicator.score else { continue }
        try compiler.score(row: row, score, weight: planned.indicator.weight)
      }
    } catch {
      return nil
    }
    // Parents deepest first, so that a parent is summed after its children.
    for row in plan.rows.indices.reversed() where !plan.rows[row].children.isEmpty {
      compiler.sum(rows: plan.rows[row].children, into: Register(compiler.rowBase + row))
    }
    compiler.sum(rows: plan.topLevel, into: compiler.totalRegister)
    careful = compiler.code
    quick = Self.withoutRequire(compiler.code)
    required = program.cells.indices.filter { program.cells[$0].input != nil && program.cells[$0].expression == nil }
    inputChecks = program.cells.map { $0.input.map(NumberCheck.init) }
    (tables, registerCount, fractionCount) = (PlanTables(compiler), compiler.registerCount, compiler.fractionCount)
    (constants, fractionConstants) = (compiler.constants, compiler.fractionConstants)
    (rowBase, totalRegister) = (compiler.rowBase, compiler.totalRegister)
  }

  /// The code without its `require` steps, its jumps moved to match.
  private static func withoutRequire(_ code: [Instruction]) -> [Instruction] {
    var moved: [Int32] = []
    var kept = 0
    for instruction in code {
      moved.append(Int32(kept))
      if instruction.operation == .require { continue }
      kept += 1
    }
    moved.append(Int32(kept))
    return code.compactMap { instruction in
      if instruction.operation == .require { return nil }
      guard let target = instruction.target else { return instruction }
      return instruction.retargeted(moved[Int(target)])
    }
  }

  /// A record as the compiled plan reads it: each cell's value in its slots, and which inputs it gives.
  public struct Record: Sendable {
    var slots: [Int128]
    var given: [Bool]
  }

  /// The registers a record is scored in, kept between records: the record's values, every
  /// row's score, the total, the constants and the temporaries; then the total and the grade.
  /// Its buffers are allocated once and written through pointers (no copy-on-write check, no
  /// bounds check on every register); copies of a frame share them, so each batch keeps one frame.
  public struct Frame {
    /// Owns the buffers the frame's pointers point into.
    private final class Buffers {
      let registers: UnsafeMutablePointer<Int128>
      let known: UnsafeMutablePointer<Bool>
      let fractions: UnsafeMutablePointer<SmallFraction>

      init(registers: Int, cells: Int, fractions: Int) {
        self.registers = .allocate(capacity: registers)
        self.registers.initialize(repeating: 0, count: registers)
        known = .allocate(capacity: cells)
        known.initialize(repeating: false, count: cells)
        self.fractions = .allocate(capacity: fractions)
        self.fractions.initialize(repeating: SmallFraction(.zero), count: fractions)
      }

      deinit {
        registers.deallocate()
        known.deallocate()
        fractions.deallocate()
      }
    }

    private let buffers: Buffers
    let registers: UnsafeMutablePointer<Int128>
    let known: UnsafeMutablePointer<Bool>
    let fractions: UnsafeMutablePointer<SmallFraction>
    let rowScores: UnsafeMutablePointer<Int128>
    let rowCount: Int
    public internal(set) var total = ExactDecimal.zero
    /// The grade's position in the rules' grades.
    public internal(set) var grade: Int?

    fileprivate init(_ plan: CompiledPlan) {
      buffers = Buffers(registers: plan.registerCount, cells: plan.layout.length.count, fractions: plan.fractionCount)
      (registers, known, fractions) = (buffers.registers, buffers.known, buffers.fractions)
      (rowScores, rowCount) = (registers + plan.rowBase, plan.plan.rows.count)
      for (register, value) in plan.constants { registers[Int(register)] = value }
      for (register, value) in plan.fractionConstants { fractions[Int(register)] = value }
    }

    /// Every plan row's score, in table order.
    public var scores: [ExactDecimal] {
      UnsafeBufferPointer(start: rowScores, count: rowCount).map { ExactDecimal(units: $0) }
    }
  }

  public func frame() -> Frame { Frame(self) }

  /// Scores the record into the frame; false when the record needs `Scorer` (see the type's note).
  public func score(_ record: Record, in frame: inout Frame) -> Bool {
    record.slots.withUnsafeBufferPointer { given in
      if let values = given.baseAddress { frame.registers.update(from: values, count: given.count) }
    }
    record.given.withUnsafeBufferPointer { given in
      if let flags = given.baseAddress { frame.known.update(from: flags, count: given.count) }
    }
    let known = frame.known
    let code = required.allSatisfy { known[$0] } ? quick : careful
    guard code.withUnsafeBufferPointer({ execute($0, frame) }) else { return false }
    let total = ExactDecimal(units: frame.registers[Int(totalRegister)])
    frame.total = total
    frame.grade = Scorer.gradeIndex(of: total, in: plan.program.grades)
    return true
  }

  /// A record from a decoded data file; nil when it holds what only the full sheet shows (the
  /// report's own scores, stated figures, table rows), which `Scorer` then scores, and when a
  /// figure is not one its input may take (the decoder refuses those; the plan counts on it,
  /// leaving out checks of defaults that such figures could not fail).
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
        if case .number = value, let check = inputChecks[index], !check.accepts(slot) { return nil }
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
