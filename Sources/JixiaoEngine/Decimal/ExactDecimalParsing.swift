extension ExactDecimal {
  /// Strict ASCII parsing: `[+-]? int ( "." digits )? "%"?` where `int` is either plain
  /// digits or 1-3 digits followed by ",ddd" groups. A trailing "%" divides by 100.
  /// A nonzero digit beyond the 18th fractional place, overflow and anything else (whitespace,
  /// exponents, "1.", ".5") yield nil: a value is read exactly or not at all.
  public init?(parsing text: String) {
    var text = text
    guard let value = text.withUTF8(Self.parse) else { return nil }
    self = value
  }

  /// One pass over the bytes: every data file's numbers come through here.
  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
    let (zero, nine) = (UInt8(ascii: "0"), UInt8(ascii: "9"))
    var end = bytes.count
    let percent = end > 0 && bytes[end - 1] == UInt8(ascii: "%")
    if percent { end -= 1 }
    var start = 0
    let negative = start < end && bytes[start] == UInt8(ascii: "-")
    if start < end && (negative || bytes[start] == UInt8(ascii: "+")) { start += 1 }
    // The whole part: plain digits, or a group of 1–3 digits and then ",ddd" groups.
    var point = start
    while point < end && bytes[point] != UInt8(ascii: ".") { point += 1 }
    var wholeDigits = 0
    var group = 0
    var groups = 1
    for index in start..<point {
      let byte = bytes[index]
      if byte == UInt8(ascii: ",") {
        guard group > 0, groups > 1 ? group == 3 : group <= 3 else { return nil }
        groups += 1
        group = 0
      } else {
        guard (zero...nine).contains(byte) else { return nil }
        group += 1
        wholeDigits += 1
      }
    }
    guard group > 0, groups == 1 || group == 3 else { return nil }
    // The fraction: at least one digit after a point.
    let fractionStart = point + 1
    if point < end {
      guard fractionStart < end, bytes[fractionStart..<end].allSatisfy({ (zero...nine).contains($0) }) else {
        return nil
      }
    }
    // The first `kept` digits make the units; any digit after them must be zero.
    let kept = wholeDigits - (percent ? 2 : 0) + Self.fractionDigits
    var magnitude: UInt128 = 0
    var taken = 0
    for index in start..<end where index != point && bytes[index] != UInt8(ascii: ",") {
      let digit = UInt128(bytes[index] - zero)
      if taken < kept {
        let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
        let (next, overflowB) = shifted.addingReportingOverflow(digit)
        guard !overflowA, !overflowB else { return nil }
        magnitude = next
      } else if digit != 0 {
        return nil  // cannot be kept, and rounding it here would round twice
      }
      taken += 1
    }
    if taken < kept {
      guard kept - taken <= 38 else { return nil }
      let (scaled, overflow) = magnitude.multipliedReportingOverflow(by: pow10(kept - taken))
      guard !overflow else { return nil }
      magnitude = scaled
    }
    return try? make(magnitude: magnitude, negative: negative)
  }
}
