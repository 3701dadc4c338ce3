import JixiaoEngine

/// The language server's state and its answer to each message: the open documents, their
/// diagnostics, and the replies and notifications each message calls for. It never reads or
/// writes a stream itself (`LspCommand` does), and no message, however malformed, stops it.
final class LanguageServer {
  struct Document {
    var uri: String
    var source: SourceFile
    var diagnostics: [Diagnostic]
    var index: SymbolIndex
  }

  struct Failure: Error {
    var code: Int
    var message: String
  }

  private var documents: [String: Document] = [:]
  private var shutdownRequested = false
  /// Set by `exit`: 0 after `shutdown`, 1 without, as the protocol asks.
  private(set) var exitCode: Int32?

  /// The replies to one framed message, in the order they are to be sent.
  func handle(_ message: MessageFramer.Message) -> [JSONOutput] {
    switch message {
    case .badHeader(let reason): return [LanguageServer.error(id: .null, code: -32700, reason)]
    case .body(let bytes):
      guard let text = String(validating: bytes, as: UTF8.self) else {
        return [LanguageServer.error(id: .null, code: -32700, "消息不是 UTF-8 编码的文本")]
      }
      let node: JSONNode
      do {
        node = try JSON.parse(text)
      } catch {
        return [LanguageServer.error(id: .null, code: -32700, "消息不是有效的 JSON：\(error.description)")]
      }
      return handle(node)
    }
  }

  private func handle(_ message: JSONNode) -> [JSONOutput] {
    let id = LanguageServer.id(message["id"])
    guard let method = message["method"]?.stringValue else {
      // A reply to a request of ours (none are sent) needs no answer; anything else is no request.
      if message.members != nil, message["id"] != nil, message["result"] ?? message["error"] != nil { return [] }
      return [LanguageServer.error(id: id ?? .null, code: -32600, "消息不是 JSON-RPC 请求：缺少 \"method\"")]
    }
    let params = message["params"]
    var outgoing: [JSONOutput] = []
    do {
      let result = try respond(to: method, params, notify: { outgoing.append($0) })
      guard let id else { return outgoing }
      return [LanguageServer.reply(id: id, result ?? .null)] + outgoing
    } catch {
      guard let id else { return outgoing }
      return [LanguageServer.error(id: id, code: error.code, error.message)] + outgoing
    }
  }

  /// A request's result (nil for null), or for a notification nothing; notifications the
  /// message causes go to `notify`.
  private func respond(to method: String, _ params: JSONNode?, notify: (JSONOutput) -> Void) throws(Failure)
    -> JSONOutput?
  {
    if shutdownRequested && method != "exit" {
      throw Failure(code: -32600, message: "服务器已收到 shutdown，只接受 exit")
    }
    switch method {
    case "initialize": return LanguageServer.capabilities
    case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration": return nil
    case "shutdown":
      shutdownRequested = true
      return nil
    case "exit":
      exitCode = shutdownRequested ? 0 : 1
      return nil
    case "textDocument/didOpen":
      let item = params?["textDocument"]
      let uri = try LanguageServer.string(item?["uri"], "textDocument.uri")
      update(uri: uri, text: try LanguageServer.string(item?["text"], "textDocument.text"), notify: notify)
      return nil
    case "textDocument/didChange":
      let uri = try LanguageServer.string(params?["textDocument"]?["uri"], "textDocument.uri")
      guard let document = documents[uri] else { throw Failure(code: -32602, message: "文档“\(uri)”没有打开") }
      var text = String(String.UnicodeScalarView(document.source.scalars))
      for change in params?["contentChanges"]?.elements ?? [] {
        text = try LanguageServer.apply(change, to: text, path: document.source.path)
      }
      update(uri: uri, text: text, notify: notify)
      return nil
    case "textDocument/didClose":
      let uri = try LanguageServer.string(params?["textDocument"]?["uri"], "textDocument.uri")
      documents[uri] = nil
      notify(LanguageServer.diagnostics(uri: uri, []))
      return nil
    case "textDocument/didSave": return nil
    default:
      guard method.hasPrefix("textDocument/") else {
        throw Failure(code: -32601, message: "不支持的方法“\(method)”")
      }
      let uri = try LanguageServer.string(params?["textDocument"]?["uri"], "textDocument.uri")
      guard let document = documents[uri] else { return nil }
      let place = EditorRequest(document: document, params: params, server: self)
      switch method {
      case "textDocument/hover": return place.hover()
      case "textDocument/definition": return place.definition()
      case "textDocument/references": return place.references()
      case "textDocument/completion": return place.completion()
      case "textDocument/documentSymbol": return place.documentSymbols()
      case "textDocument/formatting": return place.formatting()
      case "textDocument/codeAction": return place.codeActions()
      default: throw Failure(code: -32601, message: "不支持的方法“\(method)”")
      }
    }
  }

  /// Compiles the text as `check` does (tests against the rules they name) and publishes what it finds.
  private func update(uri: String, text: String, notify: (JSONOutput) -> Void) {
    let source = SourceFile(path: LspShapes.path(ofURI: uri), text: text)
    // A revision's base files (基于) come from the editor when open there, else from disk.
    let compiled = Compiler.compile(
      source,
      load: { path in self.documents.values.first { $0.source.path == path }?.source ?? (try? Files.read(path)) })
    var diagnostics = compiled.diagnostics
    if !compiled.syntax.tests.isEmpty {
      let rules = compiled.syntax.uses.map { base(of: source, $0.value).map { Compiler.compile($0.source) } }
      if let plan = (rules ?? compiled)?.plan {
        diagnostics += TestChecker.diagnostics(compiled.syntax.tests, against: plan)
      }
    }
    diagnostics = diagnostics.filter { $0.span.file == source.path }
    var index = SymbolIndex(source)
    if let program = compiled.plan?.program { index.annotate(with: program) }
    documents[uri] = Document(uri: uri, source: source, diagnostics: diagnostics, index: index)
    notify(LanguageServer.diagnostics(uri: uri, diagnostics.map { LspShapes.diagnostic($0, in: source, uri: uri) }))
  }

  func document(_ uri: String) -> Document? { documents[uri] }

  /// The open documents that build on the file at a path, for references to its names.
  func documents(basedOn path: String) -> [Document] {
    documents.values.filter { document in
      document.index.baseReference.map { Files.resolve($0, relativeTo: document.source.path) } == path
    }.sorted { $0.uri < $1.uri }
  }

  /// The file a document builds on (适用), from the editor when it is open there, else from disk.
  func base(of source: SourceFile, _ reference: String) -> (source: SourceFile, uri: String)? {
    guard !source.path.contains(":") || source.path.hasPrefix("/") else { return nil }  // an unsaved buffer
    let path = Files.resolve(reference, relativeTo: source.path)
    if let open = documents.values.first(where: { $0.source.path == path }) { return (open.source, open.uri) }
    return (try? Files.read(path)).map { ($0, LspShapes.uri(ofPath: path)) }
  }

  /// One entry of contentChanges: the whole text, or a range of it replaced.
  private static func apply(_ change: JSONNode, to text: String, path: String) throws(Failure) -> String {
    let newText = try string(change["text"], "contentChanges.text")
    guard let range = change["range"] else { return newText }
    let source = SourceFile(path: path, text: text)
    let start = source.offset(at: try position(range["start"]))
    let end = max(start, source.offset(at: try position(range["end"])))
    var scalars = source.scalars
    scalars.replaceSubrange(start..<end, with: newText.unicodeScalars)
    return String(String.UnicodeScalarView(scalars))
  }

  static func position(_ node: JSONNode?) throws(Failure) -> UTF16Position {
    guard case .number(let line)? = node?["line"]?.value, case .number(let character)? = node?["character"]?.value,
      let line = Int(line), let character = Int(character)
    else { throw Failure(code: -32602, message: "位置应有整数 line 和 character") }
    return UTF16Position(line: line, character: character)
  }

  static func string(_ node: JSONNode?, _ name: String) throws(Failure) -> String {
    guard let text = node?.stringValue else { throw Failure(code: -32602, message: "参数缺少字符串 \(name)") }
    return text
  }

  /// A request's id as sent (a number or a string); nil for a notification.
  private static func id(_ node: JSONNode?) -> JSONOutput? {
    switch node?.value {
    case .number(let text)?: Int(text).map(JSONOutput.integer) ?? .string(text)
    case .string(let text)?: .string(text)
    default: nil
    }
  }

  static func reply(id: JSONOutput, _ result: JSONOutput) -> JSONOutput {
    .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
  }

  static func error(id: JSONOutput, code: Int, _ message: String) -> JSONOutput {
    .object([
      ("jsonrpc", .string("2.0")), ("id", id),
      ("error", .object([("code", .integer(code)), ("message", .string(message))])),
    ])
  }

  static func diagnostics(uri: String, _ diagnostics: [JSONOutput]) -> JSONOutput {
    .object([
      ("jsonrpc", .string("2.0")), ("method", .string("textDocument/publishDiagnostics")),
      ("params", .object([("uri", .string(uri)), ("diagnostics", .array(diagnostics))])),
    ])
  }

  static let capabilities: JSONOutput = .object([
    (
      "capabilities",
      .object([
        ("textDocumentSync", .integer(1)),  // the whole text on every change
        ("hoverProvider", .bool(true)), ("definitionProvider", .bool(true)), ("referencesProvider", .bool(true)),
        ("completionProvider", .object([("resolveProvider", .bool(false))])),
        ("documentSymbolProvider", .bool(true)), ("documentFormattingProvider", .bool(true)),
        ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix")]))])),
      ])
    ),
    ("serverInfo", .object([("name", .string("jixiao")), ("version", .string(Compiler.version))])),
  ])
}
