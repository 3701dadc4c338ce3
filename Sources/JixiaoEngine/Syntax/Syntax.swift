/// The syntax tree of a rules file, as written: names are still text, nothing is checked yet.
public struct RulesFileSyntax: Sendable {
  public var rulesets: [RulesetSyntax] = []
  public var tests: [TestSyntax] = []
  /// 基准 "名称" { 输入 { … } }: shared inputs and rows that tests written 基于 it vary.
  public var baseCases: [TestSyntax] = []
  /// 删除 测试 "名称": tests of the base year's test file that a revision's no longer runs.
  public var removedTests: [Located<String>] = []
  /// 适用 "…": the rules file a test file's tests run against.
  public var uses: Located<String>?
  /// 基于 "…": the rules file this one revises; it states only what changes.
  public var base: Located<String>?
}

public struct RulesetSyntax: Sendable {
  /// Names whose declaration was begun but could not be read: using them is not a second error.
  public var unreadDeclarations: Set<String> = []
  /// A member could not be read, so the indicators' weight sum is not worth a second error.
  public var hasUnreadMembers = false
  public var name: String
  public var span: SourceSpan
  public var fullMarks: Located<ExactDecimal>?
  public var precision: Located<Int>?
  public var grades: [GradeSyntax]?
  public var gradesSpan: SourceSpan?
  public var inputs: [InputSyntax] = []
  public var definitions: [DefinitionSyntax] = []
  public var indicators: [IndicatorSyntax] = []
  /// 删除 指标 名称: in a revision, indicators of the base that no longer exist.
  public var removals: [Located<String>] = []
  public var rowScoring: RowScoringSyntax?
  /// 表头 { 年度指标值 → "年度目标值" }: the template's own names for the sheet's columns.
  public var columnLabels: [ColumnLabelSyntax] = []
}

public struct ColumnLabelSyntax: Sendable {
  public var column: Located<String>
  public var label: String
  public var span: SourceSpan
}

/// How the rows of a project table (指标 … { 逐行 }) are scored.
public struct RowScoringSyntax: Sendable {
  public var span: SourceSpan
  public var precision: Located<Int>?
  public var methods: [MethodSyntax] = []
  public var choices: [MethodChoice] = []
  public var synonyms: [Located<[String]>] = []
  /// Where 选用 { … } stands, for a form it leaves out.
  public var choicesSpan: SourceSpan?
  public var failing: [String] = []
  public var conversions: [ConversionSyntax] = []
  /// Set while the block is parsed, so a syntax error inside it is not also reported as a missing 行评分.
  public var incomplete = false
}

public struct MethodSyntax: Sendable {
  public var name: Located<String>
  public var description: String?
  /// A method is a formula, or an assessor's judgment among named bands (评审 { … }).
  public var formula: Expression?
  public var judgment: [JudgmentBandSyntax] = []
}

/// 基本达成 → [50%, 80%): a band an assessor may put a row in, as shares of the row's points.
public struct JudgmentBandSyntax: Sendable {
  public var name: Located<String>
  public var lower: ExactDecimal
  public var upper: ExactDecimal
  public var upperClosed: Bool
  public var span: SourceSpan
}

/// The form of a row's 年度指标值, which picks its method when the row names none.
public enum TargetForm: String, Sendable, CaseIterable {
  case atLeast = "≥", greater = ">", atMost = "≤", less = "<", equal = "="
  /// A number without a comparator (“2”, “90%”, “6人”): read as one of the comparators above.
  case bare = "单值"
  case text = "文字", notApplicable = "不适用"
  /// Target cell left empty: an unfinished table unless the rules choose a method for it.
  case blank = "空白"

  public var isComparison: Bool { [.atLeast, .greater, .atMost, .less, .equal].contains(self) }
}

/// One entry of 选用: `[二级指标] 形式 [单位] → 方法`, or for bare targets `单值 [单位] → ≥`.
public struct MethodChoice: Sendable {
  public var level2: Located<String>?
  public var form: TargetForm
  /// A unit word, or 金额 for any money unit and 百分比 for %.
  public var unit: Located<String>?
  public var method: Located<String>?
  /// The comparator a bare target is read as.
  public var reading: TargetForm?
  public var span: SourceSpan
}

/// 1 小时 = 60 分钟
public struct ConversionSyntax: Sendable {
  public var amount: ExactDecimal
  public var unit: String
  public var equals: ExactDecimal
  public var otherUnit: String
  public var span: SourceSpan
}

public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var span: SourceSpan
}

public struct GradeSyntax: Sendable {
  public var name: String
  /// nil for the last grade, which takes every remaining score.
  public var threshold: ExactDecimal?
  public var span: SourceSpan
}

public enum InputKind: Sendable, Equatable {
  /// An amount of money, with the unit the data gives it in (万元, 元).
  case amount(unit: String?)
  case count
  case percent
  case number
  /// A calendar day, such as the day a report was submitted.
  case date
  case boolean
  case choice([String])
  /// Points an assessor gives, within a closed range.
  case points(ExactDecimal, ExactDecimal)
}

public struct InputSyntax: Sendable {
  public var name: Located<String>
  public var kind: InputKind
  /// A fixed-length list, such as four quarters.
  public var length: Int?
  /// Assessor-entered (评审): below its best value the data must give a reason.
  public var isAssessment: Bool
  public var defaultValue: Expression?
  public var description: String?
  public var span: SourceSpan
  /// A range written after the type: 百分比（-100%..）, 数值（0..10）.
  public var range: DeclaredRange? = nil
}

/// The values an input may take, both ends included; an end left out is unbounded.
public struct DeclaredRange: Sendable, Equatable {
  public var lower: ExactDecimal?
  public var upper: ExactDecimal?
  /// Whether every end written carries %, and whether any does.
  public var allPercent: Bool
  public var anyPercent: Bool
  public var span: SourceSpan
}

public struct DefinitionSyntax: Sendable {
  public var name: Located<String>
  public var value: Expression
  public var span: SourceSpan
}

public struct IndicatorSyntax: Sendable {
  public var name: Located<String>
  public var weight: Located<ExactDecimal>
  /// 表定: each table gives this block's points (the template lets each project weigh its blocks).
  public var weightFromTable = false
  /// A revision may leave the points out: the base's stand.
  public var weightWritten = true
  /// 删除 指标 名称 inside it, in a revision.
  public var removals: [Located<String>] = []
  public var description: String?
  public var standard: String?
  public var inputs: [InputSyntax] = []
  public var definitions: [DefinitionSyntax] = []
  public var children: [IndicatorSyntax] = []
  public var score: Expression?
  /// 逐行: the sub-indicators are the rows the data's table gives for this indicator.
  public var fromRows = false
  /// 得分 was written, even if its formula could not be read.
  public var scoreWritten = false
  /// A member could not be read: it may have been the score or a sub-indicator, so neither a
  /// missing score nor a weight sum is worth a second error.
  public var hasUnreadMembers = false
  public var span: SourceSpan
}

public struct TestSyntax: Sendable {
  public var name: String
  public var span: SourceSpan
  public var inputs: [DefinitionSyntax] = []
  public var expectations: [DefinitionSyntax] = []
  /// Table rows for 逐行 indicators: 一级, 二级, 三级, 年度指标值, 实际完成值, 分值.
  public var rows: [Located<[Expression]>] = []
  /// 基于 "基准名": the test starts from that case's inputs and rows.
  public var baseCase: Located<String>?
}

public indirect enum ExpressionKind: Sendable {
  case number(ExactDecimal, percent: Bool)
  case string(String)
  case boolean(Bool)
  case date(CivilDate)
  case name(String)
  case list([Expression])
  case negate(Expression)
  case not(Expression)
  case binary(BinaryOperator, Expression, Expression)
  case conditional(Expression, then: Expression, else: Expression)
  case call(Located<String>, [Expression])
  case bands(Expression, [BandArm])
  case checklist([ChecklistItem])
}

public struct Expression: Sendable {
  public var kind: ExpressionKind
  public var span: SourceSpan

  /// The parts directly inside this expression.
  var children: [Expression] {
    switch kind {
    case .number, .string, .boolean, .date, .name: []
    case .list(let elements): elements
    case .negate(let operand), .not(let operand): [operand]
    case .binary(_, let left, let right): [left, right]
    case .conditional(let condition, let whenTrue, let whenFalse): [condition, whenTrue, whenFalse]
    case .call(_, let arguments): arguments
    case .bands(let subject, let arms): [subject] + arms.map(\.result)
    case .checklist(let items): items.flatMap { [$0.condition, $0.points] }
    }
  }

  /// How deeply the tree nests, measured without recursion so that any input is safe to measure.
  var depth: Int {
    var deepest = 0
    var pending: [(Expression, Int)] = [(self, 1)]
    while let (expression, level) = pending.popLast() {
      deepest = max(deepest, level)
      pending.append(contentsOf: expression.children.map { ($0, level + 1) })
    }
    return deepest
  }
}

public enum BinaryOperator: String, Sendable {
  case add = "+", subtract = "-", multiply = "×", divide = "÷"
  case equal = "=", notEqual = "≠", less = "<", lessEqual = "≤", greater = ">", greaterEqual = "≥"
  case and = "且", or = "或"

  public var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
    default: false
    }
  }

  public var isArithmetic: Bool { [.add, .subtract, .multiply, .divide].contains(self) }
}

public enum BandPattern: Sendable {
  /// ≥ 95%, < 80%, = 100%
  case compare(BinaryOperator, Expression)
  /// [90%, 95%) and the like: each end visibly open or closed.
  case interval(lower: Expression, lowerClosed: Bool, upper: Expression, upperClosed: Bool)
  /// One option of a choice input.
  case option(String)
  /// 其他: whatever no earlier band took.
  case otherwise
}

public struct BandArm: Sendable {
  public var pattern: BandPattern
  public var result: Expression
  public var span: SourceSpan
}

public struct ChecklistItem: Sendable {
  public var condition: Expression
  public var points: Expression
  public var span: SourceSpan
}
