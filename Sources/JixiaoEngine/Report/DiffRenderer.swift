/// Prints a revision's change memo (修订说明): the logic first, grouped as an editor reads it,
/// then the texts, then the effect on real departments' scores.
public enum DiffRenderer {
  static let groups = [
    ("指标", "指标的增删、改名和移动"), ("分值", "分值的调整（分数的去向）"), ("公式", "计分公式与分档"),
    ("输入", "各单位须填报的数据"), ("行评分", "项目表的行评分"), ("等级", "等级"), ("设置", "满分与精度"),
  ]

  public static func render(_ diff: RulesDiff, effects: [RevisionEffect], format: SheetRenderer.Format) -> String {
    switch format {
    case .json: json(diff, effects: effects).rendered()
    case .markdown: lines(diff, effects: effects, markdown: true).joined(separator: "\n")
    case .text: lines(diff, effects: effects, markdown: false).joined(separator: "\n")
    }
  }

  static func lines(_ diff: RulesDiff, effects: [RevisionEffect], markdown: Bool) -> [String] {
    let heading = markdown ? "## " : ""
    let subheading = markdown ? "### " : "  "
    let bullet = markdown ? "- " : "    - "
    let detail = markdown ? "    - " : "        "
    var lines = [(markdown ? "# " : "") + "修订说明：\(diff.oldName) → \(diff.newName)".visible(), ""]
    lines.append(heading + "一、评分规则的变化（\(diff.logic.count) 项）")
    if diff.logic.isEmpty { lines.append(bullet + "计分规则没有变化") }
    for (kind, title) in groups {
      let changes = diff.logic.filter { $0.kind == kind }
      guard !changes.isEmpty else { continue }
      lines += ["", subheading + title]
      for change in changes {
        // Formulas, grades and settings show the old and the new in full; the rest say it in a sentence.
        let shownWhole = ["公式", "等级", "设置"].contains(kind)
        let summary = shownWhole ? "\(change.subject)：\(change.meaning ?? "")" : change.meaning ?? change.subject
        lines.append(bullet + summary.visible(limit: 2000))
        guard shownWhole else { continue }
        lines.append(detail + "原：" + (change.old ?? "—").visible(limit: 2000))
        lines.append(detail + "新：" + (change.new ?? "—").visible(limit: 2000))
      }
    }
    lines += ["", heading + "二、文字的变化（\(diff.texts.count) 项，不影响计分）"]
    if diff.texts.isEmpty { lines.append(bullet + "说明和标准的文字没有变化") }
    for change in diff.texts {
      lines.append(bullet + "\(change.subject)\(change.meaning.map { "：\($0)" } ?? "")".visible())
      lines.append(detail + "原：" + (change.old ?? "（无）").visible(limit: 2000))
      lines.append(detail + "新：" + (change.new ?? "（无）").visible(limit: 2000))
    }
    guard !effects.isEmpty else { return lines }
    lines += ["", heading + "三、对各单位得分的影响（\(effects.count) 份数据）", ""]
    let header = ["被评价单位", "原综合评分", "原等级", "新综合评分", "新等级", "变化", "变动的指标"]
    let rows = effects.map { effect -> [String] in
      let moved = effect.moves.map { move in
        "\(move.indicator) \(move.old?.description ?? "—") → \(move.new?.description ?? "—")"
      }
      var missing = effect.missing.isEmpty ? [] : ["新规则缺少数据：" + effect.missing.joined(separator: "、")]
      if let problem = effect.oldProblem { missing.append("按原规则无法计分：" + problem) }
      if let problem = effect.newProblem { missing.append("按新规则无法计分：" + problem) }
      let moves = effect.oldProblem == nil && effect.newProblem == nil ? moved : []
      return [
        effect.subject, effect.oldTotal?.description ?? "—", effect.oldGrade ?? "—",
        effect.newTotal?.description ?? "—",
        effect.newGrade ?? "—", effect.change.map { ($0.isNegative || $0.isZero ? "" : "+") + $0.description } ?? "—",
        (moves + missing).joined(separator: "；"),
      ].map { $0.visible(limit: 2000) }
    }
    if markdown {
      lines += [header, header.map { _ in "---" }].map { "| " + $0.joined(separator: " | ") + " |" }
      lines += rows.map { "| " + $0.map { $0.replacingPipes() }.joined(separator: " | ") + " |" }
    } else {
      var table = TextTable(header: header, rows: rows)
      table.rightAligned = [1, 3, 5]
      lines.append(table.render())
    }
    return lines
  }

  static func json(_ diff: RulesDiff, effects: [RevisionEffect]) -> JSONOutput {
    func text(_ value: String?) -> JSONOutput { value.map(JSONOutput.string) ?? .null }
    func number(_ value: ExactDecimal?) -> JSONOutput { value.map(JSONOutput.number) ?? .null }
    func changes(_ list: [RulesDiff.Change]) -> JSONOutput {
      .array(
        list.map {
          .object([
            ("kind", .string($0.kind)), ("subject", .string($0.subject)), ("old", text($0.old)), ("new", text($0.new)),
            ("meaning", text($0.meaning)),
          ])
        })
    }
    return .object([
      ("old", .string(diff.oldName)), ("new", .string(diff.newName)), ("equivalent", .bool(diff.isEquivalent)),
      ("logic", changes(diff.logic)), ("texts", changes(diff.texts)),
      (
        "effects",
        .array(
          effects.map { effect in
            .object([
              ("file", .string(effect.file)), ("subject", .string(effect.subject)),
              ("oldTotal", number(effect.oldTotal)), ("oldGrade", text(effect.oldGrade)),
              ("newTotal", number(effect.newTotal)), ("newGrade", text(effect.newGrade)),
              ("change", number(effect.change)),
              (
                "moves",
                .array(
                  effect.moves.map {
                    .object([("indicator", .string($0.indicator)), ("old", number($0.old)), ("new", number($0.new))])
                  })
              ),
              ("missing", .array(effect.missing.map(JSONOutput.string))),
              ("oldProblem", text(effect.oldProblem)), ("newProblem", text(effect.newProblem)),
            ])
          })
      ),
    ])
  }
}
