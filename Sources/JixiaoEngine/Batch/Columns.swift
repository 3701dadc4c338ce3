/// The columns of a batch table (CSV, TSV: one department or one project-table line per row) for
/// a plan. `jixiao template --format csv` writes `BatchColumns.template(for:)` and the batch
/// reader matches a header against the same list, so a filled template always reads.
///
/// Convention: an input is its own name, with its unit in full-width brackets for amounts and
/// percentages (全年预算数（万元）, 满意度（%）); a list input is one column per element, numbered
/// from 1 (季度支出进度1 … 季度支出进度4); an input's reason is 名称理由; the report's own scores
/// are 指标名填报得分, 填报总分 and 填报等级; taking a reported score is 指标名采用填报理由. Project
/// tables are in long form: one table line per row, with 项目编码 … 备注.
public struct BatchColumn: Sendable, Equatable {
  public enum Meaning: Sendable, Equatable, Hashable {
    case subject, year, reportedTotal, reportedGrade
    /// An input, or one element of a list input (0-based).
    case input(cell: Int, element: Int?)
    case reason(cell: Int)
    case reportedScore(row: Int)
    case useReported(row: Int)
    /// A field of the data file's "project" object.
    case project(String)
    /// A field of one entry of the data file's "rows".
    case tableRow(String)
  }

  /// The name without its unit.
  public var name: String
  /// 万元, %: what a bare number in the column is in.
  public var unit: String?
  public var meaning: Meaning

  /// The header cell: 全年预算数（万元）.
  public var header: String { unit.map { "\(name)（\($0)）" } ?? name }
}

public enum BatchColumns {
  static let projectFields = [("项目编码", "code"), ("项目名称", "name"), ("一级预算单位", "fundingUnit")]
  static let rowFields = [
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"), ("年度指标值", "target"), ("实际完成值", "actual"),
    ("分值", "points"), ("得分", "reported"), ("偏差原因分析及改进措施", "reason"), ("评审得分", "override"),
    ("评分方法", "method"), ("评审档次", "judgment"), ("档内得分", "score"), ("备注", "note"),
  ]

  /// Every column a table for this plan may have, in template order.
  public static func template(for plan: EvaluationPlan) -> [BatchColumn] {
    let program = plan.program
    var columns = [BatchColumn(name: "被评价单位", meaning: .subject), BatchColumn(name: "年度", meaning: .year)]
    let isProject = plan.rows.contains { $0.indicator.fromRows }
    if isProject { columns += projectFields.map { BatchColumn(name: $0.0, meaning: .project($0.1)) } }
    let inputs = program.cells.indices.filter { program.cells[$0].input.map { !$0.isRowVariable } ?? false }
    for index in inputs {
      let cell = program.cells[index]
      let unit = cell.input.flatMap(unit(of:))
      if case .list(_, let count) = cell.type {
        columns += (0..<count).map {
          BatchColumn(name: "\(cell.name)\($0 + 1)", unit: unit, meaning: .input(cell: index, element: $0))
        }
      } else {
        columns.append(BatchColumn(name: cell.name, unit: unit, meaning: .input(cell: index, element: nil)))
      }
    }
    for index in inputs where program.cells[index].input?.isAssessment == true {
      columns.append(BatchColumn(name: program.cells[index].name + "理由", meaning: .reason(cell: index)))
    }
    if isProject { columns += rowFields.map { BatchColumn(name: $0.0, meaning: .tableRow($0.1)) } }
    columns += [BatchColumn(name: "填报总分", meaning: .reportedTotal), BatchColumn(name: "填报等级", meaning: .reportedGrade)]
    columns += plan.rows.indices.map {
      BatchColumn(name: plan.rows[$0].indicator.name + "填报得分", meaning: .reportedScore(row: $0))
    }
    let leaves = plan.rows.indices.filter { plan.rows[$0].isLeaf }
    columns += leaves.map { BatchColumn(name: plan.rows[$0].indicator.name + "采用填报理由", meaning: .useReported(row: $0)) }
    return columns
  }

  /// The unit a column header shows: the declared money unit, or % for a percentage.
  static func unit(of input: InputSpec) -> String? {
    switch input.kind {
    case .amount(let unit): unit ?? "元"
    case .percent: "%"
    default: nil
    }
  }

  /// The reason column of any input is accepted, not only of the assessments the template lists.
  static func accepted(for plan: EvaluationPlan) -> [String: BatchColumn] {
    var byName: [String: BatchColumn] = [:]
    for column in template(for: plan) { byName[column.name] = column }
    for (index, cell) in plan.program.cells.enumerated()
    where cell.input.map({ !$0.isRowVariable }) ?? false && byName[cell.name + "理由"] == nil {
      byName[cell.name + "理由"] = BatchColumn(name: cell.name + "理由", meaning: .reason(cell: index))
    }
    return byName
  }

  /// Splits “全年预算数（万元）” into the name and the unit written in brackets.
  static func split(_ header: String) -> (name: String, unit: String?) {
    let scalars = Array(header.unicodeScalars)
    guard let last = scalars.last, last == "）" || last == ")",
      let open = scalars.lastIndex(where: { $0 == "（" || $0 == "(" }), open > 0
    else { return (header, nil) }
    let name = String(String.UnicodeScalarView(scalars[..<open])).trimmingWhitespace()
    let unit = String(String.UnicodeScalarView(scalars[(open + 1)..<(scalars.count - 1)])).trimmingWhitespace()
    return (name, unit)
  }
}
