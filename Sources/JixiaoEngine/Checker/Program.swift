/// A checked ruleset: every name resolved to a cell, every expression typed, the weights
/// verified. Only a program without errors is planned and evaluated.
public struct Program: Sendable {
  public var name: String
  public var source: SourceFile
  public var fullMarks: ExactDecimal
  public var precision: Int
  public var grades: [Grade]
  /// Inputs and definitions, in declaration order; expressions refer to them by index.
  public var cells: [Cell]
  public var indicators: [CheckedIndicator]
  /// Cells in an order where each comes after everything it uses.
  public var evaluationOrder: [Int]
  /// How the rows of project tables are scored, when the ruleset has 逐行 indicators.
  public var rowScoring: RowScoring?
  /// The template's own names for the sheet's columns, by the standard name (年度指标值 → 年度目标值).
  public var columnLabels: [String: String] = [:]
  /// Bands over a percentage whose limits lack % (W008): their coverage would only repeat that.
  public var bandsLackingPercent: Set<Int> = []
}

public struct RowScoring: Sendable {
  /// The cells a method's formula reads for the row being scored.
  public struct Variables: Sendable {
    public var target: Int
    public var actual: Int
    public var points: Int
    public var met: Int
  }

  public struct Conversion: Sendable {
    /// One `unit` is `factor` of `otherUnit`.
    public var unit: String
    public var otherUnit: String
    public var factor: ExactDecimal
  }

  /// One entry of 选用, checked: its method, or for bare targets the comparator they read as.
  public struct Choice: Sendable {
    public var level2: String?
    public var form: TargetForm
    public var unit: String?
    public var method: String?
    public var reading: TargetForm?

    /// Entries naming the 二级指标 win over those naming a unit, which win over plain ones.
    var specificity: Int { (level2 == nil ? 0 : 2) + (unit == nil ? 0 : 1) }

    func matches(form: TargetForm, unit: String, level2: String) -> Bool {
      guard form == self.form, self.level2 == nil || self.level2 == level2 else { return false }
      switch self.unit {
      case nil: return true
      case "金额"?: return MoneyUnit.all.contains { $0.name == unit }
      case "百分比"?: return unit == "%"
      case let word?: return word == unit
      }
    }
  }

  /// 基本达成 → [50%, 80%): the share of a row's points an assessor may give in this band.
  public struct JudgmentBand: Sendable {
    public var name: String
    public var lower: ExactDecimal
    public var upper: ExactDecimal
    public var upperClosed: Bool

    func allows(_ share: ExactDecimal) -> Bool {
      share >= lower && (upperClosed ? share <= upper : share < upper)
    }

    var display: String {
      lower == upper
        ? lower.percentDescription
        : "[\(lower.percentDescription), \(upper.percentDescription)\(upperClosed ? "]" : ")")"
    }
  }

  public var precision: Int
  public var methods: [String: CheckedExpression]
  /// Methods whose score an assessor gives within the band of the judgment (评审 { … }).
  public var judgments: [String: [JudgmentBand]] = [:]
  public var choices: [Choice]
  public var synonymGroups: [Set<String>]
  public var failing: Set<String>
  public var conversions: [Conversion]
  public var variables: Variables

  /// The most specific entry of 选用 for a row's form, unit and 二级指标.
  func choice(for form: TargetForm, unit: String, level2: String, where wanted: (Choice) -> Bool) -> Choice? {
    choices.filter { $0.matches(form: form, unit: unit, level2: level2) && wanted($0) }
      .max { $0.specificity < $1.specificity }
  }

  /// How a bare target (“2”, “90%”) reads: as the rules say, else as a floor (≥).
  func reading(ofBareUnit unit: String, level2: String) -> TargetForm {
    choice(for: .bare, unit: unit, level2: level2) { $0.reading != nil }?.reading ?? .atLeast
  }

  /// The method for a row: for a bare target, one chosen for 单值 itself, else the one its reading's form takes.
  func method(for form: TargetForm, unit: String, level2: String) -> String? {
    if let chosen = choice(for: form, unit: unit, level2: level2, where: { $0.method != nil })?.method { return chosen }
    guard form == .bare else { return nil }
    return method(for: reading(ofBareUnit: unit, level2: level2), unit: unit, level2: level2)
  }

  var allMethodNames: [String] { Array(methods.keys) + Array(judgments.keys) }
}

public struct Grade: Sendable {
  public var name: String
  public var threshold: ExactDecimal?
}

public struct InputSpec: Sendable {
  public var kind: InputKind
  public var length: Int?
  public var isAssessment: Bool
  public var description: String?
  /// 目标值, 实际值, 分值, 达成: set for each table row, never given by the data's inputs.
  public var isRowVariable = false
  /// A range declared on the type, such as 百分比（-100%..）: it replaces the type's own.
  public var range: Interval? = nil

  /// The numbers the input may take: its declared range, or what its type allows.
  var numberDomain: Interval {
    if let range { return range }
    switch kind {
    case .amount, .percent, .count: return .nonNegative
    case .points(let low, let high): return .closed(low, high)
    default: return .everything
    }
  }

  /// Why a computed number is not one the input may take, or nil when it is (no text is made then).
  func problem(with number: ExactDecimal) -> String? {
    if let range {
      if kind == .count, !number.isInteger { return "应是整数" }
      return range.contains(number) ? nil : "超出声明的取值范围 \(rangeText ?? "")"
    }
    switch kind {
    case .amount where number.isNegative, .percent where number.isNegative: return "不能为负数"
    case .count where number.isNegative || !number.isInteger: return "应是不小于 0 的整数"
    case .points(let low, let high) where number < low || number > high: return "超出范围 \(low)..\(high)"
    default: return nil
    }
  }

  /// The declared range as written: -100%.., 0..10, ..200%.
  var rangeText: String? {
    guard let range else { return nil }
    func show(_ end: ExactDecimal?) -> String {
      guard let end else { return "" }
      return kind == .percent ? end.percentDescription : end.description
    }
    return show(range.lower) + ".." + show(range.upper)
  }

  /// One element's declaration, for the elements of a list input.
  var element: InputSpec {
    var spec = self
    spec.length = nil
    return spec
  }

  /// The best value an assessor can give; below it the data must say why.
  var best: Value? {
    guard isAssessment else { return nil }
    switch kind {
    case .boolean: return .boolean(true)
    case .points(_, let high): return .number(high)
    default: return nil
    }
  }
}

public struct Cell: Sendable {
  public var name: String
  public var span: SourceSpan
  /// nil for a definition (设).
  public var input: InputSpec?
  /// A definition's formula, or an input's default.
  public var expression: CheckedExpression?
  public var type: ValueType
  /// Shown as a percentage in sheets and explanations.
  public var isPercent: Bool
}

public struct CheckedIndicator: Sendable {
  public var name: String
  public var span: SourceSpan
  public var weight: ExactDecimal
  public var description: String?
  public var standard: String?
  public var children: [CheckedIndicator]
  /// Present exactly for leaves; a parent's score is the sum of its children's.
  public var score: CheckedExpression?
  /// The sub-indicators are the data table's rows for this indicator (逐行).
  public var fromRows: Bool = false
  /// 表定: the table gives this block's points; `weight` is then 0 until a table is read.
  public var weightFromTable: Bool = false
}

public struct CheckedExpression: Sendable {
  public indirect enum Kind: Sendable {
    case constant(Value)
    case cell(Int)
    case negate(CheckedExpression)
    case not(CheckedExpression)
    case arithmetic(BinaryOperator, CheckedExpression, CheckedExpression)
    case comparison(BinaryOperator, CheckedExpression, CheckedExpression)
    case logical(BinaryOperator, CheckedExpression, CheckedExpression)
    case conditional(CheckedExpression, CheckedExpression, CheckedExpression)
    case builtin(Builtin, [CheckedExpression])
    case list([CheckedExpression])
    case bands(CheckedExpression, [CheckedBand])
    case checklist([CheckedChecklistItem])
  }

  public var kind: Kind
  public var type: ValueType
  public var span: SourceSpan
}

public struct CheckedBand: Sendable {
  public var test: BandTest
  public var result: CheckedExpression
  public var span: SourceSpan
}

public enum BandTest: Sendable {
  case interval(Interval)
  case option(String)
  case otherwise
}

public struct CheckedChecklistItem: Sendable {
  public var condition: CheckedExpression
  public var points: CheckedExpression
  public var span: SourceSpan
}

/// An interval of numbers with each end open, closed or unbounded.
public struct Interval: Sendable, Equatable {
  public var lower: ExactDecimal?
  public var lowerClosed: Bool
  public var upper: ExactDecimal?
  public var upperClosed: Bool

  public func contains(_ value: ExactDecimal) -> Bool {
    if let lower, lowerClosed ? value < lower : value <= lower { return false }
    if let upper, upperClosed ? value > upper : value >= upper { return false }
    return true
  }

  /// Written as the standard writes it: ≥ 95%, < 80%, [90%, 95%).
  public func display(percent: Bool) -> String {
    func show(_ value: ExactDecimal) -> String { percent ? value.percentDescription : value.description }
    switch (lower, upper) {
    case (nil, nil): return "任意值"
    case (let low?, nil): return (lowerClosed ? "≥ " : "> ") + show(low)
    case (nil, let high?): return (upperClosed ? "≤ " : "< ") + show(high)
    case (let low?, let high?):
      if low == high && lowerClosed && upperClosed { return "= " + show(low) }
      return (lowerClosed ? "[" : "(") + show(low) + ", " + show(high) + (upperClosed ? "]" : ")")
    }
  }
}

/// The units an amount may be declared in, and their power of ten in 元: data written in one of
/// them converts exactly to another.
public enum MoneyUnit {
  public static let all: [(name: String, power: Int)] = [
    ("亿元", 8), ("千万元", 7), ("百万元", 6), ("万元", 4), ("千元", 3), ("元", 0),
  ]
}

public enum Builtin: String, Sendable, CaseIterable {
  case cap, atLeast, min, max, round, floor, ceiling, sum, average, abs, days

  public var spellings: [String] {
    switch self {
    case .cap: ["封顶", "cap"]
    case .atLeast: ["保底", "at_least"]
    case .min: ["最小", "min"]
    case .max: ["最大", "max"]
    case .round: ["四舍五入", "round"]
    case .floor: ["向下取整", "floor"]
    case .ceiling: ["向上取整", "ceil"]
    case .sum: ["求和", "sum"]
    case .average: ["平均", "average"]
    case .abs: ["绝对值", "abs"]
    case .days: ["天数", "days"]
    }
  }

  static let bySpelling: [String: Builtin] = {
    var table: [String: Builtin] = [:]
    for builtin in allCases {
      for spelling in builtin.spellings { table[spelling] = builtin }
    }
    return table
  }()
}
