extension ExactDecimal {
  /// Strict ASCII parsing: `[+-]? int ( "." digits )? "%"?` where `int` is either plain
  /// digits or 1-3 digits followed by ",ddd" groups. A trailing "%" divides by 100.
  /// A nonzero digit beyond the 18th fractional place, overflow and anything else (whitespace,
  /// exponents, "1.", ".5") yield nil: a value is read exactly or not at all.
  public init?(parsing text: String) {
    var body = Substring(text)
    let percent = body.last == "%"
    if percent { body.removeLast() }
    let negative = body.first == "-"
    if body.first == "-" || body.first == "+" { body.removeFirst() }

    let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
    guard
      let head = groups.first, !head.isEmpty, Self.isDigits(head),
      groups.count == 1 || head.count <= 3,
      groups.dropFirst().allSatisfy({ $0.count == 3 && Self.isDigits($0) })
    else { return nil }
    let fraction = parts.count == 2 ? parts[1] : ""
    guard parts.count == 1 || (!fraction.isEmpty && Self.isDigits(fraction)) else { return nil }

    // All significant digits, and how many of them sit left of the decimal point.
    let digits = (groups.joined() + fraction).utf8.map { UInt128($0 &- UInt8(ascii: "0")) }
    let kept = groups.joined().count - (percent ? 2 : 0) + Self.fractionDigits  // >= 16
    var magnitude: UInt128 = 0
    for index in 0..<kept {
      let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
      let (next, overflowB) = shifted.addingReportingOverflow(
        index < digits.count ? digits[index] : 0)
      guard !overflowA, !overflowB else { return nil }
      magnitude = next
    }
    // A digit past the 18th place cannot be kept, and rounding it here would round twice.
    guard kept >= digits.count || digits[kept...].allSatisfy({ $0 == 0 }) else { return nil }
    guard let value = try? Self.make(magnitude: magnitude, negative: negative) else { return nil }
    self = value
  }

  private static func isDigits(_ text: Substring) -> Bool {
    text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }
}
