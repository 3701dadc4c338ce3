/// Turns diagnostics into what a person or a CI system reads.
public enum DiagnosticRenderer {
  /// `file:line:col: 错误[E010]: message`, then the source line with a caret under the span,
  /// then the notes.
  public static func text(_ diagnostics: [Diagnostic], files: [String: SourceFile]) -> String {
    diagnostics.map { text($0, file: files[$0.span.file]) }.joined(separator: "\n\n")
  }

  public static func text(_ diagnostic: Diagnostic, file: SourceFile?) -> String {
    let span = diagnostic.span
    var lines = [
      "\(span.file.visible()):\(span.start.line):\(span.start.column): \(diagnostic.severity.chinese)[\(diagnostic.code.rawValue)]: \(diagnostic.message.visible(limit: 2000))"
    ]
    if let file {
      let line = file.lineScalars(span.start.line)
      let start = min(max(0, span.start.column - 1), line.count)
      let end = span.end.line == span.start.line ? min(max(start + 1, span.end.column - 1), line.count) : line.count
      // A long line shows only a window around the place, with “…” where it is cut.
      let window = max(0, start - 40)..<min(line.count, max(end, start + 1) + 60)
      let prefix = window.lowerBound > 0 ? "…" : ""
      let suffix = window.upperBound < line.count ? "…" : ""
      func text(_ range: Range<Int>) -> String {
        let from = line.startIndex + max(range.lowerBound, 0)
        let to = line.startIndex + max(range.lowerBound, min(range.upperBound, line.count))
        // Tabs align as one column; other control characters (NUL…) must not reach the terminal.
        return String(
          String.UnicodeScalarView(
            line[from..<to].map { $0 == "\t" ? " " : $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }))
      }
      let before = prefix + text(window.lowerBound..<start)
      let caretWidth = max(1, DisplayWidth.of(text(start..<min(end, window.upperBound))))
      let number = String(span.start.line)
      let gutter = String(repeating: " ", count: number.count)
      lines.append("\(gutter) |")
      lines.append("\(number) | \(prefix)\(text(window))\(suffix)")
      lines.append(
        "\(gutter) | " + String(repeating: " ", count: DisplayWidth.of(before))
          + String(repeating: "^", count: caretWidth))
    }
    let noteGutter = file == nil ? "" : String(repeating: " ", count: String(span.start.line).count) + " "
    for note in diagnostic.notes { lines.append("\(noteGutter)= \(note.visible(limit: 2000))") }
    return lines.joined(separator: "\n")
  }

  /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
  public static func github(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { diagnostic in
      let level = diagnostic.severity == .error ? "error" : diagnostic.severity == .warning ? "warning" : "notice"
      let span = diagnostic.span
      let place =
        "file=\(escapeProperty(span.file)),line=\(span.start.line),col=\(span.start.column),"
        + "endLine=\(span.end.line),endColumn=\(span.end.column),title=\(diagnostic.code.rawValue) \(escapeProperty(diagnostic.code.title))"
      let message = ([diagnostic.message] + diagnostic.notes).map { $0.visible(limit: 2000) }.joined(separator: "\n")
      return "::\(level) \(place)::\(escapeData(message))"
    }
  }

  private static func escapeData(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      default: result.append(character)
      }
    }
    return result
  }

  private static func escapeProperty(_ text: String) -> String {
    var result = ""
    for character in escapeData(text) {
      switch character {
      case ":": result += "%3A"
      case ",": result += "%2C"
      default: result.append(character)
      }
    }
    return result
  }

  /// `{"diagnostics":[{"file","line","column","endLine","endColumn","severity","code","message","notes"}]}`
  public static func json(_ diagnostics: [Diagnostic]) -> JSONOutput {
    .object([("diagnostics", .array(diagnostics.map(json)))])
  }

  public static func json(_ diagnostic: Diagnostic) -> JSONOutput {
    .object([
      ("file", .string(diagnostic.span.file)), ("line", .integer(diagnostic.span.start.line)),
      ("column", .integer(diagnostic.span.start.column)), ("endLine", .integer(diagnostic.span.end.line)),
      ("endColumn", .integer(diagnostic.span.end.column)), ("severity", .string(diagnostic.severity.rawValue)),
      ("code", .string(diagnostic.code.rawValue)), ("message", .string(diagnostic.message)),
      ("notes", .array(diagnostic.notes.map(JSONOutput.string))),
    ])
  }
}
