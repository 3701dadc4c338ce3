/// The result of scoring one department: the table as the standard lays it out, with where
/// every score came from and how it differs from the report.
public struct ScoreSheet: Sendable {
  public enum Source: Sendable, Equatable {
    case computed
    /// The report's score taken because its figure is missing, with the reason.
    case reported(String)
    /// Could not be computed: inputs missing or a failure (see the diagnostics).
    case unavailable
    /// An assessor's score for a table row, replacing the computed one, with the reason.
    case assessed(String)
  }

  public struct Row: Sendable {
    public var path: [String]
    public var weight: ExactDecimal
    public var isLeaf: Bool
    public var score: ExactDecimal?
    public var source: Source
    public var reported: ExactDecimal?
    /// Reasons behind the score: assessors' reasons, notes on data taken as given.
    public var reasons: [String]
    /// The computation with the values substituted, for --explain.
    public var explanation: [String]
    /// A project table row's 年度指标值 and 实际完成值 as written, and the method that scored it.
    public var target: String?
    public var actual: String?
    public var method: String?
    /// What the rules compute for a row whose score an assessor replaced.
    public var computed: ExactDecimal?
    public var notApplicable = false

    public var name: String { path.last ?? "" }
    public var differsFromReport: Bool {
      guard let score, let reported, source == .computed else { return false }
      return score != reported
    }
  }

  public var rulesetName: String
  /// The template's own column names, by the standard name.
  public var columnLabels: [String: String] = [:]
  public var subject: String
  public var project: ProjectInfo?
  public var year: String?
  public var fullMarks: ExactDecimal
  public var rows: [Row]
  public var total: ExactDecimal?
  public var grade: String?
  public var reportedTotal: ExactDecimal?
  public var reportedGrade: String?
  /// The sum of the report's own leaf scores, when it gives all of them.
  public var reportedLeafSum: ExactDecimal?
  public var diagnostics: [Diagnostic]
  /// Places where the report's own figures disagree with each other, whatever the rules say.
  public var inconsistencies: [Inconsistency] = []
  /// Inputs some score needed that the data does not give.
  public var missingInputs: [String] = []

  public var differences: [Row] { rows.filter(\.differsFromReport) }

  public struct Inconsistency: Sendable, Equatable {
    /// The input or indicator the stated figure belongs to.
    public var about: String
    public var message: String
    /// The basis the report states for the figure: the difference may come from it rather than
    /// from arithmetic.
    public var basis: String? = nil
  }
}
