public enum Severity: String, Sendable, Comparable {
  case error, warning, note

  public var chinese: String {
    switch self {
    case .error: "错误"
    case .warning: "警告"
    case .note: "说明"
    }
  }

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .note: 0
    }
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A finding about a rules or data file: where, how bad, which code, and what to do about it.
public struct Diagnostic: Sendable, Hashable {
  public var span: SourceSpan
  public var severity: Severity
  public var code: DiagnosticCode
  public var message: String
  /// Further lines: hints, related places, the values involved.
  public var notes: [String]

  public init(
    _ code: DiagnosticCode, _ severity: Severity = .error, at span: SourceSpan, _ message: String,
    notes: [String] = []
  ) {
    self.code = code
    self.severity = severity
    self.span = span
    self.message = message
    self.notes = notes
  }
}

extension [Diagnostic] {
  public var hasErrors: Bool { contains { $0.severity == .error } }

  public func inSourceOrder() -> [Diagnostic] {
    enumerated().sorted { a, b in
      (a.element.span.file, a.element.span.start.offset, a.offset)
        < (b.element.span.file, b.element.span.start.offset, b.offset)
    }.map(\.element)
  }
}

extension String {
  /// A name set in “ ” for a message; one that holds its own “ or ” is shown as written, since
  /// wrapping “三公经费”变动 would double the marks: ““三公经费”变动”.
  var quotedName: String { contains("“") || contains("”") ? self : "“\(self)”" }
}
