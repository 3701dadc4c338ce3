/// The sizes past which Jixiao refuses an input with a diagnostic naming the limit (E060), or
/// stops listing problems (E061), instead of running for minutes or filling the memory. Every
/// stage is linear (or n log n) up to them; they are far beyond any real standard or table.
public enum Limits {
  /// A rules file, in bytes of UTF-8 text (the largest real one is under 100 kB).
  public static let rulesFileBytes = 64 << 20
  /// Any file read, in bytes: a data file of a million table rows is about 200 MB.
  public static let fileBytes = 512 << 20
  /// Indicators in one ruleset (a real one has about 30).
  public static let indicators = 100_000
  /// Rows of one project table (a real one has about 20).
  public static let rows = 1_000_000
  /// Problems listed for one file; the rest are counted in one E061.
  public static let diagnosticsPerFile = 1000

  /// “64 MB”: a byte count as a message shows it.
  static func megabytes(_ bytes: Int) -> String { "\(bytes >> 20) MB" }
}

extension [Diagnostic] {
  /// The first `Limits.diagnosticsPerFile` of them, then one E061 that says how many more there
  /// are, so that a file of 64,000 errors prints a readable report.
  public func limitedPerFile() -> [Diagnostic] {
    let ordered = self
    guard ordered.count > Limits.diagnosticsPerFile else { return ordered }
    let left = ordered.count - Limits.diagnosticsPerFile
    // At the first problem not listed, so that the place where the listing stops is shown.
    let next = ordered[Limits.diagnosticsPerFile].span
    return Array(ordered.prefix(Limits.diagnosticsPerFile)) + [
      Diagnostic(
        .tooManyDiagnostics, ordered.hasErrors ? .error : .warning,
        at: SourceSpan(file: next.file, start: next.start, end: next.start),
        "从这里起还有 \(left) 个问题未列出：每个文件最多列出 \(Limits.diagnosticsPerFile) 个",
        notes: ["请先改正上面列出的问题再检查；同样的错误往往出自同一个原因"])
    ]
  }
}

extension Limits {
  /// E060 for a rules file too large to read, before a token of it is made.
  static func refuseRules(_ source: SourceFile, limit: Int = rulesFileBytes) -> Diagnostic? {
    let bytes = source.scalars.reduce(0) { $0 + UTF8.width($1) }
    guard bytes > limit else { return nil }
    return Diagnostic(
      .limitExceeded, at: .unknown(source.path),
      "规则文件有 \(megabytes(bytes))（\(bytes) 字节），超过了规则文件 \(megabytes(limit)) 的上限，没有读取",
      notes: ["真实的评分标准不到 100 kB；请检查是否选错了文件"])
  }

  /// E060 for a ruleset of more indicators than the limit, before it is checked.
  static func refuseIndicators(_ syntax: RulesFileSyntax, limit: Int = indicators) -> Diagnostic? {
    guard let ruleset = syntax.rulesets.first else { return nil }
    var count = 0
    var pending = ruleset.indicators
    while let indicator = pending.popLast() {
      count += 1
      pending += indicator.children
    }
    guard count > limit else { return nil }
    return Diagnostic(
      .limitExceeded, at: ruleset.span,
      "规则集有 \(count) 个指标，超过了每个规则集 \(limit) 个指标的上限，没有检查",
      notes: ["请把规则拆成几个文件"])
  }
}
