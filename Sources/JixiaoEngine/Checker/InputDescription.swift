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
}
