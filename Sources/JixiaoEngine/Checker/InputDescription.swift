extension InputSpec {
  /// The type as the rules declare it: 金额（万元）, 百分比（-100%..）, 0..20 分, 是否 × 4.
  public var typeName: String {
    let kind: String
    switch self.kind {
    case .amount(let unit): kind = "金额（\(unit ?? "元")）"
    case .count: kind = "数量"
    case .percent: kind = "百分比"
    case .number: kind = "数值"
    case .date: kind = "日期"
    case .boolean: kind = "是否"
    case .choice(let options): kind = "选项（\(options.joined(separator: "，"))）"
    case .points(let low, let high): kind = "\(low)..\(high) 分"
    }
    let ranged = rangeText.map { "\(kind)（\($0)）" } ?? kind
    return length.map { "\(ranged) × \($0)" } ?? ranged
  }

  /// How a value of this input is written in the data file: for the hint on a missing input and
  /// for the blank template.
  public var dataFormat: String {
    described(element(inTable: false)) { count, each in "\(count) 个值的列表，每个是\(each)" }
  }

  /// How the value is written in a table's cells (the batch CSV convention): the unit stands in
  /// the column's header, a list is one column per value.
  public var tableFormat: String {
    described(element(inTable: true)) { count, each in "\(count) 列，每列一个值，每个是\(each)" }
  }

  private func element(inTable: Bool) -> String {
    switch kind {
    case .amount(let unit):
      inTable ? "金额，单位\(unit ?? "元")，如 18779.46" : "金额\(unit.map { "，单位\($0)" } ?? "")，如 \"18,779.46\""
    case .count: "数量，不小于 0 的整数"
    case .percent: inTable ? "百分比，如 93.5%；列名注明 % 的列也可只写 93.5" : "百分比，写成带 % 的字符串，如 \"93.5%\""
    case .number: "数值"
    case .date: "日期，如 \"2024-06-30\" 或 \"2024年6月30日\""
    case .boolean: inTable ? "是否，写 是 或 否" : "是否，写 true 或 false"
    case .choice(let options): "选项之一：\(options.joined(separator: "、"))"
    case .points(let low, let high): "\(low) 到 \(high) 之间的分数"
    }
  }

  /// The element with the declared range, and for a list input as `list` says it.
  private func described(_ element: String, list: (Int, String) -> String) -> String {
    let ranged = rangeText.map { element + "，取值范围 \($0)" } ?? element
    return length.map { list($0, ranged) } ?? ranged
  }
}
