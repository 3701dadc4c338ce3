/// What changed between two versions of a standard, in the terms an editor signs off: indicators
/// added, removed, moved or renamed; weights (and where the points went); formulas and bands;
/// the inputs departments must supply; grades; and, apart from the logic, the texts.
public struct RulesDiff: Sendable {
  public struct Change: Sendable, Equatable {
    /// 指标, 分值, 公式, 输入, 等级, 设置, 文字
    public var kind: String
    /// The indicator, input or setting concerned.
    public var subject: String
    public var old: String?
    public var new: String?
    /// What it means, in a sentence: “公式中的数 8 → 10、4 → 5”.
    public var meaning: String?
  }

  public var oldName: String
  public var newName: String
  /// Changes to how departments are scored.
  public var logic: [Change] = []
  /// Changes to 说明 and 标准 only.
  public var texts: [Change] = []

  public var isEquivalent: Bool { logic.isEmpty }

  public init(old: Program, new: Program) {
    oldName = old.name
    newName = new.name
    compareSettings(old, new)
    compareIndicators(old, new)
    compareInputs(old, new)
    compareDefinitions(old, new)
    compareRowScoring(old, new)
  }

  // MARK: Row scoring of project tables

  /// Each part of 行评分 as lines an editor reads: precision, methods, choices, synonyms, conversions.
  static func rowScoringLines(_ program: Program) -> [(part: String, key: String, text: String)] {
    guard let scoring = program.rowScoring else { return [] }
    var lines: [(String, String, String)] = [("精度", "精度", "\(scoring.precision)")]
    for (name, formula) in scoring.methods.sorted(by: { $0.key < $1.key }) {
      lines.append(("方法", name, "= " + written(formula, in: program)))
    }
    for (name, bands) in scoring.judgments.sorted(by: { $0.key < $1.key }) {
      lines.append(("方法", name, "评审 { " + bands.map { "\($0.name) → \($0.display)" }.joined(separator: "；") + " }"))
    }
    for choice in scoring.choices {
      let key = [choice.level2, choice.form.rawValue, choice.unit].compactMap { $0 }.joined(separator: " ")
      lines.append(("选用", key + (choice.reading == nil ? "" : "（读法）"), choice.method ?? choice.reading?.rawValue ?? ""))
    }
    for group in scoring.synonymGroups { lines.append(("同义", group.sorted().joined(separator: "，"), "")) }
    for word in scoring.failing.sorted() { lines.append(("未达成", word, "")) }
    for conversion in scoring.conversions {
      lines.append(
        (
          "换算", "\(conversion.unit)/\(conversion.otherUnit)",
          "1 \(conversion.unit) = \(conversion.factor) \(conversion.otherUnit)"
        ))
    }
    return lines
  }

  private mutating func compareRowScoring(_ old: Program, _ new: Program) {
    let before = Self.rowScoringLines(old)
    let after = Self.rowScoringLines(new)
    for line in after {
      let earlier = before.first { $0.part == line.part && $0.key == line.key }
      guard earlier?.text != line.text || earlier == nil else { continue }
      let subject = "行评分·\(line.part) \(line.key)"
      if let earlier {
        logic.append(
          Change(
            kind: "行评分", subject: subject, old: earlier.text, new: line.text,
            meaning: "\(subject)：\(earlier.text) → \(line.text)"))
      } else {
        logic.append(
          Change(
            kind: "行评分", subject: subject, old: nil, new: line.text, meaning: "新增 \(subject)\(Self.spaced(line.text))"))
      }
    }
    for line in before where !after.contains(where: { $0.part == line.part && $0.key == line.key }) {
      let subject = "行评分·\(line.part) \(line.key)"
      logic.append(
        Change(
          kind: "行评分", subject: subject, old: line.text, new: nil, meaning: "删去 \(subject)\(Self.spaced(line.text))"))
    }
  }

  static func spaced(_ text: String) -> String { text.isEmpty ? "" : " " + text }

  // MARK: Settings and grades

  private mutating func compareSettings(_ old: Program, _ new: Program) {
    if old.fullMarks != new.fullMarks {
      logic.append(Change(kind: "设置", subject: "满分", old: "\(old.fullMarks)", new: "\(new.fullMarks)"))
    }
    if old.precision != new.precision {
      logic.append(Change(kind: "设置", subject: "精度", old: "\(old.precision)", new: "\(new.precision)"))
    }
    let grades = { (program: Program) in
      program.grades.map { grade in grade.threshold.map { "\(grade.name) ≥ \($0)" } ?? grade.name }.joined(
        separator: "；")
    }
    if grades(old) != grades(new) {
      logic.append(Change(kind: "等级", subject: "等级表", old: grades(old), new: grades(new)))
    }
  }

  // MARK: Indicators

  struct Flat {
    var indicator: CheckedIndicator
    var parent: String
    /// The score formula as written, read once: renames compare it pair by pair.
    var formula: String?
  }

  static func flatten(_ program: Program) -> [Flat] {
    var result: [Flat] = []
    var pending = program.indicators.reversed().map { ($0, "") }
    while let (indicator, parent) = pending.popLast() {
      result.append(
        Flat(indicator: indicator, parent: parent, formula: indicator.score.map { written($0, in: program) }))
      pending += indicator.children.reversed().map { ($0, indicator.name) }
    }
    return result
  }

  /// Indicators of the old version and the new one that are the same indicator: by name, or
  /// renamed (one removed and one added under the same parent with the same formula, or the same 说明).
  static func matches(_ before: [Flat], _ after: [Flat]) -> [(old: Flat, new: Flat)] {
    var pairs: [(old: Flat, new: Flat)] = []
    for item in after {
      if let earlier = before.first(where: { $0.indicator.name == item.indicator.name }) {
        pairs.append((earlier, item))
      }
    }
    let removed = before.filter { item in !pairs.contains { $0.old.indicator.name == item.indicator.name } }
    var added = after.filter { item in !pairs.contains { $0.new.indicator.name == item.indicator.name } }
    for item in removed {
      guard
        let twin = added.first(where: {
          $0.parent == item.parent
            && (($0.formula != nil && $0.formula == item.formula)
              || ($0.indicator.description != nil && $0.indicator.description == item.indicator.description))
        })
      else { continue }
      pairs.append((item, twin))
      added.removeAll { $0.indicator.name == twin.indicator.name }
    }
    return pairs
  }

  /// Old name → new name for the indicators a revision renamed.
  public static func renames(old: Program, new: Program) -> [String: String] {
    var renamed: [String: String] = [:]
    for pair in matches(flatten(old), flatten(new)) where pair.old.indicator.name != pair.new.indicator.name {
      renamed[pair.old.indicator.name] = pair.new.indicator.name
    }
    return renamed
  }

  private mutating func compareIndicators(_ old: Program, _ new: Program) {
    let before = Self.flatten(old)
    let after = Self.flatten(new)
    let pairs = Self.matches(before, after)
    let place = { (parent: String) in parent.isEmpty ? "最上层" : parent }
    for item in before where !pairs.contains(where: { $0.old.indicator.name == item.indicator.name }) {
      logic.append(
        Change(
          kind: "指标", subject: item.indicator.name, old: "\(item.indicator.weight) 分", new: nil,
          meaning:
            "删除指标\(item.indicator.name.quotedName)（原在\(place(item.parent).quotedName)下，\(item.indicator.weight) 分）"))
    }
    for item in after where !pairs.contains(where: { $0.new.indicator.name == item.indicator.name }) {
      logic.append(
        Change(
          kind: "指标", subject: item.indicator.name, old: nil, new: "\(item.indicator.weight) 分",
          meaning:
            "新增指标\(item.indicator.name.quotedName)（在\(place(item.parent).quotedName)下，\(item.indicator.weight) 分）"))
    }
    var weightChanges: [Change] = []
    for (earlier, item) in pairs {
      let name = item.indicator.name
      if earlier.indicator.name != name {
        logic.append(
          Change(
            kind: "指标", subject: name, old: earlier.indicator.name, new: name,
            meaning: "改名：\(earlier.indicator.name.quotedName)改称\(name.quotedName)"))
      }
      if earlier.parent != item.parent && earlier.indicator.name == name {
        logic.append(
          Change(
            kind: "指标", subject: name, old: earlier.parent, new: item.parent,
            meaning: "\(name.quotedName)从\(place(earlier.parent).quotedName)移到\(place(item.parent).quotedName)下"))
      }
      let (was, now) = (earlier.indicator.weight, item.indicator.weight)
      if was != now {
        let delta = (try? now.subtracting(was)) ?? .zero
        weightChanges.append(
          Change(
            kind: "分值", subject: name, old: "\(was)", new: "\(now)",
            meaning: "\(name.quotedName) \(was) → \(now) 分（\(delta.isNegative ? "" : "+")\(delta)）"))
      }
      if earlier.formula != item.formula, let before = earlier.formula, let after = item.formula {
        logic.append(Change(kind: "公式", subject: name, old: before, new: after, meaning: Self.meaning(before, after)))
      }
      let scoringChanged = earlier.formula != item.formula || earlier.indicator.weight != item.indicator.weight
      if scoringChanged, let standard = item.indicator.standard, standard == earlier.indicator.standard {
        texts.append(
          Change(
            kind: "文字", subject: "\(name)·标准", old: standard, new: standard,
            meaning: "计分已修改，“标准”原文却没有改：请核对原文是否也要修订"))
      }
      for (field, was, now) in [
        ("说明", earlier.indicator.description, item.indicator.description),
        ("标准", earlier.indicator.standard, item.indicator.standard),
      ] where was != now {
        let punctuationOnly = was.map(Self.plain) == now.map(Self.plain)
        texts.append(
          Change(
            kind: "文字", subject: "\(name)·\(field)", old: was, new: now,
            meaning: punctuationOnly ? "仅标点、全半角或空格不同" : nil))
      }
    }
    logic += weightChanges
  }

  // MARK: Inputs and definitions

  private mutating func compareInputs(_ old: Program, _ new: Program) {
    let inputs = { (program: Program) in
      program.cells.filter { $0.input != nil && $0.input?.isRowVariable == false }
    }
    let before = inputs(old)
    let after = inputs(new)
    for cell in after where !before.contains(where: { $0.name == cell.name }) {
      let what = cell.input?.isAssessment == true ? "评审项" : "输入"
      logic.append(
        Change(
          kind: "输入", subject: cell.name, old: nil, new: cell.input?.description ?? "",
          meaning: "新增\(what)\(cell.name.quotedName)：各单位须填写\(cell.input?.description.map { "（\($0)）" } ?? "")"))
    }
    for cell in after {
      guard let earlier = before.first(where: { $0.name == cell.name }), let was = earlier.input, let now = cell.input,
        was.typeName != now.typeName
      else { continue }
      let (from, to) = (was.typeName, now.typeName)
      logic.append(
        Change(kind: "输入", subject: cell.name, old: from, new: to, meaning: "\(cell.name.quotedName)：\(from) → \(to)"))
    }
    for cell in before where !after.contains(where: { $0.name == cell.name }) {
      logic.append(
        Change(
          kind: "输入", subject: cell.name, old: cell.input?.description ?? "", new: nil,
          meaning: "不再需要\(cell.name.quotedName)"))
    }
  }

  private mutating func compareDefinitions(_ old: Program, _ new: Program) {
    for cell in new.cells where cell.input == nil {
      guard let earlier = old.cells.first(where: { $0.input == nil && $0.name == cell.name }),
        let was = earlier.expression.map({ Self.written($0, in: old) }),
        let now = cell.expression.map({ Self.written($0, in: new) }), was != now
      else { continue }
      logic.append(Change(kind: "公式", subject: "设 \(cell.name)", old: was, new: now, meaning: Self.meaning(was, now)))
    }
  }

  // MARK: Texts of formulas

  /// A formula as written, on one line, comments left out.
  static func written(_ expression: CheckedExpression, in program: Program) -> String {
    program.source.text(expression.span).split(whereSeparator: \.isNewline)
      .map {
        Explainer.withoutComment($0).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// Full-width and half-width alike, without spaces: two texts that differ only there read the same.
  static func plain(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map(Lexer.normalized).filter { !$0.properties.isWhitespace }))
  }

  /// The numbers of the old formula that the new one changes, where the two have the same shape:
  /// “公式中的数 8 → 10、4 → 5”; otherwise nil (the two formulas are shown whole).
  static func meaning(_ old: String, _ new: String) -> String? {
    let (oldShape, oldNumbers) = shape(old)
    let (newShape, newNumbers) = shape(new)
    guard oldShape == newShape, oldNumbers.count == newNumbers.count else { return nil }
    var changes: [String] = []
    for (was, now) in zip(oldNumbers, newNumbers) where was != now && !changes.contains("\(was) → \(now)") {
      changes.append("\(was) → \(now)")
    }
    guard !changes.isEmpty else { return nil }
    return (plain(old).hasPrefix("分档") ? "分档界限或得分 " : "公式中的数 ") + changes.joined(separator: "、")
  }

  /// The formula with every number replaced by #, and the numbers in order.
  static func shape(_ text: String) -> (String, [String]) {
    var shape = ""
    var numbers: [String] = []
    var current = ""
    for scalar in plain(text).unicodeScalars {
      if ("0"..."9").contains(scalar) || (scalar == "." && !current.isEmpty) || (scalar == "%" && !current.isEmpty) {
        current.unicodeScalars.append(scalar)
        continue
      }
      if !current.isEmpty {
        numbers.append(current)
        shape += "#"
        current = ""
      }
      shape.unicodeScalars.append(scalar)
    }
    if !current.isEmpty {
      numbers.append(current)
      shape += "#"
    }
    return (shape, numbers)
  }
}
