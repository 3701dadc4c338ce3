/// A place in a text as editors count it (the Language Server Protocol's Position): a 0-based
/// line and a 0-based column in UTF-16 code units, so a CJK character is one unit and a
/// character beyond U+FFFF (such as 𠮷) two.
public struct UTF16Position: Sendable, Hashable {
  public var line: Int
  public var character: Int

  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }
}

extension SourceFile {
  /// The editor's position of a scalar offset.
  public func utf16Position(at offset: Int) -> UTF16Position {
    let place = position(at: min(max(0, offset), scalars.count))
    let lineStart = lineStarts[place.line - 1]
    let units = scalars[lineStart..<place.offset].reduce(0) { $0 + $1.utf16.count }
    return UTF16Position(line: place.line - 1, character: units)
  }

  /// The scalar offset of an editor's position. A line past the end gives the end of the text, a
  /// column past the line's end gives its end, and a column inside a surrogate pair the scalar
  /// that pair encodes: whatever an editor sends lands somewhere in the text.
  public func offset(at position: UTF16Position) -> Int {
    guard position.line >= 0 else { return 0 }
    guard position.line < lineStarts.count else { return scalars.count }
    let lineEnd = position.line + 1 < lineStarts.count ? lineStarts[position.line + 1] - 1 : scalars.count
    var offset = lineStarts[position.line]
    var units = 0
    while offset < lineEnd {
      let width = scalars[offset].utf16.count
      if units + width > position.character { break }
      units += width
      offset += 1
    }
    return offset
  }

  /// Where the text ends, for an edit that replaces all of it.
  public var endPosition: UTF16Position { utf16Position(at: scalars.count) }
}
