/// Which branches, bands and checklist outcomes the tests reached, to find rules no test exercises.
public final class Coverage: @unchecked Sendable {
  static let thenBranch = "则", elseBranch = "否则", bandTaken = "档", itemMet = "达标", itemMissed = "未达标"

  struct Key: Hashable {
    var file: String
    var offset: Int
    var outcome: String
  }

  private var seen = Set<Key>()

  public init() {}

  func record(_ span: SourceSpan, _ outcome: String) {
    seen.insert(Key(file: span.file, offset: span.start.offset, outcome: outcome))
  }

  func reached(_ span: SourceSpan, _ outcome: String) -> Bool {
    seen.contains(Key(file: span.file, offset: span.start.offset, outcome: outcome))
  }

  /// Every outcome of the program's formulas that no test reached, as lines for a person.
  public func unreached(in program: Program) -> [String] {
    var expressions: [CheckedExpression] = program.cells.compactMap(\.expression)
    var pending = program.indicators
    while let indicator = pending.popLast() {
      if let score = indicator.score { expressions.append(score) }
      pending += indicator.children
    }
    expressions +=
      program.rowScoring.map { scoring in scoring.methods.keys.sorted().compactMap { scoring.methods[$0] } } ?? []
    var lines: [(Int, String)] = []
    var stack = expressions
    while let expression = stack.popLast() {
      let line = expression.span.start.line
      switch expression.kind {
      case .conditional(let condition, let whenTrue, let whenFalse):
        let written = program.source.text(condition.span)
        for outcome in [Coverage.thenBranch, Coverage.elseBranch] where !reached(expression.span, outcome) {
          lines.append((line, "第 \(line) 行：“如果 \(written)”的“\(outcome)”分支"))
        }
        stack += [condition, whenTrue, whenFalse]
      case .bands(let subject, let bands):
        for band in bands where !reached(band.span, Coverage.bandTaken) {
          lines.append((band.span.start.line, "第 \(band.span.start.line) 行：分档的一档“\(program.source.text(band.span))”"))
        }
        stack += [subject] + bands.map(\.result)
      case .checklist(let items):
        for item in items {
          for outcome in [Coverage.itemMet, Coverage.itemMissed] where !reached(item.span, outcome) {
            let condition = program.source.text(item.condition.span)
            lines.append((item.span.start.line, "第 \(item.span.start.line) 行：清单项“\(condition)”\(outcome)的情况"))
          }
          stack += [item.condition, item.points]
        }
      case .negate(let operand), .not(let operand): stack.append(operand)
      case .arithmetic(_, let l, let r), .comparison(_, let l, let r), .logical(_, let l, let r): stack += [l, r]
      case .builtin(_, let arguments), .list(let arguments): stack += arguments
      case .constant, .cell: break
      }
    }
    return lines.sorted { $0.0 < $1.0 }.map(\.1)
  }
}
