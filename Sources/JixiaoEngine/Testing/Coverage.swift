/// Which branches, bands and checklist outcomes the tests reached, to find rules no test exercises.
public final class Coverage: @unchecked Sendable {
  static let thenBranch = "则", elseBranch = "否则", bandTaken = "档", itemMet = "达标", itemMissed = "未达标"

  struct Key: Hashable {
    var file: String
    var offset: Int
    var outcome: String
  }

  private var seen = Set<Key>()
  /// The numbers each band table was evaluated at (and, under `totalKey`, the totals), to see
  /// whether a test stood on each side of every limit.
  private var limitValues: [Key: Set<ExactDecimal>] = [:]
  static let totalKey = "<综合评分>"

  func recordLimitValue(_ value: ExactDecimal, at span: SourceSpan) {
    limitValues[Key(file: span.file, offset: span.start.offset, outcome: ""), default: []].insert(value)
  }

  /// What a limit lacks: a test exactly at it, below it, above it (grades: below and at or above).
  private func sidesMissing(of limit: ExactDecimal, at span: SourceSpan, exactly: Bool) -> [String] {
    let values = limitValues[Key(file: span.file, offset: span.start.offset, outcome: "")] ?? []
    var missing: [String] = []
    if exactly && !values.contains(limit) { missing.append("恰好等于") }
    if !values.contains(where: { $0 < limit }) { missing.append("低于") }
    if !values.contains(where: { exactly ? $0 > limit : $0 >= limit }) { missing.append(exactly ? "高于" : "达到") }
    return missing
  }

  public init() {}

  func record(_ span: SourceSpan, _ outcome: String) {
    seen.insert(Key(file: span.file, offset: span.start.offset, outcome: outcome))
  }

  func reached(_ span: SourceSpan, _ outcome: String) -> Bool {
    seen.contains(Key(file: span.file, offset: span.start.offset, outcome: outcome))
  }

  /// “第 12 行”, or with the file's name for a part a revision inherits from its base.
  private func place(_ span: SourceSpan, _ program: Program) -> String {
    span.file == program.source.path ? "第 \(span.start.line) 行" : "\(span.file) 第 \(span.start.line) 行"
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
          lines.append((line, "\(place(expression.span, program))：“如果 \(written)”的“\(outcome)”分支"))
        }
        stack += [condition, whenTrue, whenFalse]
      case .bands(let subject, let bands):
        for band in bands where !reached(band.span, Coverage.bandTaken) {
          lines.append((band.span.start.line, "\(place(band.span, program))：分档的一档“\(program.source.text(band.span))”"))
        }
        // A limit is tested when some test stands exactly on it and some on either side: a test
        // at 99% says nothing about a limit moved from 95% to 92%.
        let percent = subject.type == .number && StandardDocument.isPercent(subject, in: program)
        var limits: [ExactDecimal] = []
        for band in bands {
          guard case .interval(let interval) = band.test else { continue }
          for limit in [interval.lower, interval.upper].compactMap({ $0 }) where !limits.contains(limit) {
            limits.append(limit)
          }
        }
        for limit in limits {
          let missing = sidesMissing(of: limit, at: expression.span, exactly: true)
          guard !missing.isEmpty else { continue }
          let shown = percent ? limit.percentDescription : limit.description
          lines.append(
            (
              line,
              "\(place(expression.span, program))：分档界限 \(shown)：没有测试使“\(program.source.text(subject.span))”\(missing.joined(separator: "、")) \(shown)"
            ))
        }
        stack += [subject] + bands.map(\.result)
      case .checklist(let items):
        for item in items {
          for outcome in [Coverage.itemMet, Coverage.itemMissed] where !reached(item.span, outcome) {
            let condition = program.source.text(item.condition.span)
            lines.append((item.span.start.line, "\(place(item.span, program))：清单项“\(condition)”\(outcome)的情况"))
          }
          stack += [item.condition, item.points]
        }
      case .negate(let operand), .not(let operand): stack.append(operand)
      case .arithmetic(_, let l, let r), .comparison(_, let l, let r), .logical(_, let l, let r): stack += [l, r]
      case .builtin(_, let arguments), .list(let arguments): stack += arguments
      case .constant, .cell: break
      }
    }
    for grade in program.grades {
      guard let threshold = grade.threshold else { continue }
      let missing = sidesMissing(of: threshold, at: .unknown(Coverage.totalKey), exactly: false)
      guard !missing.isEmpty else { continue }
      lines.append(
        (Int.max, "等级“\(grade.name)”的分数线 \(threshold)：没有测试的综合评分\(missing.joined(separator: "、")) \(threshold)"))
    }
    return lines.sorted { $0.0 < $1.0 }.map(\.1)
  }
}
