/// One department's data, decoded against a plan: values by input, reported scores by row.
public struct DepartmentData: Sendable {
  public var file: SourceFile
  public var rulesPath: String?
  public var subject: String
  public var year: String?
  public var given: [Int: GivenValue] = [:]
  /// Figures the report states for computed values (设): checked against the computation, never scored.
  public var stated: [Int: GivenValue] = [:]
  /// The report's own score for a row, where the data gives one.
  public var reportedScores: [Int: ExactDecimal] = [:]
  public var reportedTotal: ExactDecimal?
  public var reportedGrade: String?
  /// Rows whose figure the report lacks: the reported score is taken, with this reason.
  public var useReported: [Int: String] = [:]
  /// Where the inputs object starts, for diagnostics about missing inputs.
  public var inputsSpan: SourceSpan
  /// A project table's identity (项目编码, 项目名称, 一级预算单位).
  public var project: ProjectInfo?
  /// The rows of a project table, in table order.
  public var tableRows: [TableRow] = []
  /// No error but a missing name: the data can be scored, though the file is not yet valid.
  public var fitToScore = true
  /// Points the table gives its 表定 blocks, by plan row; a block it leaves out has its rows' sum.
  public var tableWeights: [Int: ExactDecimal] = [:]

  /// The rules file a data file names, as written and where, read before the rules are loaded.
  public static func rulesReference(in file: SourceFile) -> Located<String>? {
    guard let root = try? JSON.parse(String(String.UnicodeScalarView(file.scalars))),
      let node = root["rules"], let path = node.stringValue
    else { return nil }
    return Located(value: path, span: file.span(node.start.offset, node.end.offset))
  }
}

public struct ProjectInfo: Sendable {
  /// "" when the table gives no 项目编码.
  public var code: String
  public var name: String
  public var fundingUnit: String?

  /// 项目名称（项目编码）, or the name alone.
  public var label: String { code.isEmpty ? name : "\(name)（\(code)）" }
}

/// One row of a 项目支出绩效自评表's 年度绩效指标, as the table has it.
public struct TableRow: Sendable {
  /// The 逐行 indicator (一级指标) the row belongs to.
  public var group: Int
  public var level2: String
  public var name: String
  public var target: String
  public var actual: String
  public var points: ExactDecimal
  public var reported: ExactDecimal?
  /// 偏差原因分析及改进措施.
  public var reason: String?
  /// An assessor's score that replaces the computed one; needs the reason.
  public var override: ExactDecimal?
  /// A method named by the row instead of the one its target's form selects.
  public var method: String?
  /// For a judged method: the band the assessor put the row in, and the score given within it.
  public var judgment: String?
  public var judgedScore: ExactDecimal?
  /// A remark that is not a 偏差原因 (who filled the row, a doubt about the transcription).
  public var note: String?
  public var span: SourceSpan
  /// 1-based position in the table, for messages.
  public var number: Int
  /// A cell the data file lacks, already diagnosed: the row keeps its points but gets no score.
  public var unreadable = false
}

/// Reads a data file's JSON and checks every value against the input it names.
public struct DataDecoder {
  let plan: EvaluationPlan
  private let file: SourceFile
  private var diagnostics: [Diagnostic] = []
  /// A table row was dropped, so the rows' point sums cannot be checked.
  private var rowsIncomplete = false
  private var forOtherRules = false

  /// `forOtherRules`: the data was written for another version of the rules (jixiao diff --data):
  /// inputs these rules do not know are passed over, and the report's scores are not read.
  public static func decode(_ file: SourceFile, for plan: EvaluationPlan, forOtherRules: Bool = false) -> (
    data: DepartmentData?, diagnostics: [Diagnostic]
  ) {
    var decoder = DataDecoder(plan: plan, file: file)
    decoder.forOtherRules = forOtherRules
    let data = decoder.run()
    return (data, decoder.diagnostics.inSourceOrder())
  }

  /// Decodes a data object already built, with positions in `file`: a row of a table (CSV, TSV)
  /// is laid out as the object a JSON data file has, and goes through the same checks. Keys that
  /// come from a header whose columns were checked to be distinct need not be searched again.
  public static func decode(
    _ root: JSONNode, in file: SourceFile, for plan: EvaluationPlan, keysAreUnique: Bool = false
  ) -> (data: DepartmentData?, diagnostics: [Diagnostic]) {
    var decoder = DataDecoder(plan: plan, file: file)
    let data = decoder.run(root, keysAreUnique: keysAreUnique)
    return (data, decoder.diagnostics.inSourceOrder())
  }

  private init(plan: EvaluationPlan, file: SourceFile) {
    self.plan = plan
    self.file = file
  }

  var program: Program { plan.program }

  func span(_ node: JSONNode) -> SourceSpan { file.span(node.start.offset, node.end.offset) }
  private func span(_ member: JSONMember) -> SourceSpan { file.span(member.keyStart.offset, member.keyEnd.offset) }

  mutating func report(
    _ code: DiagnosticCode, _ severity: Severity = .error, at span: SourceSpan, _ message: String, notes: [String] = []
  ) {
    diagnostics.append(Diagnostic(code, severity, at: span, message, notes: notes))
  }

  private mutating func run() -> DepartmentData? {
    do {
      return run(try JSON.parse(String(String.UnicodeScalarView(file.scalars))))
    } catch {
      let at = file.span(error.position.offset, error.position.offset + 1)
      report(.dataSyntax, at: at, error.message)
      return nil
    }
  }

  private mutating func run(_ root: JSONNode, keysAreUnique: Bool = false) -> DepartmentData? {
    guard let members = root.members else {
      report(.dataShape, at: span(root), "数据文件应是一个 JSON 对象 { … }，这里是\(root.value.kindName)")
      return nil
    }
    if !keysAreUnique { reportDuplicateKeys(in: root) }
    var data = DepartmentData(file: file, subject: "", inputsSpan: span(root))
    for member in members {
      switch member.key {
      case "rules": data.rulesPath = text(member)
      case "subject": data.subject = text(member) ?? ""
      case "year":
        switch member.value.value {
        case .number(let digits): data.year = digits
        case .null: break
        default: data.year = text(member)
        }
      case "source", "note", "notes": break
      case "inputs":
        data.inputsSpan = span(member)
        decodeInputs(member.value, into: &data)
      case "stated": decodeStated(member.value, into: &data)
      case "reported": decodeReported(member.value, into: &data)
      case "useReported": decodeUseReported(member.value, into: &data)
      case "project": data.project = decodeProject(member.value)
      case "rows": data.tableRows = decodeRows(member.value)
      case "weights": data.tableWeights = decodeTableWeights(member.value)
      default:
        warnUnknown(
          member,
          allowed: [
            "rules", "subject", "year", "source", "project", "inputs", "stated", "rows", "weights", "reported",
            "useReported",
          ])
      }
    }
    let tableMissing = data.tableRows.isEmpty && !rowsIncomplete && plan.rows.contains { $0.indicator.fromRows }
    if !rowsIncomplete && !tableMissing { checkRowPoints(data) }
    for (row, _) in data.useReported where data.reportedScores[row] == nil {
      report(
        .reportedScoreMissing, at: data.inputsSpan,
        "“useReported”要求采用指标\(plan.rows[row].indicator.name.quotedName)的填报得分，但 reported.scores 中没有它的得分")
    }
    // Every error so far makes the data unfit to score; a missing name alone does not, so a blank
    // template is still scored and every missing figure named.
    data.fitToScore = !diagnostics.hasErrors
    if data.subject.isEmpty {
      report(.dataShape, at: span(root), "数据文件缺少被评价单位名称 \"subject\"")
    }
    if tableMissing {
      report(
        .dataShape, at: span(root), "还没有填写年度绩效指标的各行 \"rows\"",
        notes: ["每行写成 {\"level1\": …, \"level2\": …, \"name\": …, \"target\": …, \"actual\": …, \"points\": …}"])
    }
    return data
  }

  mutating func text(_ member: JSONMember) -> String? {
    guard let text = member.value.stringValue else {
      report(.dataShape, at: span(member.value), "\(member.key.quotedName)应是字符串，这里是\(member.value.value.kindName)")
      return nil
    }
    return text
  }

  private mutating func decodeInputs(_ node: JSONNode, into data: inout DepartmentData) {
    guard let members = node.members else {
      report(.dataShape, at: span(node), "“inputs”应是对象 { \"输入名\": 值, … }")
      return
    }
    for member in members {
      guard let index = plan.inputByName[member.key] else {
        if forOtherRules { continue }
        let inputNames = program.cells.filter { $0.input != nil }.map(\.name)
        var notes: [String] = []
        if let suggestion = NameSuggestion.closest(to: member.key, among: inputNames) {
          notes.append("是否指\(suggestion.quotedName)？")
        } else if program.cells.contains(where: { $0.name == member.key }) {
          notes.append("\(member.key.quotedName)是规则中用“设”计算出的值，不需要填写")
          notes.append("报告写出了这个数的，请写在 \"stated\" 中：{\"stated\": {\"\(member.key)\": …}}，工具会把它与计算结果核对")
        }
        report(
          .unknownInput, at: span(member), "规则\(program.name.quotedName)中没有名为\(member.key.quotedName)的输入", notes: notes)
        continue
      }
      if data.given[index] != nil {
        report(.duplicateName, at: span(member), "输入\(member.key.quotedName)填写了两次")
        continue
      }
      if let given = decodeGiven(member.value, for: index) { data.given[index] = given }
    }
  }

  /// "stated": {"编外人员控制率": "5%"}: figures the report prints for values the rules compute.
  private mutating func decodeStated(_ node: JSONNode, into data: inout DepartmentData) {
    guard let members = node.members else {
      report(.dataShape, at: span(node), "“stated”应是对象 {\"计算值名称\": 报告写出的值, …}")
      return
    }
    let computed = program.cells.indices.filter { program.cells[$0].input == nil }
    for member in members {
      guard let index = computed.first(where: { program.cells[$0].name == member.key }) else {
        var notes: [String] = []
        if program.cells.contains(where: { $0.name == member.key && $0.input?.isRowVariable == false }) {
          notes.append("\(member.key.quotedName)是输入，请直接写在 \"inputs\" 中")
        } else if let suggestion = NameSuggestion.closest(
          to: member.key, among: computed.map { program.cells[$0].name })
        {
          notes.append("是否指\(suggestion.quotedName)？")
        }
        report(
          .unknownInput, at: span(member), "规则\(program.name.quotedName)中没有用“设”计算、名为\(member.key.quotedName)的值",
          notes: notes)
        continue
      }
      let cell = program.cells[index]
      let spec = InputSpec(kind: cell.isPercent ? .percent : .number, length: nil, isAssessment: false)
      if let given = decodeGiven(member.value, for: index, spec: spec) { data.stated[index] = given }
    }
  }

  /// A value, or {"value": …, "reason": "…", "basis": "…"}; assessments below their best need the reason.
  private mutating func decodeGiven(_ node: JSONNode, for index: Int, spec: InputSpec? = nil) -> GivenValue? {
    let cell = program.cells[index]
    var valueNode = node
    var reason: String?
    var basis: String?
    if node.members != nil {
      guard let inner = node["value"] else {
        report(
          .dataShape, at: span(node),
          "\(cell.name.quotedName)写成对象时应是 {\"value\": 值, \"reason\": \"理由\", \"basis\": \"口径\"}")
        return nil
      }
      valueNode = inner
      reason = node["reason"]?.stringValue
      basis = node["basis"]?.stringValue
      warnUnknownFields(of: node, allowed: ["value", "reason", "basis", "source"])
    }
    // Left blank (a template not yet filled in): not given, so a score that needs it says so.
    if case .null = valueNode.value { return nil }
    guard let spec = spec ?? cell.input, let value = decodeValue(valueNode, as: cell.type, spec: spec, name: cell.name)
    else { return nil }
    if let best = spec.best, value != best, (reason ?? "").trimmingWhitespace().isEmpty {
      report(
        .missingReason, at: span(valueNode), "评审项\(cell.name.quotedName)未得满分（填写的是 \(value)，满分为 \(best)），必须写明理由",
        notes: ["写成 {\"value\": \(valueNode.sourceText(in: file)), \"reason\": \"扣分理由\"}"])
    }
    return GivenValue(value: value, reason: reason, span: span(valueNode), basis: basis)
  }

  private mutating func decodeValue(_ node: JSONNode, as type: ValueType, spec: InputSpec, name: String) -> Value? {
    switch type {
    case .list(let element, let count):
      guard let elements = node.elements, elements.count == count else {
        report(.badValue, at: span(node), "\(name.quotedName)应是 \(count) 个值的列表 [ … ]")
        return nil
      }
      let values = elements.compactMap { decodeValue($0, as: element, spec: spec, name: name) }
      return values.count == count ? .list(values) : nil
    case .boolean:
      switch node.value {
      case .bool(let truth): return .boolean(truth)
      case .string("是"): return .boolean(true)
      case .string("否"): return .boolean(false)
      default:
        report(.badValue, at: span(node), "\(name.quotedName)应是 true/false（或 \"是\"/\"否\"）")
        return nil
      }
    case .choice(let options):
      guard let text = node.stringValue, options.contains(text) else {
        var notes = ["可选的有：\(options.joined(separator: "、"))"]
        if let text = node.stringValue, let suggestion = NameSuggestion.closest(to: text, among: options) {
          notes.insert("是否指\(suggestion.quotedName)？", at: 0)
        }
        report(.badValue, at: span(node), "\(name.quotedName)的值应是规定的选项之一", notes: notes)
        return nil
      }
      return .text(text)
    case .date:
      return decodeDate(node, name: name).map(Value.date)
    default:
      guard let number = decodeNumber(node, spec: spec, name: name) else { return nil }
      return .number(number)
    }
  }

  /// "2024-06-30" or "2024年6月30日", a day that exists.
  private mutating func decodeDate(_ node: JSONNode, name: String) -> CivilDate? {
    guard let written = node.stringValue, let parts = CivilDate.parts(of: MeasureParser.normalized(written)) else {
      report(.badValue, at: span(node), "\(name.quotedName)是日期，请写成 \"2024-06-30\" 或 \"2024年6月30日\"")
      return nil
    }
    guard let date = CivilDate(year: parts.year, month: parts.month, day: parts.day) else {
      report(
        .impossibleDate, at: span(node),
        "\(name.quotedName)的日期“\(written)”不存在：\(CivilDate.problem(year: parts.year, month: parts.month, day: parts.day))"
      )
      return nil
    }
    return date
  }

  private mutating func decodeNumber(_ node: JSONNode, spec: InputSpec, name: String) -> ExactDecimal? {
    var text: String
    let written: String
    switch node.value {
    case .number(let digits): (text, written) = (digits, digits)
    case .string(let string):
      // Plain ASCII digits and signs are already what normalizing would make of them.
      let plain = string.utf8.allSatisfy {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || ".,+-%".utf8.contains($0)
      }
      (text, written) = (plain ? string : MeasureParser.normalized(string), string)
    default:
      report(.badValue, at: span(node), "\(name.quotedName)应是数字，这里是\(node.value.kindName)")
      return nil
    }
    var scale = 0
    if case .amount(let declaredUnit) = spec.kind {
      let unit = declaredUnit ?? "元"  // an amount without a unit is in 元
      if let written = MoneyUnit.all.first(where: { text.hasSuffix($0.name) }),
        let declared = MoneyUnit.all.first(where: { $0.name == unit })
      {
        text = String(text.dropLast(written.name.count))
        scale = written.power - declared.power
      } else if text.hasSuffix(unit) {
        text = String(text.dropLast(unit.count))
      }
    }
    let isPercent = spec.kind == .percent
    if isPercent != text.hasSuffix("%") {
      let message =
        isPercent
        ? "\(name.quotedName)是百分比，请写成带 % 的字符串，如 \"93.8%\"" : "\(name.quotedName)不是百分比，不能带 %"
      report(.badValue, at: span(node), message)
      return nil
    }
    guard let number = ExactDecimal(parsing: text) else {
      report(
        .badValue, at: span(node), "\(name.quotedName)的值“\(written)”不是正确的数字",
        notes: Self.numberHints(text, written: written, spec: spec)
          + ["数字可带千位分隔符，如 18,779.46；小数最多 18 位；不要写单位以外的文字"])
      return nil
    }
    guard let scaled = try? number.shifted(byPowerOfTen: scale) else {
      report(.badValue, at: span(node), "\(name.quotedName)的值“\(text)”换算成规则中的单位后超出可表示的范围")
      return nil
    }
    return checkRange(scaled, spec: spec, name: name, at: span(node)) ? scaled : nil
  }

  /// What a value that is no number was probably meant to be: “3.67万” is 3.67 万元, “3、5” and
  /// “3x5” are no single number.
  static func numberHints(_ text: String, written: String, spec: InputSpec) -> [String] {
    if case .amount = spec.kind, text.hasSuffix("万") || text.hasSuffix("亿") {
      return ["是否指“\(written.trimmingWhitespace())元”？金额单位要写全：万元、亿元"]
    }
    if text.hasSuffix("万") || text.hasSuffix("亿") {
      return ["“\(text.suffix(1))”不能跟在数后：请写出数值本身（1.2万 写 12000）"]
    }
    if text.contains("、") {
      return ["顿号“、”不能用在数中：千位分隔符请用逗号（18,779.46），一项只填一个数"]
    }
    if text.unicodeScalars.contains(where: { "xX×*".unicodeScalars.contains($0) }) {
      return ["这里只能填一个数，不能写算式：请填写算出的结果"]
    }
    return []
  }

  private mutating func checkRange(_ number: ExactDecimal, spec: InputSpec, name: String, at span: SourceSpan) -> Bool {
    if let range = spec.range, let text = spec.rangeText {
      guard spec.kind != .count || number.isInteger else {
        report(.valueOutOfRange, at: span, "\(name.quotedName)是数量，应是整数，这里是 \(number)")
        return false
      }
      guard range.contains(number) else {
        let shown = spec.kind == .percent ? number.percentDescription : number.description
        report(
          .valueOutOfRange, at: span, "\(name.quotedName)的值 \(shown) 超出规则声明的取值范围 \(text)",
          notes: ["请核对数据；若规则的范围写窄了，请修改规则中\(name.quotedName)的声明"])
        return false
      }
      return true
    }
    switch spec.kind {
    case .points(let low, let high) where number < low || number > high:
      report(.valueOutOfRange, at: span, "\(name.quotedName)的值 \(number) 超出范围 \(low)..\(high)")
      return false
    case .count where number.isNegative || !number.isInteger:
      report(.valueOutOfRange, at: span, "\(name.quotedName)是数量，应是不小于 0 的整数，这里是 \(number)")
      return false
    case .amount, .percent:
      if number.isNegative {
        report(.valueOutOfRange, at: span, "\(name.quotedName)不能为负数，这里是 \(number)")
        return false
      }
      return true
    default: return true
    }
  }

  private mutating func decodeReported(_ node: JSONNode, into data: inout DepartmentData) {
    guard let members = node.members else {
      report(.dataShape, at: span(node), "“reported”应是对象 {\"total\": …, \"grade\": …, \"scores\": {…}}")
      return
    }
    for member in members {
      switch member.key {
      case "total": data.reportedTotal = score(member.value, name: "填报总分")
      case "executionRate": break
      case "grade": data.reportedGrade = text(member)
      case "scores":
        for entry in member.value.members ?? [] {
          guard let row = row(named: entry.key, at: span(entry)),
            let reported = score(entry.value, name: "指标\(entry.key.quotedName)的填报得分")
          else { continue }
          let weight = plan.rows[row].indicator.weight
          if forOtherRules && (reported.isNegative || reported > weight) { continue }
          if reported.isNegative || reported > weight {
            report(
              .valueOutOfRange, at: span(entry.value), "指标\(entry.key.quotedName)的填报得分 \(reported) 超出它的分值 0 到 \(weight)"
            )
          }
          data.reportedScores[row] = reported
        }
      default: warnUnknown(member, allowed: ["total", "executionRate", "grade", "scores"])
      }
    }
  }

  private mutating func decodeUseReported(_ node: JSONNode, into data: inout DepartmentData) {
    guard let members = node.members else {
      report(.dataShape, at: span(node), "“useReported”应是对象 {\"指标名\": \"采用填报得分的理由\"}")
      return
    }
    for member in members {
      guard let row = row(named: member.key, at: span(member)) else { continue }
      guard plan.rows[row].isLeaf else {
        report(.dataShape, at: span(member), "只能对末级指标采用填报得分，\(member.key.quotedName)有下级指标")
        continue
      }
      guard let reason = member.value.stringValue, !reason.trimmingWhitespace().isEmpty else {
        report(.missingReason, at: span(member.value), "采用指标\(member.key.quotedName)的填报得分时必须写明理由（报告缺少哪项数据）")
        continue
      }
      data.useReported[row] = reason
    }
  }

  private mutating func row(named name: String, at span: SourceSpan) -> Int? {
    if let row = plan.row(named: name) { return row }
    if forOtherRules { return nil }
    var notes: [String] = []
    if let suggestion = NameSuggestion.closest(to: name, among: plan.rows.map(\.indicator.name)) {
      notes.append("是否指\(suggestion.quotedName)？")
    }
    report(.unknownIndicator, at: span, "规则\(program.name.quotedName)中没有名为\(name.quotedName)的指标", notes: notes)
    return nil
  }

  mutating func score(_ node: JSONNode, name: String) -> ExactDecimal? {
    let text: String?
    switch node.value {
    case .number(let digits): text = digits
    case .string(let written): text = written
    default: text = nil
    }
    guard let text, let number = ExactDecimal(parsing: text) else {
      report(.badValue, at: span(node), "\(name)应是数字，这里是“\(text ?? node.value.kindName)”")
      return nil
    }
    return number
  }
}

extension DataDecoder {
  private mutating func decodeProject(_ node: JSONNode) -> ProjectInfo? {
    guard node.members != nil, let name = node["name"]?.stringValue, node["code"].map({ $0.stringValue != nil }) ?? true
    else {
      report(
        .dataShape, at: span(node), "“project”应是 {\"code\": \"项目编码\", \"name\": \"项目名称\", \"fundingUnit\": \"一级预算单位\"}",
        notes: ["项目名称必填；没有项目编码的表可以不写 code"])
      return nil
    }
    let code = node["code"]?.stringValue ?? ""
    warnUnknownFields(of: node, allowed: ["code", "name", "fundingUnit", "initialBudget"])
    return ProjectInfo(code: code, name: name, fundingUnit: node["fundingUnit"]?.stringValue)
  }

  /// A key written twice in one object (an input twice is E011 where the inputs are read): which
  /// of the two values counts would be a guess.
  private mutating func reportDuplicateKeys(in root: JSONNode) {
    var pending = [root]
    while let node = pending.popLast() {
      if let elements = node.elements { pending += elements }
      guard let members = node.members else { continue }
      var seen = Set<String>()
      for member in members {
        if !seen.insert(member.key).inserted && node.start != root["inputs"]?.start {
          report(.dataShape, at: span(member), "\(member.key.quotedName)在同一处写了两次，只能写一次")
        }
        pending.append(member.value)
      }
    }
  }

  /// A field the format does not know is warned about, not silently dropped: often a misspelling.
  private mutating func warnUnknownFields(of node: JSONNode, allowed: [String]) {
    for member in node.members ?? [] where !allowed.contains(member.key) { warnUnknown(member, allowed: allowed) }
  }

  private mutating func warnUnknown(_ member: JSONMember, allowed: [String]) {
    var notes = ["可用的字段：\(allowed.joined(separator: "、"))"]
    if let suggestion = NameSuggestion.closest(to: member.key, among: allowed) {
      notes.insert("是否指\(suggestion.quotedName)？", at: 0)
    }
    report(.unknownDataField, .warning, at: span(member), "未知字段\(member.key.quotedName)，已忽略", notes: notes)
  }

  /// A row's 年度指标值 or 实际完成值 as the table has it: a string, or a number written bare.
  /// Missing is an error rather than a blank, which would make the row 不适用 and give its points.
  private mutating func cell(_ element: JSONNode, _ key: String, position: Int) -> String? {
    let column = key == "target" ? "年度指标值" : "实际完成值"
    switch element[key]?.value {
    case .string(let text)?: return text
    case .number(let text)?: return text
    case nil:
      report(
        .dataShape, at: span(element), "第 \(position + 1) 行缺少\(column) \"\(key)\"",
        notes: ["照表格原样抄写，如 \"≥95%\"；表中为空或写“不适用”的，写 \"\" 或 \"不适用\""])
    case let value?:
      report(.dataShape, at: span(element[key] ?? element), "第 \(position + 1) 行的\(column)应是字符串，不能是\(value.kindName)")
    }
    return nil
  }

  private mutating func decodeRows(_ node: JSONNode) -> [TableRow] {
    guard let elements = node.elements else {
      report(.dataShape, at: span(node), "“rows”应是数组 [ {…}, … ]，每个元素是表中的一行")
      return []
    }
    guard elements.count <= Limits.rows else {
      report(
        .limitExceeded, at: span(node),
        "“rows”有 \(elements.count) 行，超过了每张表 \(Limits.rows) 行的上限，没有计分")
      rowsIncomplete = true
      return []
    }
    let groups = plan.rows.indices.filter { plan.rows[$0].indicator.fromRows }
    let groupNames = groups.map { plan.rows[$0].indicator.name }
    var rows: [TableRow] = []
    for (position, element) in elements.enumerated() {
      guard element.members != nil else {
        report(.dataShape, at: span(element), "第 \(position + 1) 行应是对象 {\"level1\": …, \"name\": …, …}")
        continue
      }
      let level1 = element["level1"]?.stringValue ?? ""
      guard let group = groups.first(where: { plan.rows[$0].indicator.name == level1 }) else {
        var notes = ["可用的一级指标：\(groupNames.joined(separator: "、"))"]
        if let suggestion = NameSuggestion.closest(to: level1, among: groupNames) {
          notes.insert("是否指\(suggestion.quotedName)？", at: 0)
        }
        report(
          .unknownIndicator, at: span(element["level1"] ?? element),
          "第 \(position + 1) 行的一级指标\(level1.quotedName)不是规则中的逐行指标",
          notes: notes)
        continue
      }
      guard let points = element["points"].flatMap({ score($0, name: "第 \(position + 1) 行的分值") }) else {
        if element["points"] == nil { report(.dataShape, at: span(element), "第 \(position + 1) 行缺少分值 \"points\"") }
        rowsIncomplete = true  // a sum without this row's points would be a second, misleading error
        continue
      }
      for key in ["name", "method"] where element[key] != nil && element[key]?.stringValue == nil {
        report(.dataShape, at: span(element[key] ?? element), "第 \(position + 1) 行的 \"\(key)\" 应是字符串")
      }
      if element["name"] == nil {
        report(.dataShape, at: span(element), "第 \(position + 1) 行缺少三级指标名称 \"name\"")
      }
      warnUnknownFields(
        of: element,
        allowed: [
          "level1", "level2", "name", "target", "actual", "points", "reported", "reason", "override", "method",
          "judgment", "score", "note",
        ])
      for key in ["judgment", "note"] where element[key] != nil && element[key]?.stringValue == nil {
        report(.dataShape, at: span(element[key] ?? element), "第 \(position + 1) 行的 \"\(key)\" 应是字符串")
      }
      let target = cell(element, "target", position: position)
      // A blank 实际完成值 is never silently scored: a number or text target then fails to compare.
      let actual = element["actual"] == nil ? "" : cell(element, "actual", position: position)
      var row = TableRow(
        group: group, level2: element["level2"]?.stringValue ?? "", name: element["name"]?.stringValue ?? "",
        target: target ?? "", actual: actual ?? "", points: points,
        reported: element["reported"].flatMap { score($0, name: "第 \(position + 1) 行的得分") },
        reason: element["reason"]?.stringValue,
        override: element["override"].flatMap { score($0, name: "第 \(position + 1) 行的评审得分") },
        method: element["method"]?.stringValue,
        judgment: element["judgment"]?.stringValue,
        judgedScore: element["score"].flatMap { score($0, name: "第 \(position + 1) 行的评审得分") },
        note: element["note"]?.stringValue, span: span(element), number: position + 1)
      row.unreadable = target == nil || actual == nil
      if row.points.isNegative { report(.valueOutOfRange, at: span(element), "第 \(position + 1) 行的分值不能为负数") }
      if let override = row.override {
        if (row.reason ?? "").trimmingWhitespace().isEmpty {
          report(
            .missingReason, at: span(element),
            "第 \(position + 1) 行\(row.name.quotedName)用评审得分 \(override) 代替计算得分，必须在 reason 中写明理由")
        }
        if override.isNegative || override > row.points {
          report(.valueOutOfRange, at: span(element), "第 \(position + 1) 行的评审得分 \(override) 超出分值 0 到 \(row.points)")
          row.override = nil
        }
      }
      if let method = row.method, program.rowScoring?.allMethodNames.contains(method) != true {
        report(.undefinedName, at: span(element), "第 \(position + 1) 行选用的评分方法\(method.quotedName)在规则中没有定义")
        row.method = nil
      }
      rows.append(row)
    }
    return rows
  }

  /// A table's rows under each 逐行 indicator must carry exactly its points (for a 表定 block,
  /// the points the table gives it, if it gives them).
  private mutating func checkRowPoints(_ data: DepartmentData) {
    for (index, row) in plan.rows.enumerated() where row.indicator.fromRows {
      guard let weight = row.indicator.weightFromTable ? data.tableWeights[index] : row.indicator.weight else {
        continue
      }
      let points = data.tableRows.filter { $0.group == index }.map(\.points)
      guard let sum = Scorer.sum(points), sum != weight else { continue }
      report(
        .weightMismatch, at: data.tableRows.first { $0.group == index }?.span ?? data.inputsSpan,
        "\(row.indicator.name.quotedName)各行分值之和为 \(sum)，应为 \(weight)")
    }
  }

  /// "weights": {"产出指标": 60, …}: the points of the blocks the rules leave to each table (表定).
  private mutating func decodeTableWeights(_ node: JSONNode) -> [Int: ExactDecimal] {
    guard let members = node.members else {
      report(.dataShape, at: span(node), "“weights”应是对象 {\"一级指标\": 分值, …}")
      return [:]
    }
    let blocks = plan.rows.indices.filter { plan.rows[$0].indicator.weightFromTable }
    var weights: [Int: ExactDecimal] = [:]
    for member in members {
      if case .null = member.value.value { continue }  // left blank in a template: the rows' sum
      guard let index = blocks.first(where: { plan.rows[$0].indicator.name == member.key }) else {
        let names = blocks.map { plan.rows[$0].indicator.name }
        var notes = [names.isEmpty ? "规则中没有分值由表给出（表定）的指标" : "分值由表给出的指标：\(names.joined(separator: "、"))"]
        if let suggestion = NameSuggestion.closest(to: member.key, among: names) {
          notes.insert("是否指\(suggestion.quotedName)？", at: 0)
        }
        let known = plan.row(named: member.key) != nil
        report(
          .unknownIndicator, at: span(member),
          known
            ? "\(member.key.quotedName)的分值不由表给出，不能写在 weights 中"
            : "规则\(program.name.quotedName)中没有名为\(member.key.quotedName)的指标",
          notes: notes)
        continue
      }
      guard let weight = score(member.value, name: "\(member.key.quotedName)的分值") else { continue }
      if weight.isNegative { report(.valueOutOfRange, at: span(member.value), "\(member.key.quotedName)的分值不能为负数") }
      weights[index] = weight
    }
    return weights
  }
}

extension JSONNode {
  func sourceText(in file: SourceFile) -> String { file.text(file.span(start.offset, end.offset)) }
}

extension String {
  func trimmingWhitespace() -> String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
