import Foundation
import JixiaoEngine

/// The Language Server Protocol's JSON shapes for the engine's places, diagnostics and symbols.
enum LspShapes {
  static func position(_ position: UTF16Position) -> JSONOutput {
    .object([("line", .integer(position.line)), ("character", .integer(position.character))])
  }

  static func range(_ span: SourceSpan, in source: SourceFile) -> JSONOutput {
    .object([
      ("start", position(source.utf16Position(at: span.start.offset))),
      ("end", position(source.utf16Position(at: span.end.offset))),
    ])
  }

  static func location(_ span: SourceSpan, in source: SourceFile, uri: String) -> JSONOutput {
    .object([("uri", .string(uri)), ("range", range(span, in: source))])
  }

  /// The diagnostic as `check` prints it: message, code, and each note (the hint among them) both
  /// under the message and as related information at the same place.
  static func diagnostic(_ diagnostic: Diagnostic, in source: SourceFile, uri: String) -> JSONOutput {
    let severity =
      switch diagnostic.severity {
      case .error: 1
      case .warning: 2
      case .note: 3
      }
    let here = location(diagnostic.span, in: source, uri: uri)
    return .object([
      ("range", range(diagnostic.span, in: source)), ("severity", .integer(severity)),
      ("code", .string(diagnostic.code.rawValue)), ("source", .string("jixiao")),
      ("message", .string(([diagnostic.message] + diagnostic.notes).joined(separator: "\n"))),
      (
        "relatedInformation",
        .array(diagnostic.notes.map { .object([("location", here), ("message", .string($0))]) })
      ),
    ])
  }

  static func edit(_ span: SourceSpan, _ text: String, in source: SourceFile) -> JSONOutput {
    .object([("range", range(span, in: source)), ("newText", .string(text))])
  }

  /// The indicator tree as DocumentSymbol; the parser bounds its depth.
  static func outline(_ item: OutlineItem, in source: SourceFile) -> JSONOutput {
    .object([
      ("name", .string(item.name)), ("detail", .string(item.detail)),
      ("kind", .integer(item.children.isEmpty ? 8 : 3)),  // Field for a leaf, Namespace for a group
      ("range", range(item.span, in: source)), ("selectionRange", range(item.nameSpan, in: source)),
      ("children", .array(item.children.map { outline($0, in: source) })),
    ])
  }

  static func completion(_ word: CompletionWord) -> JSONOutput {
    let kind =
      switch word.kind {
      case .name: 6  // Variable
      case .keyword: 14
      case .function: 3
      }
    return .object([("label", .string(word.text)), ("kind", .integer(kind)), ("detail", .string(word.detail))])
  }

  /// `file:///…` for a path, each byte outside the unreserved set percent-encoded.
  static func uri(ofPath path: String) -> String {
    guard !path.contains(":") || path.hasPrefix("/") else { return path }
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var result = "file://"
    for byte in absolute.utf8 {
      let unreserved =
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
        || "-._~/".utf8.contains(byte)
      result += unreserved ? String(UnicodeScalar(byte)) : "%" + String(format: "%02X", byte)
    }
    return result
  }

  /// The path of a `file://` URI; any other URI (an unsaved buffer) stands for itself.
  static func path(ofURI uri: String) -> String {
    guard uri.hasPrefix("file://") else { return uri }
    var bytes: [UInt8] = []
    var rest = Array(uri.utf8.dropFirst(7))[...]
    while let byte = rest.first {
      rest = rest.dropFirst()
      if byte == UInt8(ascii: "%"), rest.count >= 2,
        let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        rest = rest.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
