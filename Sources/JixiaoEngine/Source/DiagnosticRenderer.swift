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
      "\(span.file):\(span.start.line):\(span.start.column): \(diagnostic.severity.chinese)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
    ]
    if let file {
      let source = file.line(span.start.line)
      let number = String(span.start.line)
      let gutter = String(repeating: " ", count: number.count)
      let before = String(source.unicodeScalars.prefix(max(0, span.start.column - 1)).map(Character.init))
      let endColumn = span.end.line == span.start.line ? span.end.column : source.unicodeScalars.count + 1
      let marked = String(
        source.unicodeScalars.dropFirst(max(0, span.start.column - 1)).prefix(max(1, endColumn - span.start.column))
          .map(Character.init))
      let caretWidth = max(1, DisplayWidth.of(marked))
      lines.append("\(gutter) |")
      lines.append("\(number) | \(source.replacingTabs())")
      lines.append(
        "\(gutter) | " + String(repeating: " ", count: DisplayWidth.of(before.replacingTabs()))
          + String(repeating: "^", count: caretWidth))
    }
    let noteGutter = file == nil ? "" : String(repeating: " ", count: String(span.start.line).count) + " "
    for note in diagnostic.notes { lines.append("\(noteGutter)= \(note)") }
    return lines.joined(separator: "\n")
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

extension String {
  fileprivate func replacingTabs() -> String {
    String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
  }
}
