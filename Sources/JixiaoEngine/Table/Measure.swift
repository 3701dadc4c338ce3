/// What a 年度指标值 or 实际完成值 cell says: a quantity with an optional comparator and unit,
/// a qualitative text, 不适用, or nothing.
public enum CellValue: Sendable, Equatable {
  case quantity(Measure)
  case text(String)
  case notApplicable
  case empty
}

public struct Measure: Sendable, Equatable {
  public enum Comparator: String, Sendable, CaseIterable {
    case atLeast = "≥", greater = ">", atMost = "≤", less = "<", equal = "="
  }

  /// nil for a bare value such as “6人” or “100%”.
  public var comparator: Comparator?
  /// Text before the comparator, as in “离职率≤20%”.
  public var label: String?
  /// The number with 万/亿 applied; a percentage as a fraction (98% is 0.98).
  public var value: ExactDecimal
  /// "" when none is written, "%" for percentages.
  public var unit: String
}

/// Reads the value cells of a project table. Full-width and half-width forms read alike; a
/// quantity must be the whole cell (“3年的免费保修服务” is a text, not 3 years).
public enum MeasureParser {
  /// Units a quantity may carry; longer spellings come first so that 人次 wins over 人.
  public static let knownUnits: [String] = [
    "人次", "批次", "小时", "分钟", "dB/km", "Gbps", "Mbps", "万元", "GB", "TB", "MB", "人", "台", "个", "件", "次",
    "批", "份", "所", "条", "项", "家", "套", "场", "间", "芯", "年", "月", "天", "日", "秒", "元", "户", "张", "本",
    "篇", "期", "座", "辆", "米", "公里", "平方米", "处", "宗", "单", "轮", "课时", "学时",
  ].sorted { $0.count > $1.count }

  /// What tables write in a cell that does not apply; a blank cell is not one of them.
  static let notApplicableWords: Set<String> = ["不适用", "/", "—", "——", "-", "--", "无"]

  public static func parse(_ text: String) -> CellValue {
    let cell = normalized(text)
    if cell.isEmpty { return .empty }
    if notApplicableWords.contains(cell) { return .notApplicable }
    if let measure = quantity(cell) { return .quantity(measure) }
    return .text(cell)
  }

  /// Full-width letters, digits and signs as half-width; spaces removed; >= and <= as ≥ and ≤.
  public static func normalized(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    var spaced = false
    for scalar in text.unicodeScalars {
      let plain = Lexer.normalized(scalar)
      if plain.properties.isWhitespace {
        spaced = true
        continue
      }
      // “1 5” stays two numbers (and so no number at all), never 15.
      if spaced, let last = result.last, ("0"..."9").contains(last), ("0"..."9").contains(plain) {
        result.append(" ")
      }
      spaced = false
      if plain == "=", let last = result.last, last == ">" || last == "<" {
        result.removeLast()
        result.append(last == ">" ? "≥" : "≤")
        continue
      }
      result.append(plain)
    }
    return String(result)
  }

  private static func quantity(_ cell: String) -> Measure? {
    var scalars = Substring(cell).unicodeScalars[...]
    var label: String?
    var comparator: Measure.Comparator?
    if let at = scalars.firstIndex(where: { Measure.Comparator(rawValue: String($0)) != nil }) {
      let prefix = String(scalars[..<at])
      guard !prefix.unicodeScalars.contains(where: isDigit) else { return nil }
      label = prefix.isEmpty ? nil : prefix
      comparator = Measure.Comparator(rawValue: String(scalars[at]))
      scalars = scalars[scalars.index(after: at)...]
    }
    var digits = ""
    while let first = scalars.first, isDigit(first) || first == "," || first == "." {
      digits.unicodeScalars.append(first)  // the grouping is checked when the number is read
      scalars.removeFirst()
    }
    guard !digits.isEmpty, var value = ExactDecimal(parsing: digits) else { return nil }
    var rest = String(scalars)
    for (word, factor) in [("亿", 100_000_000), ("万", 10_000)] where rest.hasPrefix(word) && rest != "万元" {
      guard let scaled = try? value.multiplied(by: ExactDecimal(factor)) else { return nil }
      value = scaled
      rest.removeFirst()
    }
    if rest == "%" {
      guard let fraction = try? value.divided(by: .hundred) else { return nil }
      return Measure(comparator: comparator, label: label, value: fraction, unit: "%")
    }
    guard rest.isEmpty || isUnit(rest) else { return nil }
    return Measure(comparator: comparator, label: label, value: value, unit: rest)
  }

  /// A unit is a counter word of one or two CJK characters (类, 艘, 人次), a Latin unit (GB,
  /// dB/km), or a longer one from the list (平方米); anything longer is a text (“30分钟内响应”).
  static func isUnit(_ word: String) -> Bool {
    if knownUnits.contains(word) { return true }
    let scalars = Array(word.unicodeScalars)
    if scalars.count <= 2 && scalars.allSatisfy({ $0.properties.isIdeographic }) { return true }
    guard let first = scalars.first, first.properties.isAlphabetic, first.isASCII, scalars.count <= 8 else {
      return false
    }
    return scalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == "/") }
  }

  private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }
}
