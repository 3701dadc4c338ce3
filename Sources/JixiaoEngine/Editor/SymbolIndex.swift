/// What an editor asks of one rules file, answered from its tokens and syntax tree: which name is
/// at a place, where it is declared, where it is used, the outline and the names to complete.
/// It works on a file with errors too, as far as the file could be read.
///
/// Each index knows only its own file. A name it does not declare may be declared in the file
/// named by `baseReference` (适用 today; a revision's base file later): the caller resolves that
/// path and asks the base's index, so a lookup crosses files without this type reading any.
public struct SymbolIndex: Sendable {
  public let source: SourceFile
  public private(set) var symbols: [EditorSymbol] = []
  public private(set) var outline: [OutlineItem] = []
  /// Every name token, declarations included, in source order.
  public private(set) var names: [Token] = []
  /// Whether the file holds tests, which name indicators (期望 指标 = 分数).
  public private(set) var hasTests = false
  /// Whether the file writes any keyword in English, so completion offers the English spellings.
  public private(set) var usesEnglish = false
  /// Texts naming a diagnostic code (期望 诊断 = "E034"), for the hover to explain.
  public private(set) var codeMentions: [(token: Token, code: DiagnosticCode)] = []
  /// The other file this one builds on, as written (relative to this file's folder).
  public private(set) var baseReference: String?
  private var byName: [String: Int] = [:]

  public init(_ source: SourceFile) {
    self.source = source
    let (tokens, _) = Lexer.tokenize(source)
    for token in tokens {
      switch token.kind {
      case .name: names.append(token)
      case .keyword: if token.text.unicodeScalars.allSatisfy(\.isASCII) { usesEnglish = true }
      case .string(let text): if let code = DiagnosticCode(rawValue: text) { codeMentions.append((token, code)) }
      default: break
      }
    }
    let (syntax, _) = Parser.parse(source)
    baseReference = syntax.uses?.value ?? syntax.base?.value
    hasTests = !syntax.tests.isEmpty
    for ruleset in syntax.rulesets {
      declare(ruleset.inputs, ruleset.definitions, scope: nil)
      outline += ruleset.indicators.map { item(for: $0, path: [$0.name.value]) }
    }
  }

  /// Adds what only the checked program knows: the type each 设 works out to.
  public mutating func annotate(with program: Program) {
    for (position, symbol) in symbols.enumerated() where symbol.kind == .definition {
      guard let cell = program.cells.first(where: { $0.name == symbol.name }) else { continue }
      symbols[position].hover += "\n\n类型：\(cell.isPercent ? "百分比" : cell.type.description)"
    }
  }

  /// The declaration of a name, if this file has one.
  public func symbol(named name: String) -> EditorSymbol? { byName[name].map { symbols[$0] } }

  /// The name token at a scalar offset (the cursor may stand just after it).
  public func name(at offset: Int) -> Token? {
    names.first { $0.start <= offset && offset <= $0.end }
  }

  /// The diagnostic code a text at a scalar offset names.
  public func diagnosticCode(at offset: Int) -> DiagnosticCode? {
    codeMentions.first { $0.token.start <= offset && offset <= $0.token.end }?.code
  }

  /// Every place the name is written, its declaration included.
  public func references(to name: String) -> [SourceSpan] {
    names.filter { $0.nameValue == name }.map { source.span($0.start, $0.end) }
  }

  /// Inputs are global (the data names them); a 设 inside an indicator belongs to that indicator.
  private mutating func declare(_ inputs: [InputSyntax], _ definitions: [DefinitionSyntax], scope: SourceSpan?) {
    for input in inputs { add(.input(input, in: source)) }
    for definition in definitions {
      var symbol = EditorSymbol.definition(definition, in: source)
      symbol.scope = scope
      add(symbol)
    }
  }

  private mutating func add(_ symbol: EditorSymbol) {
    if byName[symbol.name] == nil { byName[symbol.name] = symbols.count }
    symbols.append(symbol)
  }

  /// The parser bounds nesting, so this recursion is bounded too.
  private mutating func item(for indicator: IndicatorSyntax, path: [String]) -> OutlineItem {
    add(.indicator(indicator, path: path))
    declare(indicator.inputs, indicator.definitions, scope: indicator.span)
    let children = indicator.children.map { item(for: $0, path: path + [$0.name.value]) }
    let weight = indicator.weightFromTable ? "表定" : "\(indicator.weight.value) 分"
    return OutlineItem(
      name: indicator.name.value, detail: weight, span: indicator.span, nameSpan: indicator.name.span,
      children: children)
  }
}

extension Token {
  /// The name a name token stands for (as declarations spell it), nil for other tokens.
  public var nameValue: String? {
    if case .name(let value) = kind { value } else { nil }
  }
}
