/// A text being read (a rules file or a data file), kept as Unicode scalars so that every
/// position is an index into one array and a Chinese character is one column.
public struct SourceFile: Sendable {
  public let path: String
  public let scalars: [Unicode.Scalar]
  /// Offsets at which each line starts; line n (1-based) starts at lineStarts[n - 1].
  let lineStarts: [Int]
  /// The files a revision is based on (基于), whose spans its merged rules keep.
  public var bases: [SourceFile] = []

  public init(path: String, text: String) {
    self.init(path: path, scalars: Array(text.unicodeScalars))
  }

  /// A text already split into scalars, such as a table record's, without a round trip through `String`.
  init(path: String, scalars: [Unicode.Scalar]) {
    self.path = path
    var scalars = scalars
    // A lone carriage return (old Mac line endings) ends a line like a line feed does; CRLF keeps
    // its CR, which the line accessors drop. The offsets do not move.
    for index in scalars.indices
    where scalars[index] == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n") {
      scalars[index] = "\n"
    }
    self.scalars = scalars
    var starts = [0]
    for (index, scalar) in scalars.enumerated() where scalar == "\n" {
      starts.append(index + 1)
    }
    lineStarts = starts
  }

  public func position(at offset: Int) -> SourcePosition {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return SourcePosition(line: low + 1, column: offset - lineStarts[low] + 1, offset: offset)
  }

  public func span(_ start: Int, _ end: Int) -> SourceSpan {
    SourceSpan(file: path, start: position(at: start), end: position(at: max(start, end)))
  }

  /// The text of line n without its line break.
  public func line(_ number: Int) -> String {
    String(String.UnicodeScalarView(lineScalars(number)))
  }

  /// The scalars of line n without its line break, without copying: a long line costs nothing.
  public func lineScalars(_ number: Int) -> ArraySlice<Unicode.Scalar> {
    guard number >= 1, number <= lineStarts.count else { return [] }
    var end = number < lineStarts.count ? lineStarts[number] - 1 : scalars.count
    if end > lineStarts[number - 1], end <= scalars.count, scalars[end - 1] == "\r" { end -= 1 }
    return scalars[lineStarts[number - 1]..<max(lineStarts[number - 1], end)]
  }

  public func text(_ span: SourceSpan) -> String {
    if span.file != path, let base = bases.first(where: { $0.path == span.file }) { return base.text(span) }
    let start = min(span.start.offset, scalars.count)
    let end = min(max(span.end.offset, start), scalars.count)
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars[start..<end])
    return String(text)
  }
}

public struct SourcePosition: Sendable, Hashable, Comparable {
  /// 1-based line and column; column counts Unicode scalars.
  public var line: Int
  public var column: Int
  /// 0-based index into the file's scalars.
  public var offset: Int

  public static func < (a: SourcePosition, b: SourcePosition) -> Bool { a.offset < b.offset }
}

public struct SourceSpan: Sendable, Hashable {
  public var file: String
  public var start: SourcePosition
  public var end: SourcePosition

  public static func unknown(_ file: String) -> SourceSpan {
    let origin = SourcePosition(line: 1, column: 1, offset: 0)
    return SourceSpan(file: file, start: origin, end: origin)
  }

  public func through(_ other: SourceSpan) -> SourceSpan {
    SourceSpan(file: file, start: start, end: max(end, other.end))
  }
}

extension Unicode.Scalar {
  /// “U+200B”: how a message names a character that cannot be shown, at least four hex digits.
  var codePoint: String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}

extension String {
  /// User text as it may be shown on a terminal or page: line breaks and tabs as spaces, every
  /// other control character (escape sequences, NUL, C1) named as U+XXXX, and a quote longer than
  /// `limit` characters cut, so that neither a data file nor a huge name can take over the screen.
  public func visible(limit: Int = 400) -> String {
    var result = String.UnicodeScalarView()
    var count = 0
    for scalar in unicodeScalars {
      count += 1
      if count > limit {
        result.append(contentsOf: "…（共 \(unicodeScalars.count) 字）".unicodeScalars)
        break
      }
      switch scalar {
      case "\n", "\r", "\t": result.append(" ")
      case _ where scalar.properties.generalCategory == .control:
        result.append(contentsOf: scalar.codePoint.unicodeScalars)
      default: result.append(scalar)
      }
    }
    return String(result)
  }
}
