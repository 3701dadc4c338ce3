/// Turns a ruleset's syntax into a checked program: names resolved, types and weights verified.
/// Every problem is reported, not only the first.
public struct Checker {
  /// Names visible at a place: the indicator frames from outermost to innermost.
  struct Scope {
    var frames: [[String: Int]] = []
  }

  let source: SourceFile
  var diagnostics: [Diagnostic] = []
  var cells: [Cell] = []
  var cellSyntax: [Expression?] = []
  var cellScopes: [Scope] = []
  var globals: [String: Int] = [:]
  var indicatorNames: [String: SourceSpan] = [:]
  var unreadDeclarations: Set<String> = []
  var bandsLackingPercent: Set<Int> = []
  /// Every declared name's cell, to find a second declaration without a scan.
  var cellByName: [String: Int] = [:]
  /// The money unit of each definition, once worked out.
  var moneyUnits: [Int: String?] = [:]

  public static func check(_ syntax: RulesetSyntax, source: SourceFile) -> (
    program: Program?, diagnostics: [Diagnostic]
  ) {
    var checker = Checker(source: source)
    let program = checker.run(syntax)
    let diagnostics = checker.diagnostics.inSourceOrder()
    return (diagnostics.hasErrors ? nil : program, diagnostics)
  }

  private init(source: SourceFile) { self.source = source }

  mutating func report(
    _ code: DiagnosticCode, _ severity: Severity = .error, at span: SourceSpan, _ message: String,
    notes: [String] = []
  ) {
    diagnostics.append(Diagnostic(code, severity, at: span, message, notes: notes))
  }

  private mutating func run(_ syntax: RulesetSyntax) -> Program {
    unreadDeclarations = syntax.unreadDeclarations
    declare(inputs: syntax.inputs, definitions: syntax.definitions, scope: Scope())
    let pending = syntax.indicators.map { declare(indicator: $0, scope: Scope()) }
    let rowFrame = syntax.rowScoring.map { _ in declareRowVariables() }
    let order = orderCells()
    for index in order { checkCell(index) }
    let indicators = pending.map { checkIndicator($0) }
    let rowScoring = checkRowScoring(syntax.rowScoring, frame: rowFrame, indicators: indicators, at: syntax.span)
    let fullMarks = syntax.fullMarks?.value ?? .zero
    if let marks = syntax.fullMarks {
      if !syntax.hasUnreadMembers {
        checkWeights(of: indicators, against: marks.value, owner: "满分为", at: marks.span)
      }
    } else if !syntax.hasUnreadMembers {  // an unreadable 满分 is already an error
      report(.badHeader, at: syntax.span, "规则集\(syntax.name.quotedName)没有写满分", notes: ["在规则集开头写明，如：满分 100"])
    }
    let grades = checkGrades(
      syntax.grades ?? [], fullMarks: syntax.fullMarks?.value, at: syntax.gradesSpan ?? syntax.span)
    var program = Program(
      name: syntax.name, source: source, fullMarks: fullMarks, precision: syntax.precision?.value ?? 2,
      grades: grades, cells: cells, indicators: indicators, evaluationOrder: order, rowScoring: rowScoring)
    program.bandsLackingPercent = bandsLackingPercent
    program.columnLabels = checkColumnLabels(syntax.columnLabels)
    return program
  }

  // MARK: Declarations

  /// An indicator whose names are declared and whose formulas wait to be checked.
  struct PendingIndicator {
    var syntax: IndicatorSyntax
    var scope: Scope
    var children: [PendingIndicator]
  }

  private mutating func declare(indicator: IndicatorSyntax, scope outer: Scope) -> PendingIndicator {
    if let previous = indicatorNames[indicator.name.value] {
      report(
        .duplicateName, at: indicator.name.span, "指标\(indicator.name.value.quotedName)重名",
        notes: ["第一次出现在第 \(previous.start.line) 行；数据文件按名称找指标，名称必须唯一"])
    } else {
      indicatorNames[indicator.name.value] = indicator.name.span
    }
    var scope = outer
    scope.frames.append([:])
    scope = declare(inputs: indicator.inputs, definitions: indicator.definitions, scope: scope)
    let children = indicator.children.map { declare(indicator: $0, scope: scope) }
    return PendingIndicator(syntax: indicator, scope: scope, children: children)
  }

  /// Inputs are global (the data names them); definitions belong to the innermost frame, or
  /// are global at the ruleset level. Every formula of a frame sees all of the frame's names,
  /// whatever the order they are written in.
  @discardableResult
  private mutating func declare(inputs: [InputSyntax], definitions: [DefinitionSyntax], scope: Scope)
    -> Scope
  {
    var scope = scope
    var declared: [Int] = []
    for input in inputs {
      guard let index = newCell(named: input.name) else { continue }
      globals[input.name.value] = index
      cells[index].input = InputSpec(
        kind: input.kind, length: input.length, isAssessment: input.isAssessment,
        description: input.description,
        range: input.range.map { range in
          // A count is never negative: 数量（..50） is 0 to 50.
          let lower = range.lower ?? (input.kind == .count ? .zero : nil)
          return Interval(lower: lower, lowerClosed: lower != nil, upper: range.upper, upperClosed: range.upper != nil)
        })
      cells[index].type = Checker.type(of: input.kind, length: input.length)
      cells[index].isPercent = input.kind == .percent
      cellSyntax[index] = input.defaultValue
      declared.append(index)
      checkDeclaration(input)
    }
    for definition in definitions {
      guard let index = newCell(named: definition.name) else { continue }
      cellSyntax[index] = definition.value
      if scope.frames.isEmpty {
        globals[definition.name.value] = index
      } else {
        scope.frames[scope.frames.count - 1][definition.name.value] = index
      }
      declared.append(index)
    }
    for index in declared { cellScopes[index] = scope }
    return scope
  }

  private mutating func newCell(named name: Located<String>) -> Int? {
    if Builtin.bySpelling[name.value] != nil {
      report(.duplicateName, at: name.span, "\(name.value.quotedName)是内置函数的名称，请换一个名称")
      return nil
    }
    if let existing = cellByName[name.value] {
      report(
        .duplicateName, at: name.span, "名称\(name.value.quotedName)已经定义过",
        notes: ["第一次定义在第 \(cells[existing].span.start.line) 行；同一规则集中的输入和“设”不能重名"])
      return nil
    }
    cells.append(Cell(name: name.value, span: name.span, input: nil, expression: nil, type: .number, isPercent: false))
    cellByName[name.value] = cells.count - 1
    cellSyntax.append(nil)
    cellScopes.append(Scope())
    return cells.count - 1
  }

  private mutating func checkDeclaration(_ input: InputSyntax) {
    switch input.kind {
    case .points(let low, let high) where low >= high:
      report(.badRange, at: input.span, "\(input.name.value.quotedName)的取值范围 \(low)..\(high) 不对：下限应小于上限")
    case .choice(let options) where Set(options).count != options.count:
      report(.duplicateName, at: input.span, "\(input.name.value.quotedName)的选项有重复")
    case .choice(let options) where options.count < 2:
      report(.badRange, at: input.span, "\(input.name.value.quotedName)至少要有两个选项")
    case .amount(let unit?) where !MoneyUnit.all.contains(where: { $0.name == unit }):
      report(
        .moneyUnit, at: input.span,
        "\(input.name.value.quotedName)的单位“\(unit)”不是金额单位：只能是 \(MoneyUnit.all.reversed().map(\.name).joined(separator: "、"))",
        notes: ["如：输入 \(input.name.value)：金额（万元）"])
    default: break
    }
    if let range = input.range { checkRange(range, of: input) }
    if input.isAssessment && input.defaultValue != nil {
      report(.badRange, at: input.span, "评审项\(input.name.value.quotedName)不能有缺省值：评审结果必须由评审人填写")
    }
    if input.isAssessment, input.length != nil {
      report(.badRange, at: input.span, "评审项\(input.name.value.quotedName)不能是列表")
    }
    if input.isAssessment {
      switch input.kind {
      case .points, .boolean: break
      default:
        report(
          .badRange, at: input.span, "评审项\(input.name.value.quotedName)应是分值范围（如 0..1 分）或“是否”",
          notes: ["客观数据请用“输入”声明"])
      }
    }
  }

  /// A declared range must be one the type can hold: a percentage's ends carry %, a count's are
  /// whole numbers not below 0, and the lower end is below the upper.
  private mutating func checkRange(_ range: DeclaredRange, of input: InputSyntax) {
    let name = input.name.value
    let written = source.text(range.span)
    if input.kind == .percent, !range.allPercent {
      report(
        .badRange, at: range.span, "\(name.quotedName)是百分比，取值范围\(written)的界限要带 %",
        notes: ["如：百分比（-100%..）、百分比（0%..200%）"])
    } else if input.kind != .percent, range.anyPercent {
      report(
        .badRange, at: range.span, "\(name.quotedName)不是百分比，取值范围\(written)的界限不能带 %",
        notes: ["百分数请声明为百分比，如：百分比（-100%..）"])
    } else if input.kind == .count,
      [range.lower, range.upper].contains(where: { $0.map { $0.isNegative || !$0.isInteger } ?? false })
    {
      report(.badRange, at: range.span, "\(name.quotedName)是数量，取值范围\(written)的界限应是不小于 0 的整数")
    } else if let low = range.lower, let high = range.upper, low >= high {
      report(.badRange, at: range.span, "\(name.quotedName)的取值范围\(written)不对：下限应小于上限")
    }
  }

  static func type(of kind: InputKind, length: Int?) -> ValueType {
    let element: ValueType
    switch kind {
    case .boolean: element = .boolean
    case .date: element = .date
    case .choice(let options): element = .choice(options)
    default: element = .number
    }
    if let length { return .list(element, length) }
    return element
  }

  // MARK: Cells and indicators

  private mutating func checkCell(_ index: Int) {
    guard let syntax = cellSyntax[index] else { return }
    guard let checked = typed(syntax, in: cellScopes[index]) else { return }
    if cells[index].input != nil {
      if !Checker.compatible(checked.type, cells[index].type) {
        report(
          .typeMismatch, at: syntax.span,
          "\(cells[index].name.quotedName)的缺省值是\(checked.type)，但它声明为\(cells[index].type)")
      }
    } else {
      cells[index].type = checked.type
      cells[index].isPercent = looksLikePercent(syntax)
    }
    cells[index].expression = checked
  }

  static func compatible(_ actual: ValueType, _ declared: ValueType) -> Bool {
    if actual == declared { return true }
    if case .text = actual, case .choice = declared { return true }
    return false
  }

  private mutating func checkIndicator(_ pending: PendingIndicator) -> CheckedIndicator {
    let syntax = pending.syntax
    let children = pending.children.map { checkIndicator($0) }
    var score: CheckedExpression?
    if syntax.fromRows && (syntax.score != nil || !children.isEmpty) {
      report(
        .misplacedScore, at: syntax.name.span, "指标\(syntax.name.value.quotedName)是逐行指标，它的下级和得分来自数据表，不能再写下级指标或得分公式")
    } else if syntax.fromRows {
      // Scored row by row; nothing more to check here.
    } else if let expression = syntax.score {
      if !children.isEmpty {
        report(
          .misplacedScore, at: expression.span, "指标\(syntax.name.value.quotedName)有下级指标，它的得分是下级得分之和，不能另写得分公式",
          notes: ["把公式移到下级指标中，或删去下级指标"])
      } else if let checked = typed(expression, in: pending.scope) {
        if checked.type == .number {
          score = checked
        } else {
          report(.typeMismatch, at: expression.span, "指标\(syntax.name.value.quotedName)的得分应是数值，但公式的结果是\(checked.type)")
        }
      }
    } else if children.isEmpty && !syntax.scoreWritten && !syntax.hasUnreadMembers {
      report(
        .missingScore, at: syntax.name.span, "指标\(syntax.name.value.quotedName)既没有下级指标，也没有得分公式",
        notes: ["在指标中写“得分 = …”"])
    }
    if syntax.weight.value.isNegative {
      report(.badRange, at: syntax.weight.span, "指标\(syntax.name.value.quotedName)的分值不能为负数")
    }
    if syntax.weightFromTable && !syntax.fromRows {
      report(
        .badRange, at: syntax.weight.span, "只有逐行指标的分值可以由表给出（表定），\(syntax.name.value.quotedName)不是逐行指标",
        notes: ["写成：指标 \(syntax.name.value) 表定 { 逐行 }"])
    }
    if !children.isEmpty && !syntax.hasUnreadMembers {
      checkWeights(
        of: children, against: syntax.weight.value, owner: "指标\(syntax.name.value.quotedName)的分值为",
        at: syntax.weight.span)
    }
    return CheckedIndicator(
      name: syntax.name.value, span: syntax.name.span, weight: syntax.weight.value,
      description: syntax.description, standard: syntax.standard, children: children, score: score,
      fromRows: syntax.fromRows, weightFromTable: syntax.weightFromTable)
  }

  private mutating func checkWeights(
    of children: [CheckedIndicator], against total: ExactDecimal, owner: String, at span: SourceSpan
  ) {
    var sum = ExactDecimal.zero
    for child in children {
      guard let next = try? sum.adding(child.weight) else { return }
      sum = next
    }
    let fromTable = children.filter(\.weightFromTable)
    // Blocks whose points each table gives share what the fixed ones leave; the table's sum is checked when read.
    guard fromTable.isEmpty ? sum != total : sum > total else { return }
    let parts = children.filter { !$0.weightFromTable }.map { "\($0.name) \($0.weight)" }
    if !fromTable.isEmpty {
      report(
        .weightMismatch, at: span, "\(owner) \(total)，但分值固定的下级指标之和 \(sum) 已超过它，留给表定指标的分值为负",
        notes: ["\(parts.joined(separator: " + ")) = \(sum)"])
      return
    }
    report(
      .weightMismatch, at: span, "\(owner) \(total)，但下级指标分值之和为 \(sum)",
      notes: [children.isEmpty ? "还没有任何下级指标" : "\(parts.joined(separator: " + ")) = \(sum)"])
  }

  /// Columns the sheet can rename; each at most once.
  static let columns = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分", "填报得分", "备注"]

  private mutating func checkColumnLabels(_ labels: [ColumnLabelSyntax]) -> [String: String] {
    var table: [String: String] = [:]
    for entry in labels {
      let column = entry.column.value
      guard Checker.columns.contains(column) else {
        var notes = ["可改名的列：\(Checker.columns.joined(separator: "、"))"]
        if let suggestion = NameSuggestion.closest(to: column, among: Checker.columns) {
          notes.insert("是否指\(suggestion.quotedName)？", at: 0)
        }
        report(.undefinedName, at: entry.column.span, "评分表没有名为“\(column)”的列", notes: notes)
        continue
      }
      if table[column] != nil { report(.duplicateName, at: entry.span, "列“\(column)”的表头写了两次") }
      table[column] = entry.label
    }
    return table
  }

  private mutating func checkGrades(_ grades: [GradeSyntax], fullMarks: ExactDecimal?, at span: SourceSpan)
    -> [Grade]
  {
    var previous: ExactDecimal?
    for (position, grade) in grades.enumerated() {
      let isLast = position == grades.count - 1
      guard let threshold = grade.threshold else {
        if !isLast {
          report(.badGrades, at: grade.span, "只有最后一个等级可以不写分数线", notes: ["其余等级写成如：良 ≥ 80"])
        }
        continue
      }
      if isLast && threshold > .zero {
        report(
          .bandGap, at: grade.span, "总分 [0, \(threshold)) 未被任何等级覆盖",
          notes: ["最后一个等级不写分数线，承接所有更低的总分，如：等级 { 优 ≥ 90；良 ≥ 80；中 ≥ 60；差 }"])
      }
      if let fullMarks, threshold.isNegative || threshold > fullMarks {
        report(.badGrades, at: grade.span, "等级“\(grade.name)”的分数线 \(threshold) 不在 0 到满分 \(fullMarks) 之间")
      }
      if let previous, threshold == previous {
        report(
          .bandOverlap, at: grade.span,
          "总分 ≥ \(threshold) 同时属于\(grades[position - 1].name.quotedName)和“\(grade.name)”两个等级",
          notes: ["每个等级的分数线各不相同，从高到低排列"])
      } else if let previous, threshold > previous {
        report(
          .badGrades, at: grade.span, "等级的分数线应从高到低排列，但“\(grade.name)”的 \(threshold) 不低于上一个的 \(previous)")
      }
      previous = threshold
    }
    if Set(grades.map(\.name)).count != grades.count {
      report(.badGrades, at: span, "等级名称有重复")
    }
    return grades.map { Grade(name: $0.name, threshold: $0.threshold) }
  }

  func resolve(_ name: String, in scope: Scope) -> Int? {
    for frame in scope.frames.reversed() {
      if let index = frame[name] { return index }
    }
    return globals[name]
  }
}
