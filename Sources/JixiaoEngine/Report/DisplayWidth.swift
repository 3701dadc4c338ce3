/// Terminal columns a text takes: East Asian wide characters take two, combining marks none.
enum DisplayWidth {
  static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + of($1) }
  }

  static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if scalar.properties.generalCategory == .nonspacingMark || value == 0x200B { return 0 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(value) } ? 2 : 1
  }

  static func padded(_ text: String, to width: Int, alignRight: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - of(text)))
    return alignRight ? padding + text : text + padding
  }
}

/// Lays out rows of cells in columns aligned by display width.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  /// Columns aligned to the right (numbers).
  var rightAligned: Set<Int> = []

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in
      all.map { DisplayWidth.of($0.count > column ? $0[column] : "") }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      header.indices.map { column in
        DisplayWidth.padded(
          cells.count > column ? cells[column] : "", to: widths[column], alignRight: rightAligned.contains(column))
      }.joined(separator: "  ").trailingSpacesRemoved()
    }
    let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
  }
}

extension String {
  func trailingSpacesRemoved() -> String {
    var scalars = Substring(self).unicodeScalars
    while scalars.last == " " { scalars.removeLast() }
    return String(scalars)
  }
}
