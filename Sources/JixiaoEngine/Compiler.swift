/// The pipeline from rule text to an evaluation plan: tokens → syntax → checked program →
/// static guarantees → plan.
public struct CompiledRules: Sendable {
  public let source: SourceFile
  public let syntax: RulesFileSyntax
  public let plan: EvaluationPlan?
  public let diagnostics: [Diagnostic]
}

public enum Compiler {
  public static let version = "0.1.0"

  /// `staticChecks: false` skips the guarantees of the Analyzer (bounds, divisions, bands, dead
  /// rules): only for tests that exercise an earlier or later stage on deliberately loose rules.
  /// A revision (基于 …) is merged onto the files it is based on, read with `load` (a path
  /// relative to the current folder → the file, or nil), and checked as one ruleset.
  public static func compile(
    _ original: SourceFile, staticChecks: Bool = true, load: ((String) -> SourceFile?)? = nil
  ) -> CompiledRules {
    var source = original
    if let tooLarge = Limits.refuseRules(source) {
      return CompiledRules(source: source, syntax: RulesFileSyntax(), plan: nil, diagnostics: [tooLarge])
    }
    var (syntax, syntaxDiagnostics) = Parser.parse(source)
    var baseSyntaxes: [RulesFileSyntax] = []
    /// A base that cannot be read leaves only part of the rules: checking them would list errors
    /// (no 满分, no 行评分) that are only that.
    var baseUnusable = false
    if syntax.base != nil {
      let resolution = BaseResolution(from: source, syntax: syntax, load: load)
      syntaxDiagnostics += resolution.diagnostics
      baseUnusable = resolution.diagnostics.contains {
        $0.code == .baseMissing || $0.code == .baseCycle || $0.code == .limitExceeded
      }
      source.bases = resolution.chain.map(\.source)
      baseSyntaxes = resolution.chain.map(\.syntax)
      // A revision's test file that names no rules runs against those its base's tests name.
      if syntax.uses == nil, let named = resolution.chain.first(where: { $0.syntax.uses != nil }),
        let uses = named.syntax.uses, let target = BaseResolution.resolve(uses.value, relativeTo: named.source.path)
      {
        let folder = source.path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
          separator: "/")
        let relative = folder.isEmpty ? target : String(target.dropFirst(folder.count + 1))
        syntax.uses = Located(value: relative, span: uses.span)
      }
      var merged = resolution.chain.last?.syntax.rulesets.first
      for revision in ([syntax] + resolution.chain.map(\.syntax)).dropLast().reversed() {
        guard let base = merged, let own = revision.rulesets.first else { continue }
        let (result, problems) = RevisionMerge.merge(own, onto: base)
        merged = result
        syntaxDiagnostics += problems
      }
      if let merged, !syntax.rulesets.isEmpty { syntax.rulesets[0] = merged }
    }
    if !syntax.tests.isEmpty || !syntax.baseCases.isEmpty || !syntax.removedTests.isEmpty
      || baseSyntaxes.contains(where: { !$0.tests.isEmpty })
    {
      let (resolved, problems) = TestInheritance.resolve(syntax, bases: baseSyntaxes)
      syntax.tests = resolved.tests
      syntaxDiagnostics += problems
    }
    var diagnostics = syntaxDiagnostics
    var plan: EvaluationPlan?
    if let tooMany = Limits.refuseIndicators(syntax) {
      return CompiledRules(
        source: source, syntax: syntax, plan: nil,
        diagnostics: (diagnostics + [tooMany]).inSourceOrder().limitedPerFile())
    }
    if syntax.rulesets.isEmpty && syntax.tests.isEmpty && !syntaxDiagnostics.hasErrors {
      diagnostics.append(
        Diagnostic(.badHeader, at: .unknown(source.path), "文件中没有规则集", notes: ["规则文件以“规则集 \"名称\" { … }”开始"]))
    }
    for extra in syntax.rulesets.dropFirst() {
      diagnostics.append(Diagnostic(.badHeader, at: extra.span, "一个文件只能有一个规则集，请把\(extra.name.quotedName)放到另一个文件"))
    }
    if let ruleset = syntax.rulesets.first, !baseUnusable {
      let (program, checkDiagnostics) = Checker.check(ruleset, source: source)
      diagnostics += checkDiagnostics
      // The static guarantees need a well-formed program; their errors block scoring too.
      if let program, !diagnostics.hasErrors {
        if staticChecks { diagnostics += Analyzer.analyze(program) }
        if !diagnostics.hasErrors { plan = EvaluationPlan(program) }
      }
    }
    // A problem in an inherited part points at the base file's line and says how it was reached.
    let inherited = diagnostics.map { diagnostic -> Diagnostic in
      guard diagnostic.span.file != source.path, source.bases.contains(where: { $0.path == diagnostic.span.file })
      else { return diagnostic }
      var noted = diagnostic
      noted.notes.append("这一处继承自“\(diagnostic.span.file)”，经由“\(source.path)”的“基于”引入")
      return noted
    }
    return CompiledRules(
      source: source, syntax: syntax, plan: plan, diagnostics: inherited.inSourceOrder().limitedPerFile())
  }

  /// Decodes one department's data and scores it. Without usable data the sheet is nil and
  /// the diagnostics say why.
  public static func score(_ dataFile: SourceFile, with plan: EvaluationPlan, explain: Bool = false) -> (
    sheet: ScoreSheet?, diagnostics: [Diagnostic]
  ) {
    let (data, decodeDiagnostics) = DataDecoder.decode(dataFile, for: plan)
    guard let data, data.fitToScore else { return (nil, decodeDiagnostics.limitedPerFile()) }
    var sheet = Scorer.score(data, with: plan, explain: explain)
    sheet.diagnostics = (decodeDiagnostics + sheet.diagnostics).limitedPerFile()
    return (sheet, sheet.diagnostics)
  }
}
