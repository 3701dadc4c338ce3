/// A diagnostic's hint as an edit an editor can apply: replace the text at `span` by `replacement`.
public struct QuickFix: Sendable, Hashable {
  public var title: String
  public var span: SourceSpan
  public var replacement: String
}

extension Diagnostic {
  /// The fix a hint spells out as a replacement of the diagnostic's own text: a name's suggestion
  /// (是否指“公众满意度”？), a symbol to write instead (请写 ≥ 或 >=), a missing leading zero
  /// (.5 → 0.5). Hints that need judgment have none.
  public func quickFix(in source: SourceFile) -> QuickFix? {
    guard span.start.line == span.end.line, span.start.offset < span.end.offset else { return nil }
    let written = source.text(span)
    for note in notes {
      let replacement: String?
      if let name = note.between("是否指“", and: "”？") {
        replacement = name
      } else if let symbol = note.between("请写 ", and: " 或", whole: false) {
        replacement = symbol
      } else if note.hasPrefix("小数点前要有数字") && written == "." {
        replacement = "0."
      } else {
        replacement = nil
      }
      if let replacement, replacement != written, !replacement.isEmpty {
        return QuickFix(title: "改为“\(replacement)”", span: span, replacement: replacement)
      }
    }
    return nil
  }
}

extension String {
  /// The text between a prefix and a suffix: of the whole string, or (`whole: false`) up to the
  /// first occurrence of the suffix after the prefix.
  fileprivate func between(_ prefix: String, and suffix: String, whole: Bool = true) -> String? {
    guard hasPrefix(prefix) else { return nil }
    let rest = dropFirst(prefix.count)
    if whole {
      guard rest.hasSuffix(suffix) else { return nil }
      return String(rest.dropLast(suffix.count))
    }
    return rest.firstRange(of: suffix).map { String(rest[..<$0.lowerBound]) }
  }
}
