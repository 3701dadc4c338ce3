/// A calendar day (Gregorian), as standards and reports write it: 2024-06-30 or 2024年6月30日.
/// Only real days exist: there is no 2024-02-30.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Nil for a day that does not exist; years run from 1 to 9999.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.days(inMonth: month, of: year)).contains(day)
    else { return nil }
    (self.year, self.month, self.day) = (year, month, day)
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

  /// 2024-06-30: the form both rules and data accept, with the month and day in two digits.
  public var description: String {
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(day))"
  }

  static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  static func days(inMonth month: Int, of year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Why year-month-day is not a day, for a message: “2024 年 2 月只有 29 天”.
  static func problem(year: Int, month: Int, day: Int) -> String {
    guard (1...9999).contains(year) else { return "年份应在 1 到 9999 之间" }
    guard (1...12).contains(month) else { return "月份应在 1 到 12 之间" }
    return "\(year) 年 \(month) 月只有 \(days(inMonth: month, of: year)) 天"
  }

  /// Days since 1970-01-01 (negative before it); consecutive days differ by 1.
  public var dayNumber: Int {
    // Counting years from March puts the leap day last (H. Hinnant's days_from_civil).
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The day with this day number, if it lies in years 1 to 9999.
  public init?(dayNumber: Int) {
    guard (-719_162...2_932_896).contains(dayNumber) else { return nil }
    let z = dayNumber + 719_468
    let era = z / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  /// The parts of a date written 2024-06-30, 2024-6-30 or 2024年6月30日 (full-width digits and
  /// spaces already normalized away), or nil when the text is not written as a date at all.
  static func parts(of text: String) -> (year: Int, month: Int, day: Int)? {
    var fields: [Int] = []
    var digits = ""
    var separators: [Character] = []
    for character in text {
      if character.isASCII, character.isNumber {
        digits.append(character)
        guard digits.count <= 4 else { return nil }
      } else {
        guard let value = Int(digits) else { return nil }
        fields.append(value)
        separators.append(character)
        digits = ""
      }
    }
    if !digits.isEmpty, let value = Int(digits) { fields.append(value) }
    let lengths = text.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).map(\.count)
    guard fields.count == 3, lengths.count == 3, lengths[0] == 4, lengths[1] <= 2, lengths[2] <= 2 else { return nil }
    guard separators == ["-", "-"] || separators == ["年", "月", "日"] else { return nil }
    return (fields[0], fields[1], fields[2])
  }
}
