/// The evaluation plan: built once from a checked program, then run for every department.
/// It lays the indicator tree out as rows in table order and works out, for each row, which
/// inputs its score depends on, so that a sheet can name them and their reasons.
public struct EvaluationPlan: Sendable {
  public struct Row: Sendable {
    public var indicator: CheckedIndicator
    /// Names from the top level down to this indicator.
    public var path: [String]
    public var children: [Int]
    /// Input cells the score depends on, directly or through definitions and defaults.
    public var inputs: [Int]
    /// Every cell the score depends on: inputs and definitions.
    public var cells: [Int] = []
    public var isLeaf: Bool { indicator.score != nil }
  }

  public let program: Program
  public let rows: [Row]
  public let topLevel: [Int]
  let rowByName: [String: Int]
  /// The inputs a data file may give (not a table row's own variables), by name.
  let inputByName: [String: Int]

  public init(_ program: Program) {
    self.program = program
    var rows: [Row] = []
    func add(_ indicator: CheckedIndicator, parentPath: [String]) -> Int {
      let index = rows.count
      let path = parentPath + [indicator.name]
      let used = indicator.score.map { EvaluationPlan.cells(of: $0, in: program) } ?? []
      rows.append(
        Row(
          indicator: indicator, path: path, children: [], inputs: used.filter { program.cells[$0].input != nil },
          cells: used))
      let children = indicator.children.map { add($0, parentPath: path) }
      rows[index].children = children
      if !children.isEmpty { rows[index].inputs = Array(Set(children.flatMap { rows[$0].inputs })).sorted() }
      return index
    }
    topLevel = program.indicators.map { add($0, parentPath: []) }
    self.rows = rows
    rowByName = Dictionary(rows.enumerated().map { ($1.indicator.name, $0) }, uniquingKeysWith: { a, _ in a })
    inputByName = Dictionary(
      program.cells.indices.filter { program.cells[$0].input?.isRowVariable == false }.map {
        (program.cells[$0].name, $0)
      }, uniquingKeysWith: { a, _ in a })
  }

  public func row(named name: String) -> Int? { rowByName[name] }

  /// The cells an expression depends on, through definitions and defaults. Walked per
  /// indicator rather than kept per cell, which grows quadratically along a chain of 缺省.
  private static func cells(of expression: CheckedExpression, in program: Program) -> [Int] {
    var seen = Set<Int>()
    var pending: [Int] = []
    cells(in: expression) { pending.append($0) }
    while let index = pending.popLast() {
      guard seen.insert(index).inserted else { continue }
      if let dependency = program.cells[index].expression { cells(in: dependency) { pending.append($0) } }
    }
    return seen.sorted()
  }

  /// Calls `visit` with every cell the expression refers to.
  static func cells(in expression: CheckedExpression, _ visit: (Int) -> Void) {
    switch expression.kind {
    case .constant: break
    case .cell(let index): visit(index)
    case .negate(let operand), .not(let operand): cells(in: operand, visit)
    case .arithmetic(_, let l, let r), .comparison(_, let l, let r), .logical(_, let l, let r):
      cells(in: l, visit)
      cells(in: r, visit)
    case .conditional(let c, let t, let f): for part in [c, t, f] { cells(in: part, visit) }
    case .builtin(_, let arguments), .list(let arguments): for argument in arguments { cells(in: argument, visit) }
    case .bands(let subject, let bands):
      cells(in: subject, visit)
      for band in bands { cells(in: band.result, visit) }
    case .checklist(let items):
      for item in items {
        cells(in: item.condition, visit)
        cells(in: item.points, visit)
      }
    }
  }
}
