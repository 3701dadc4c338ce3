/// The blank data file a department fills in: every input with its type, unit, range, whether it
/// is required or how it is computed when left out, and where an assessor's reason goes. Left
/// blank (null), an input counts as not given, so `jixiao check` on the blank template names
/// exactly what is missing.
public enum DataTemplate {
  public static func json(_ plan: EvaluationPlan, rulesPath: String) -> JSONOutput {
    let program = plan.program
    var inputs: [(String, JSONOutput)] = []
    for cell in program.cells {
      guard let input = cell.input, !input.isRowVariable else { continue }
      var note = cell.expression.map { "可不填，不填时按 \(RulesDiff.written($0, in: program)) 计算" } ?? "必填"
      note += "。" + (input.isAssessment ? "评审：" : "") + input.dataFormat
      if let description = input.description { note += "。\(description)" }
      var fields: [(String, JSONOutput)] = [("value", .null)]
      if input.isAssessment {
        note += "。未给满分时须在 reason 中写明理由"
        fields.append(("reason", .string("")))
      }
      fields.append(("source", .string(note)))
      inputs.append((cell.name, .object(fields)))
    }
    var members: [(String, JSONOutput)] = [
      ("rules", .string(rulesPath)), ("subject", .string("")), ("year", .null), ("inputs", .object(inputs)),
    ]
    if program.rowScoring != nil {
      if plan.rows.contains(where: { $0.indicator.weightFromTable }) {
        let blocks = plan.rows.filter(\.indicator.weightFromTable).map { ($0.indicator.name, JSONOutput.null) }
        members.append(("weights", .object(blocks)))
      }
      members.insert(("project", .object([("code", .string("")), ("name", .string(""))])), at: 3)
      members.append(("rows", .array([])))
    }
    return .object(members)
  }
}
