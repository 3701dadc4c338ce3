/// A name declared in a rules file, as an editor shows it: where it is declared, what it is, and
/// the text of its hover.
public struct EditorSymbol: Sendable {
  public enum Kind: String, Sendable {
    case indicator = "指标", input = "输入", assessment = "评审", definition = "设"
  }

  public var name: String
  public var kind: Kind
  /// The name where it is declared.
  public var span: SourceSpan
  /// Markdown: what `check` knows of the name (path and weight, type and range, formula).
  public var hover: String
  /// Where the name can be used: the indicator whose 设 it is, or nil for the whole file.
  public var scope: SourceSpan? = nil
}

/// The indicator tree as an editor's outline: each indicator with its weight and sub-indicators.
public struct OutlineItem: Sendable {
  public var name: String
  public var detail: String
  /// The whole declaration, and the name within it.
  public var span: SourceSpan
  public var nameSpan: SourceSpan
  public var children: [OutlineItem]
}

extension EditorSymbol {
  static func indicator(_ indicator: IndicatorSyntax, path: [String]) -> EditorSymbol {
    var lines = [
      "**指标 \(indicator.name.value)**（\(indicator.weightFromTable ? "分值由表格给出" : "\(indicator.weight.value) 分")）"
    ]
    if path.count > 1 { lines.append(path.joined(separator: " › ")) }
    if let description = indicator.description { lines.append("说明：" + description) }
    if let standard = indicator.standard { lines.append("标准：" + standard) }
    return EditorSymbol(
      name: indicator.name.value, kind: .indicator, span: indicator.name.span, hover: lines.joined(separator: "\n\n"))
  }

  static func input(_ input: InputSyntax, in source: SourceFile) -> EditorSymbol {
    let kind: Kind = input.isAssessment ? .assessment : .input
    var type = typeName(input.kind)
    if let length = input.length { type += "，共 \(length) 项" }
    var lines = ["**\(kind.rawValue) \(input.name.value)**：\(type)"]
    if let range = input.range { lines.append("范围：" + source.text(range.span)) }
    if let value = input.defaultValue { lines.append("缺省：" + source.text(value.span)) }
    if let description = input.description { lines.append("说明：" + description) }
    return EditorSymbol(
      name: input.name.value, kind: kind, span: input.name.span, hover: lines.joined(separator: "\n\n"))
  }

  static func definition(_ definition: DefinitionSyntax, in source: SourceFile) -> EditorSymbol {
    EditorSymbol(
      name: definition.name.value, kind: .definition, span: definition.name.span,
      hover: "**设 \(definition.name.value)** = " + source.text(definition.value.span))
  }

  /// The type as the rules write it: 金额（万元）, 百分比, 选项（是、否）, 0..1 分.
  static func typeName(_ kind: InputKind) -> String {
    switch kind {
    case .amount(let unit): unit.map { "金额（\($0)）" } ?? "金额"
    case .count: "数量"
    case .percent: "百分比"
    case .number: "数值"
    case .date: "日期"
    case .boolean: "是否"
    case .choice(let options): "选项（\(options.joined(separator: "、"))）"
    case .points(let low, let high): "\(low)..\(high) 分"
    }
  }
}
