import JixiaoEngine

/// The answers about one open document: hover, definition, references, completion, outline,
/// formatting and quick fixes, each from the engine's editor support.
struct EditorRequest {
  let document: LanguageServer.Document
  let params: JSONNode?
  let server: LanguageServer
  private var source: SourceFile { document.source }

  /// The scalar offset of the request's position, if it has one.
  private var offset: Int? {
    (try? LanguageServer.position(params?["position"])).map { source.offset(at: $0) }
  }

  /// This file's index, then the index of the file it builds on (适用), if that can be read.
  private func indexes() -> [(index: SymbolIndex, uri: String)] {
    let own = document.index
    guard let reference = own.baseReference, let base = server.base(of: source, reference) else {
      return [(own, document.uri)]
    }
    return [(own, document.uri), (server.document(base.uri)?.index ?? SymbolIndex(base.source), base.uri)]
  }

  /// The name under the cursor and the index that declares it.
  private func declaration() -> (name: String, symbol: EditorSymbol, index: SymbolIndex, uri: String)? {
    let all = indexes()
    guard let offset, let name = all[0].index.name(at: offset)?.nameValue else { return nil }
    for (index, uri) in all {
      if let symbol = index.symbol(named: name) { return (name, symbol, index, uri) }
    }
    return nil
  }

  func hover() -> JSONOutput? {
    guard let offset else { return nil }
    var parts: [String] = []
    if let found = declaration() { parts.append(found.symbol.hover) }
    var codes = document.index.diagnosticCode(at: offset).map { [$0] } ?? []
    for diagnostic in document.diagnostics
    where diagnostic.span.start.offset <= offset && offset <= diagnostic.span.end.offset
      && !codes.contains(diagnostic.code)
    {
      codes.append(diagnostic.code)
    }
    parts += codes.map(Self.explanation)
    guard !parts.isEmpty else { return nil }
    return .object([
      (
        "contents",
        .object([("kind", .string("markdown")), ("value", .string(parts.joined(separator: "\n\n---\n\n")))])
      )
    ])
  }

  /// What `jixiao explain` prints for the code, as a block kept in its own layout.
  private static func explanation(_ code: DiagnosticCode) -> String {
    "**\(code.rawValue) \(code.title)**\n\n```text\n\(code.explanation)\n```"
  }

  func definition() -> JSONOutput? {
    guard let found = declaration() else { return nil }
    return LspShapes.location(found.symbol.span, in: found.index.source, uri: found.uri)
  }

  func references() -> JSONOutput? {
    guard let found = declaration() else { return nil }
    let withDeclaration = params?["context"]?["includeDeclaration"]?.value != .bool(false)
    var locations: [JSONOutput] = []
    // This file and its base, then the open files that build on this one.
    let revisions = server.documents(basedOn: source.path).map { ($0.index, $0.uri) }
    for (index, uri) in indexes() + revisions {
      for span in index.references(to: found.name)
      where withDeclaration || !(index.source.path == found.index.source.path && span == found.symbol.span) {
        locations.append(LspShapes.location(span, in: index.source, uri: uri))
      }
    }
    return .array(locations)
  }

  func completion() -> JSONOutput? {
    let all = indexes()
    let words = all[0].index.completions(at: offset, bases: all.dropFirst().map(\.index))
    return .array(words.map(LspShapes.completion))
  }

  func documentSymbols() -> JSONOutput? {
    .array(document.index.outline.map { LspShapes.outline($0, in: source) })
  }

  /// The whole text replaced by what `jixiao fmt` writes; nothing while the file has syntax errors.
  func formatting() -> JSONOutput? {
    guard case .success(let formatted) = Formatter.format(source) else { return nil }
    let original = String(String.UnicodeScalarView(source.scalars))
    guard formatted != original else { return .array([]) }
    let whole = source.span(0, source.scalars.count)
    return .array([LspShapes.edit(whole, formatted, in: source)])
  }

  /// The hints of the diagnostics in the requested range that are replacements, as quick fixes.
  func codeActions() -> JSONOutput? {
    guard let range = params?["range"], let start = try? LanguageServer.position(range["start"]),
      let end = try? LanguageServer.position(range["end"])
    else { return .array([]) }
    let (from, to) = (source.offset(at: start), source.offset(at: end))
    var actions: [JSONOutput] = []
    for diagnostic in document.diagnostics
    where diagnostic.span.start.offset <= to && from <= diagnostic.span.end.offset {
      guard let fix = diagnostic.quickFix(in: source) else { continue }
      let edit = LspShapes.edit(fix.span, fix.replacement, in: source)
      actions.append(
        .object([
          ("title", .string(fix.title)), ("kind", .string("quickfix")), ("isPreferred", .bool(true)),
          ("diagnostics", .array([LspShapes.diagnostic(diagnostic, in: source, uri: document.uri)])),
          ("edit", .object([("changes", .object([(document.uri, .array([edit]))]))])),
        ]))
    }
    return .array(actions)
  }
}
