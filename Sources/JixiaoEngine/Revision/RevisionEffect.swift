/// What a revision does to a department's score: its data scored under both versions of the
/// rules (inputs one version does not know are passed over), and the indicators that moved it.
public struct RevisionEffect: Sendable {
  public struct Move: Sendable, Equatable {
    public var indicator: String
    public var old: ExactDecimal?
    public var new: ExactDecimal?
  }

  public var file: String
  public var subject: String
  public var oldTotal: ExactDecimal?
  public var oldGrade: String?
  public var newTotal: ExactDecimal?
  public var newGrade: String?
  /// Leaf indicators whose score differs, or that exist in one version only.
  public var moves: [Move] = []
  /// Inputs the new version needs that the data does not give.
  public var missing: [String] = []
  /// Why a version could not score the data at all.
  public var oldProblem: String?
  public var newProblem: String?

  /// `renames`: old indicator name → new, so a renamed indicator is compared with itself.
  public init(data: SourceFile, old: EvaluationPlan, new: EvaluationPlan, renames: [String: String] = [:]) {
    file = data.path
    let before = RevisionEffect.score(data, old)
    let after = RevisionEffect.score(data, new)
    (oldProblem, newProblem) = (before.problem, after.problem)
    let sheet = after.sheet ?? before.sheet
    subject = sheet?.project?.label ?? sheet?.subject ?? ""  // a project table is known by its project
    (oldTotal, oldGrade) = (before.sheet?.total, before.sheet?.grade)
    (newTotal, newGrade) = (after.sheet?.total, after.sheet?.grade)
    missing = after.missing
    let leaves = { (sheet: ScoreSheet?) in (sheet?.rows ?? []).filter(\.isLeaf) }
    var names: [String] = []
    for row in leaves(before.sheet).map({ renames[$0.name] ?? $0.name }) + leaves(after.sheet).map(\.name)
    where !names.contains(row) {
      names.append(row)
    }
    for name in names {
      let was = leaves(before.sheet).first { (renames[$0.name] ?? $0.name) == name }
      let now = leaves(after.sheet).first { $0.name == name }
      if was?.score != now?.score || (was == nil) != (now == nil) {
        moves.append(Move(indicator: name, old: was?.score, new: now?.score))
      }
    }
  }

  public var change: ExactDecimal? {
    guard let oldTotal, let newTotal else { return nil }
    return try? newTotal.subtracting(oldTotal)
  }

  static func score(_ data: SourceFile, _ plan: EvaluationPlan) -> (
    sheet: ScoreSheet?, missing: [String], problem: String?
  ) {
    let (decoded, problems) = DataDecoder.decode(data, for: plan, forOtherRules: true)
    guard let decoded, !problems.hasErrors else {
      return (nil, [], problems.first { $0.severity == .error }?.message ?? "数据无法读取")
    }
    let sheet = Scorer.score(decoded, with: plan)
    return (sheet, sheet.missingInputs, nil)
  }
}
