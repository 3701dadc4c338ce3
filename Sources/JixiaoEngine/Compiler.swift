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
  public static func compile(_ source: SourceFile, staticChecks: Bool = true) -> CompiledRules {
    if let tooLarge = Limits.refuseRules(source) {
      return CompiledRules(source: source, syntax: RulesFileSyntax(), plan: nil, diagnostics: [tooLarge])
    }
    let (syntax, syntaxDiagnostics) = Parser.parse(source)
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
      diagnostics.append(Diagnostic(.badHeader, at: extra.span, "一个文件只能有一个规则集，请把“\(extra.name)”放到另一个文件"))
    }
    if let ruleset = syntax.rulesets.first {
      let (program, checkDiagnostics) = Checker.check(ruleset, source: source)
      diagnostics += checkDiagnostics
      // The static guarantees need a well-formed program; their errors block scoring too.
      if let program, !diagnostics.hasErrors {
        if staticChecks { diagnostics += Analyzer.analyze(program) }
        if !diagnostics.hasErrors { plan = EvaluationPlan(program) }
      }
    }
    return CompiledRules(
      source: source, syntax: syntax, plan: plan, diagnostics: diagnostics.inSourceOrder().limitedPerFile())
  }

  /// Decodes one department's data and scores it. Without usable data the sheet is nil and
  /// the diagnostics say why.
  public static func score(_ dataFile: SourceFile, with plan: EvaluationPlan, explain: Bool = false) -> (
    sheet: ScoreSheet?, diagnostics: [Diagnostic]
  ) {
    let (data, decodeDiagnostics) = DataDecoder.decode(dataFile, for: plan)
    guard let data, !decodeDiagnostics.hasErrors else { return (nil, decodeDiagnostics.limitedPerFile()) }
    var sheet = Scorer.score(data, with: plan, explain: explain)
    sheet.diagnostics = (decodeDiagnostics + sheet.diagnostics).limitedPerFile()
    return (sheet, sheet.diagnostics)
  }
}
