import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// `jixiao lsp` through its real loop: the bytes an editor would send are written to a pipe that
/// `serve` reads with read(2), and its replies are read back from the file it wrote them to.
@Suite struct LanguageServerTests {
  /// A rules file whose score line misspells 公众满意度 after 𠮷 (two UTF-16 units), with a
  /// double space that `fmt` would remove.
  static let rules = """
    规则集 "示例" {
      满分  10
      输入 公众满意度：百分比（0%..100%） "服务对象满意度调查结果"
      设 𠮷田系数 = 1
      指标 满意度 10 {
        说明 "公众或服务对象满意度"
        标准 "≥95% 得 10 分，其余 0 分"
        得分 = 𠮷田系数 × 分档 公众满意率 { ≥ 95% → 10；其他 → 0 }
      }
    }

    """
  static let folder = FileManager.default.temporaryDirectory.path + "/jixiao-lsp-\(UUID().uuidString)/"
  static let uri = "file://" + folder + "b.rules"
  static let testURI = "file://" + folder + "b.test.rules"

  static func message(_ members: [(String, JSONOutput)]) -> [UInt8] {
    let body = JSONOutput.object([("jsonrpc", .string("2.0"))] + members).rendered()
    return Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
  }

  static func request(_ id: Int, _ method: String, _ params: [(String, JSONOutput)] = []) -> [UInt8] {
    message([("id", .integer(id)), ("method", .string(method)), ("params", .object(params))])
  }

  static func notification(_ method: String, _ params: [(String, JSONOutput)]) -> [UInt8] {
    message([("method", .string(method)), ("params", .object(params))])
  }

  static func at(_ uri: String, _ line: Int, _ character: Int) -> [(String, JSONOutput)] {
    [
      ("textDocument", .object([("uri", .string(uri))])),
      ("position", .object([("line", .integer(line)), ("character", .integer(character))])),
    ]
  }

  static func openDocument(_ uri: String, _ text: String) -> [UInt8] {
    notification(
      "textDocument/didOpen",
      [
        (
          "textDocument",
          .object([
            ("uri", .string(uri)), ("languageId", .string("jixiao")), ("version", .integer(1)),
            ("text", .string(text)),
          ])
        )
      ])
  }

  /// Runs the server on the bytes as its whole input; its exit status and every message it sent.
  static func session(_ input: [UInt8]) throws -> (status: Int32, replies: [JSONNode]) {
    var pipeEnds: [Int32] = [0, 0]
    #expect(pipe(&pipeEnds) == 0)
    #expect(input.count < 60_000, "the whole script must fit in the pipe's buffer")
    // Raw bytes, not text: the script may hold bytes that are not UTF-8.
    #expect(input.withUnsafeBytes { write(pipeEnds[1], $0.baseAddress, $0.count) } == input.count)
    close(pipeEnds[1])
    let outputPath = FileManager.default.temporaryDirectory.path + "/jixiao-lsp-out-\(UUID().uuidString)"
    let output = open(outputPath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    let status = Commands.serve(input: pipeEnds[0], output: output)
    close(pipeEnds[0])
    close(output)
    var framer = MessageFramer()
    framer.append(FileManager.default.contents(atPath: outputPath) ?? Data())
    var replies: [JSONNode] = []
    while let next = framer.next() {
      guard case .body(let body) = next else {
        Issue.record("the server wrote a bad header")
        break
      }
      replies.append(try JSON.parse(String(decoding: body, as: UTF8.self)))
    }
    return (status, replies)
  }

  static func range(_ node: JSONNode?) -> [Int] {
    [node?["start"]?["line"], node?["start"]?["character"], node?["end"]?["line"], node?["end"]?["character"]]
      .compactMap { CommandsTests.text($0).flatMap { Int($0) } }
  }

  static func reply(_ replies: [JSONNode], id: Int) -> JSONNode? {
    replies.first { CommandsTests.text($0["id"]) == String(id) }
  }

  static func published(_ replies: [JSONNode], _ uri: String) -> [[JSONNode]] {
    replies.filter {
      $0["method"]?.stringValue == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.stringValue == uri
    }
    .map { $0["params"]?["diagnostics"]?.elements ?? [] }
  }

  @Test func scriptedSession() throws {
    let fixed = Self.rules.replacingOccurrences(of: "公众满意率", with: "公众满意度")
    let testFile = """
      适用 "b.rules"
      测试 "满意度 96% 得满分" {
        输入 { 公众满意度 = 96% }
        期望 满意度 = 10
      }
      测试 "满意度 90% 不得分" {
        输入 { 公众满意率 = 90% }
        期望 满意度 = 0
      }
      测试 "缺少满意度" {
        期望 诊断 = "E034"
      }

      """
    var input = Self.request(1, "initialize", [("capabilities", .object([]))])
    input += Self.notification("initialized", [])
    input += Self.openDocument(Self.uri, Self.rules)
    input += Self.request(
      2, "textDocument/codeAction",
      [
        ("textDocument", .object([("uri", .string(Self.uri))])),
        (
          "range",
          .object([
            ("start", .object([("line", .integer(7)), ("character", .integer(22))])),
            ("end", .object([("line", .integer(7)), ("character", .integer(22))])),
          ])
        ),
        ("context", .object([("diagnostics", .array([]))])),
      ])
    input += Self.request(14, "textDocument/hover", Self.at(Self.uri, 7, 22))
    input += Self.notification(
      "textDocument/didChange",
      [
        ("textDocument", .object([("uri", .string(Self.uri)), ("version", .integer(2))])),
        ("contentChanges", .array([.object([("text", .string(fixed))])])),
      ])
    input += Self.request(3, "textDocument/hover", Self.at(Self.uri, 4, 6))
    input += Self.request(4, "textDocument/definition", Self.at(Self.uri, 7, 10))
    input += Self.request(13, "textDocument/hover", Self.at(Self.uri, 7, 10))
    input += Self.openDocument(Self.testURI, testFile)
    input += Self.request(5, "textDocument/definition", Self.at(Self.testURI, 2, 8))
    input += Self.request(
      6, "textDocument/formatting",
      [
        ("textDocument", .object([("uri", .string(Self.uri))])),
        ("options", .object([("tabSize", .integer(2)), ("insertSpaces", .bool(true))])),
      ])
    input += Self.request(8, "textDocument/hover", Self.at(Self.testURI, 10, 12))
    input += Self.request(9, "textDocument/references", Self.at(Self.uri, 2, 6))
    input += Self.request(10, "textDocument/documentSymbol", [("textDocument", .object([("uri", .string(Self.uri))]))])
    input += Self.request(11, "textDocument/completion", Self.at(Self.uri, 7, 10))
    // A test file whose rules are only on disk.
    let disk = try CommandsTests.folder(["disk.rules": fixed])
    let diskTestURI = "file://" + disk + "disk.test.rules"
    input += Self.openDocument(diskTestURI, testFile.replacingOccurrences(of: "b.rules", with: "disk.rules"))
    input += Self.request(12, "textDocument/definition", Self.at(diskTestURI, 2, 8))
    input += Self.request(7, "shutdown")
    input += Self.notification("exit", [])
    let (status, replies) = try Self.session(input)
    #expect(status == 0)

    #expect(Self.reply(replies, id: 1)?["result"]?["capabilities"]?["hoverProvider"]?.value == .bool(true))

    // The misspelt name, after 𠮷 (one scalar, two UTF-16 units): scalar column 20 is unit 20.
    let first = Self.published(replies, Self.uri)
    #expect(first.count == 2)
    let diagnostic = first.first?.first
    #expect(diagnostic?["code"]?.stringValue == "E010")
    #expect(Self.range(diagnostic?["range"]) == [7, 20, 7, 25])
    #expect(diagnostic?["message"]?.stringValue == "未定义的名称“公众满意率”\n是否指“公众满意度”？")
    #expect(diagnostic?["relatedInformation"]?.elements?.first?["message"]?.stringValue == "是否指“公众满意度”？")

    // The hint as a quick fix, then no diagnostics once it is applied.
    let action = Self.reply(replies, id: 2)?["result"]?.elements?.first
    #expect(action?["title"]?.stringValue == "改为“公众满意度”")
    let edit = action?["edit"]?["changes"]?[Self.uri]?.elements?.first
    #expect(edit?["newText"]?.stringValue == "公众满意度")
    #expect(Self.range(edit?["range"]) == [7, 20, 7, 25])
    #expect(first.last?.isEmpty == true)
    // Hovering the underlined name explains its code, as jixiao explain E010 does.
    let explained = Self.reply(replies, id: 14)?["result"]?["contents"]?["value"]?.stringValue ?? ""
    #expect(explained.hasPrefix("**E010 ") && explained.contains(DiagnosticCode.undefinedName.explanation))

    let hover = Self.reply(replies, id: 3)?["result"]?["contents"]?["value"]?.stringValue ?? ""
    #expect(hover.hasPrefix("**指标 满意度**（10 分）"))
    #expect(hover.contains("说明：公众或服务对象满意度"))
    #expect(hover.contains("标准：≥95% 得 10 分，其余 0 分"))

    // 𠮷田系数 is declared on line 3 after “  设 ”: five units, the first character two.
    let definition = Self.reply(replies, id: 4)?["result"]
    #expect(definition?["uri"]?.stringValue == Self.uri)
    #expect(Self.range(definition?["range"]) == [3, 4, 3, 9])
    // Its formula from the syntax tree, its type from the checked program.
    let formula = Self.reply(replies, id: 13)?["result"]?["contents"]?["value"]?.stringValue
    #expect(formula == "**设 𠮷田系数** = 1\n\n类型：数值")

    // From the test file to the input declared in the rules file it names with 适用.
    let across = Self.reply(replies, id: 5)?["result"]
    #expect(across?["uri"]?.stringValue == Self.uri)
    #expect(Self.range(across?["range"]) == [2, 5, 2, 10])
    // The test file is checked against those rules, as check does.
    let testDiagnostics = Self.published(replies, Self.testURI).first ?? []
    #expect(testDiagnostics.map { $0["code"]?.stringValue } == ["E031"])
    #expect(testDiagnostics.first?["message"]?.stringValue?.contains("是否指“公众满意度”？") == true)
    #expect(Self.range(testDiagnostics.first?["range"]) == [6, 7, 6, 12])

    let formatting = Self.reply(replies, id: 6)?["result"]?.elements ?? []
    #expect(formatting.count == 1)
    #expect(formatting.first?["newText"]?.stringValue == fixed.replacingOccurrences(of: "满分  10", with: "满分 10"))
    #expect(Self.range(formatting.first?["range"]) == [0, 0, 10, 0])

    // A diagnostic code a test names is explained where it is written.
    let code = Self.reply(replies, id: 8)?["result"]?["contents"]?["value"]?.stringValue ?? ""
    #expect(code.hasPrefix("**E034 ") && code.contains(DiagnosticCode.missingInput.explanation))

    // 公众满意度: declared and used in the rules, and used in the test file that names them.
    let references = Self.reply(replies, id: 9)?["result"]?.elements ?? []
    #expect(references.map { $0["uri"]?.stringValue } == [Self.uri, Self.uri, Self.testURI])
    #expect(references.map { Self.range($0["range"]) } == [[2, 5, 2, 10], [7, 20, 7, 25], [2, 7, 2, 12]])

    let outline = Self.reply(replies, id: 10)?["result"]?.elements ?? []
    #expect(outline.map { $0["name"]?.stringValue } == ["满意度"])
    #expect(outline.first?["detail"]?.stringValue == "10 分")

    let words = Self.reply(replies, id: 11)?["result"]?.elements?.compactMap { $0["label"]?.stringValue } ?? []
    #expect(words.contains("公众满意度") && words.contains("𠮷田系数") && words.contains("分档"))
    #expect(!words.contains("bands"))  // the file writes no English keyword

    let onDisk = Self.reply(replies, id: 12)?["result"]
    #expect(onDisk?["uri"]?.stringValue == "file://" + disk + "disk.rules")
    #expect(Self.range(onDisk?["range"]) == [2, 5, 2, 10])

    #expect(Self.reply(replies, id: 7)?["result"]?.value == .null)
  }

  @Test func malformedMessagesGetErrorsAndTheServerGoesOn() throws {
    var input = Array("Content-Type: x\r\n\r\n".utf8)  // no Content-Length
    input += Array("Content-Length: 9\r\n\r\n{\"id\": 1,".utf8)  // JSON cut short
    input += Array("Content-Length: 2\r\n\r\n".utf8) + [0xFF, 0xFE]  // not UTF-8
    input += Self.message([("id", .integer(2))])  // no method
    input += Self.request(3, "workspace/unknownThing")
    input += Self.request(4, "textDocument/hover", [("textDocument", .object([]))])  // no uri
    input += Self.request(5, "initialize")
    let (status, replies) = try Self.session(input)
    let errors = replies.map { CommandsTests.text($0["error"]?["code"]) }
    #expect(errors == ["-32700", "-32700", "-32700", "-32600", "-32601", "-32602", nil])
    #expect(replies.map { CommandsTests.text($0["id"]) } == [nil, nil, nil, "2", "3", "4", "5"])
    #expect(replies.first?["error"]?["message"]?.stringValue == "消息头缺少有效的 Content-Length")
    #expect(Self.reply(replies, id: 5)?["result"]?["capabilities"] != nil)
    // The input ended without shutdown and exit: the protocol's exit status for that is 1.
    #expect(status == 1)
  }

  @Test func editorVSCodeWritesAnExtensionFolderWhoseManifestNamesItsFiles() throws {
    let folder = try CommandsTests.folder([:]) + "vscode"
    let result = CommandsTests.run(["editor", "vscode", folder])
    #expect(result.status == 0)
    let manifest = try JSON.parse(
      String(decoding: FileManager.default.contents(atPath: folder + "/package.json") ?? Data(), as: UTF8.self))
    let language = manifest["contributes"]?["languages"]?.elements?.first
    #expect(language?["extensions"]?.elements?.first?.stringValue == ".rules")
    let named = [
      manifest["main"]?.stringValue, language?["configuration"]?.stringValue,
      manifest["contributes"]?["grammars"]?.elements?.first?["path"]?.stringValue,
    ]
    for path in named {
      #expect(FileManager.default.fileExists(atPath: folder + "/" + (path ?? "missing")), "\(path ?? "")")
    }
    let script = String(
      decoding: FileManager.default.contents(atPath: folder + "/extension.js") ?? Data(), as: UTF8.self)
    #expect(script.contains("spawn(command, ['lsp'])") && !script.contains("require('vscode-languageclient"))
    #expect(CommandsTests.run(["editor", "emacs", folder]).status == 2)
  }

  @Test func aMessageArrivingByteByByteIsReadOnceWhole() {
    var framer = MessageFramer()
    let bytes = Array("content-length:  2 \r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8)
    for byte in bytes.dropLast() {
      framer.append([byte])
      #expect(framer.next() == nil)
    }
    framer.append(bytes.suffix(1))
    #expect(framer.next() == .body(Array("{}".utf8)))
    #expect(framer.next() == nil)
  }
}

/// A revision (基于) open in the editor: checked with its base file, and its names lead there.
@Suite struct LanguageServerRevisionTests {
  @Test func aRevisionIsCheckedWithItsBaseAndItsNamesLeadThere() throws {
    let folder = try CommandsTests.folder([
      "base.rules": "规则集 \"基础\" {\n  满分 4\n  指标 乙 4 {\n    输入 数：数量 \"数\"\n    得分 = 保底（4 － 1 × 数，0）\n  }\n}\n"
    ])
    let uri = "file://" + folder + "rev.rules"
    let revision = "基于 \"base.rules\"\n规则集 \"修订\" {\n  指标 乙 { 得分 = 保底（4 － 2 × 数，0） }\n}\n"
    var input = LanguageServerTests.request(1, "initialize", [("capabilities", .object([]))])
    input += LanguageServerTests.openDocument(uri, revision)
    // 数 on line 2 (0-based), character 25: declared in the base file.
    input += LanguageServerTests.request(2, "textDocument/definition", LanguageServerTests.at(uri, 2, 25))
    input += LanguageServerTests.request(3, "shutdown")
    input += LanguageServerTests.notification("exit", [])
    let (status, replies) = try LanguageServerTests.session(input)
    #expect(status == 0)
    #expect(LanguageServerTests.published(replies, uri).last?.isEmpty == true)
    let definition = LanguageServerTests.reply(replies, id: 2)?["result"]
    #expect(definition?["uri"]?.stringValue == "file://" + folder + "base.rules")
    #expect(LanguageServerTests.range(definition?["range"]) == [3, 7, 3, 8])
  }
}
