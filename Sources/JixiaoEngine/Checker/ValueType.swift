/// The type of a value in a rule: what the checker verifies before any data is read.
public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
  case number
  case boolean
  /// A calendar day: compared with other days, and 天数 between two gives a number.
  case date
  /// One of a choice input's options.
  case choice([String])
  /// A quoted text, only meaningful compared with a choice.
  case text
  case list(ValueType, Int)

  public var description: String {
    switch self {
    case .number: "数值"
    case .boolean: "是否值"
    case .date: "日期"
    case .choice(let options): "选项（\(options.joined(separator: "，"))）"
    case .text: "文字"
    case .list(let element, let count): "\(count) 个\(element)的列表"
    }
  }

  var element: ValueType {
    if case .list(let element, _) = self { return element }
    return self
  }

  var length: Int? {
    if case .list(_, let count) = self { return count }
    return nil
  }
}

/// A value during evaluation. Choices are texts.
public enum Value: Sendable, Equatable, CustomStringConvertible {
  case number(ExactDecimal)
  case boolean(Bool)
  case text(String)
  case date(CivilDate)
  case list([Value])

  public var description: String { display(asPercent: false) }

  /// How the value reads in a score sheet; percent inputs show as percentages.
  public func display(asPercent: Bool) -> String {
    switch self {
    case .number(let number): Value.shortened(number, asPercent: asPercent)
    case .boolean(let truth): truth ? "是" : "否"
    case .text(let text): text
    case .date(let date): date.description
    case .list(let values): "[" + values.map { $0.display(asPercent: asPercent) }.joined(separator: ", ") + "]"
    }
  }

  /// An intermediate such as 0.61 ÷ 2.35 shows 4 decimals (of the percentage, if a rate) and
  /// "…" to say it goes on; exact values show in full.
  static func shortened(_ number: ExactDecimal, asPercent: Bool) -> String {
    let places = asPercent ? 6 : 4
    let rounded = number.rounded(places: places)
    let text = asPercent ? rounded.percentDescription : rounded.description
    guard rounded != number else { return text }
    return asPercent ? String(text.dropLast()) + "…%" : text + "…"
  }

  var number: ExactDecimal? {
    if case .number(let number) = self { return number }
    return nil
  }

  var boolean: Bool? {
    if case .boolean(let truth) = self { return truth }
    return nil
  }
}
