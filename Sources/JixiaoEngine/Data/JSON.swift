// 带源位置的小型 JSON 解析器（RFC 8259）。错误信息为中文，面向手写文件的使用者。
// 不依赖 Foundation。整个输入先转为 Unicode 标量数组，位置均以标量计数。

/// 源文件中的位置：行、列从 1 开始（按 Unicode 标量计数），offset 为标量数组中从 0 开始的下标。
public struct JSONPosition: Sendable, Hashable {
  public var line: Int, column: Int, offset: Int
  public init(line: Int, column: Int, offset: Int) { self.line = line; self.column = column; self.offset = offset }
}

/// 一个值及其源范围；end 为值最后一个标量之后的位置。
public struct JSONNode: Sendable, Equatable {
  public var value: JSONValue
  public var start: JSONPosition, end: JSONPosition
}

public indirect enum JSONValue: Sendable, Equatable {
  case object([JSONMember])  // 保持源顺序，重复的键也保留（由调用方诊断）
  case array([JSONNode])
  case string(String)
  case number(String)  // 数字的原文，如 "-12.50"、"1e3"，由调用方自行换算
  case bool(Bool)
  case null
}

public struct JSONMember: Sendable, Equatable {
  public var key: String
  public var keyStart: JSONPosition, keyEnd: JSONPosition
  public var value: JSONNode
}

public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var position: JSONPosition
  public var message: String
  public init(position: JSONPosition, message: String) { self.position = position; self.message = message }
  public var description: String { "第 \(position.line) 行第 \(position.column) 列：\(message)" }
}

public enum JSON {
  /// 允许的最大嵌套层数（对象与数组合计）。
  public static let maxDepth = 200

  /// 解析一个完整的 JSON 文本。开头的 UTF-8 BOM（U+FEFF）会被跳过。
  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
    var p = JSONReader(s: Array(text.unicodeScalars))
    if p.cur == "\u{FEFF}" { p.i = 1; p.lineStart = 1 }
    let node = try p.parseValue()
    p.skipWhitespace()
    if p.cur != nil { throw p.fail(p.isComment ? noComments : "JSON 之后还有多余内容") }
    return node
  }
}

extension JSONNode {
  /// 对象中第一个键为 key 的成员的值；不是对象或没有该键时为 nil。
  public subscript(key: String) -> JSONNode? { members?.first { $0.key == key }?.value }
  public var stringValue: String? { if case .string(let s) = value { s } else { nil } }
  public var members: [JSONMember]? { if case .object(let m) = value { m } else { nil } }
  public var elements: [JSONNode]? { if case .array(let a) = value { a } else { nil } }
}

extension JSONValue {
  /// 值类型的中文名称，用于诊断信息。
  public var kindName: String {
    switch self {
    case .object: "对象"
    case .array: "数组"
    case .string: "字符串"
    case .number: "数字"
    case .bool: "布尔值"
    case .null: "空值"
    }
  }
}

// MARK: - 解析器

private let unterminatedString = "字符串没有结束（缺少右引号 \"）"
private let unexpectedEnd = "文件在此处意外结束"
private let trailingComma = "多余的逗号：JSON 不允许在最后一项后面加逗号"
private let badNumber = "数字格式不正确"
private let noComments = "JSON 不支持注释"

/// 容易误输入的全角字符 → 对应的半角字符。
private let fullWidth: [Unicode.Scalar: String] = [
  "，": ",", "：": ":", "“": "\"", "”": "\"", "｛": "{", "｝": "}", "［": "[", "］": "]", "\u{3000}": " ",
]

private let literals: [(String, JSONValue)] = [("true", .bool(true)), ("false", .bool(false)), ("null", .null)]

private let simpleEscapes: [Unicode.Scalar: Unicode.Scalar] = [
  "\"": "\"", "\\": "\\", "/": "/", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t",
]

private func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { (0x30...0x39).contains($0.value) } ?? false }
private func isWhitespace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

/// 值之后可以合法出现的分隔字符（用于判断数字或单词在哪里结束）。
private func isDelimiter(_ c: Unicode.Scalar) -> Bool {
  isWhitespace(c) || c == "," || c == ":" || c == "[" || c == "]" || c == "{" || c == "}" || c == "\""
    || fullWidth[c] != nil
}

private func hexValue(_ c: Unicode.Scalar) -> UInt32? { c.isASCII ? UInt32(String(c), radix: 16) : nil }

/// 便于在错误信息中显示的字符（不可见字符显示为 U+XXXX）。
private func visible(_ c: Unicode.Scalar) -> String {
  guard c.value < 0x20 || c.value == 0x7F || c.value == 0xFEFF || c.value == 0x200B else { return String(c) }
  return c.codePoint
}

private struct JSONReader {
  let s: [Unicode.Scalar]
  var i = 0, line = 1, lineStart = 0, depth = 0  // 当前下标、行号、本行起始下标、嵌套层数

  var cur: Unicode.Scalar? { i < s.count ? s[i] : nil }
  var here: JSONPosition { JSONPosition(line: line, column: i - lineStart + 1, offset: i) }

  func fail(_ message: String, at position: JSONPosition? = nil) -> JSONSyntaxError {
    JSONSyntaxError(position: position ?? here, message: message)
  }

  var isComment: Bool { cur == "/" && i + 1 < s.count && (s[i + 1] == "/" || s[i + 1] == "*") }

  /// 当前位置是文件结束、注释或全角标点时的专门提示。
  var hint: JSONSyntaxError? {
    guard let c = cur else { return fail(unexpectedEnd) }
    if isComment { return fail(noComments) }
    guard let half = fullWidth[c] else { return nil }
    if c == "\u{3000}" { return fail("这里用了全角空格，JSON 需要半角空格") }
    if half == "\"" { return fail("这里用了全角引号\(c)，JSON 需要半角双引号 \"") }
    return fail("这里用了全角标点“\(c)”，JSON 需要半角“\(half)”")
  }

  /// 在当前位置期待某个符号却没有找到。
  func unexpected(_ message: String) -> JSONSyntaxError { hint ?? fail(message) }

  mutating func skipWhitespace() {
    while let c = cur {
      switch c {
      case " ", "\t": i += 1
      case "\n": i += 1; line += 1; lineStart = i
      case "\r": i += 1; if cur != "\n" { line += 1; lineStart = i }  // CRLF 或单独的 CR
      default: return
      }
    }
  }

  mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
    skipWhitespace()
    let start = here
    guard let c = cur else { throw fail(unexpectedEnd) }
    let value: JSONValue
    switch c {
    case "{": value = try parseObject()
    case "[": value = try parseArray()
    case "\"": value = .string(try parseString())
    case "-", "0"..."9": value = .number(try parseNumber())
    case ",", ":", "]", "}": throw fail("这里缺少一个值")
    case "'": throw fail("字符串必须用半角双引号 \" 括起来，不能用单引号 '")
    case ".", "+": throw isDigit(i + 1 < s.count ? s[i + 1] : nil) ? fail(badNumber) : unrecognized()
    default:
      if let hint { throw hint }
      value = try parseLiteral()
    }
    return JSONNode(value: value, start: start, end: here)
  }

  /// 一段无法识别的内容（到下一个分隔符为止，最多显示 20 个字符）。
  func unrecognized() -> JSONSyntaxError {
    var j = i
    while j < s.count, !isDelimiter(s[j]) || j == i { j += 1 }
    let word = s[i..<min(j, i + 20)].map(visible).joined() + (j - i > 20 ? "…" : "")
    var message = "无法识别的内容“\(word)”"
    let lower = word.lowercased()
    if lower == "true" || lower == "false" || lower == "null" { message += "（应写作小写 \(lower)）" }
    return fail(message)
  }

  mutating func parseLiteral() throws(JSONSyntaxError) -> JSONValue {
    for (word, value) in literals where s[i...].starts(with: word.unicodeScalars) {
      let end = i + word.unicodeScalars.count
      if end == s.count || isDelimiter(s[end]) { i = end; return value }
    }
    throw unrecognized()
  }

  /// 读取一串数字，返回是否至少读到一位。
  mutating func digits() -> Bool {
    let b = i
    while isDigit(cur) { i += 1 }
    return i > b
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> String {
    let start = here, b = i
    if cur == "-" { i += 1 }
    if cur == "0" { i += 1 } else if !digits() { throw fail(badNumber, at: start) }
    if cur == "." {
      i += 1
      guard digits() else { throw fail(badNumber, at: start) }
    }
    if cur == "e" || cur == "E" {
      i += 1
      if cur == "+" || cur == "-" { i += 1 }
      guard digits() else { throw fail(badNumber, at: start) }
    }
    // 紧贴在数字后面的其它字符（如 "01"、"1.2.3"、"12元"）说明整个数字写错了。
    if let c = cur, !isDelimiter(c) { throw fail(badNumber, at: start) }
    return String(String.UnicodeScalarView(s[b..<i]))
  }

  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = here
    i += 1  // 左引号
    var out = String.UnicodeScalarView()
    var run = i
    while true {
      guard let c = cur else { throw fail(unterminatedString, at: open) }
      switch c {
      case "\"", "\\":
        out.append(contentsOf: s[run..<i])
        if c == "\"" { i += 1; return String(out) }
        out.append(try parseEscape(open: open))
        run = i
      case "\n", "\r":
        throw fail(unterminatedString, at: open)
      default:
        if c.value < 0x20 {
          throw fail("字符串中不能直接包含控制字符 \(visible(c))，请改用转义写法（如 \\t、\\n）")
        }
        i += 1
      }
    }
  }

  mutating func parseEscape(open: JSONPosition) throws(JSONSyntaxError) -> Unicode.Scalar {
    let escape = here
    i += 1  // 反斜杠
    guard let e = cur else { throw fail(unterminatedString, at: open) }
    i += 1
    if let simple = simpleEscapes[e] { return simple }
    switch e {
    case "u":
      let high = try hex4(escape, open: open)
      var code = high
      if (0xD800...0xDBFF).contains(high) {
        guard i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" else { throw loneSurrogate(high, escape) }
        let lowStart = here
        i += 2
        let low = try hex4(lowStart, open: open)
        guard (0xDC00...0xDFFF).contains(low) else { throw loneSurrogate(high, escape) }
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let scalar = Unicode.Scalar(code) else { throw loneSurrogate(high, escape) }
      return scalar
    default:
      throw fail("无效的转义序列 \\\(visible(e))（可用的有 \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX）", at: escape)
    }
  }

  /// 读取 \u 后面的 4 位十六进制数字。
  mutating func hex4(_ escape: JSONPosition, open: JSONPosition) throws(JSONSyntaxError) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard let c = cur else { throw fail(unterminatedString, at: open) }
      guard let h = hexValue(c) else { throw fail("\\u 后面必须是 4 位十六进制数字", at: escape) }
      v = v << 4 | h
      i += 1
    }
    return v
  }

  func loneSurrogate(_ code: UInt32, _ at: JSONPosition) -> JSONSyntaxError {
    let hex = String(code, radix: 16, uppercase: true)
    return fail("无效的 Unicode 转义 \\u\(hex)：代理项必须成对出现（高位 D800–DBFF 后紧跟低位 DC00–DFFF）", at: at)
  }

  mutating func enter() throws(JSONSyntaxError) {
    guard depth < JSON.maxDepth else { throw fail("嵌套层数过多（超过 \(JSON.maxDepth) 层）") }
    depth += 1
    i += 1  // 左括号
  }

  /// 处理一项之后的逗号或右括号 close；返回 true 表示容器已结束。
  mutating func endOfItem(_ close: Unicode.Scalar, missing: String) throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    if cur == close { i += 1; return true }
    guard cur == "," else { throw unexpected(missing) }
    let comma = here
    i += 1
    skipWhitespace()
    if cur == close { throw fail(trailingComma, at: comma) }
    return false
  }

  mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var elements: [JSONNode] = []
    skipWhitespace()
    if cur == "]" { i += 1; return .array(elements) }
    repeat { elements.append(try parseValue()) } while try !endOfItem("]", missing: "缺少逗号或右方括号 ]")
    return .array(elements)
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var members: [JSONMember] = []
    skipWhitespace()
    if cur == "}" { i += 1; return .object(members) }
    repeat {
      guard cur == "\"" else { throw unexpected("对象的键必须是带双引号的字符串") }
      let keyStart = here
      let key = try parseString()
      let keyEnd = here
      skipWhitespace()
      guard cur == ":" else { throw unexpected("键后面缺少冒号 :") }
      i += 1
      members.append(JSONMember(key: key, keyStart: keyStart, keyEnd: keyEnd, value: try parseValue()))
    } while try !endOfItem("}", missing: "缺少逗号或右花括号 }")
    return .object(members)
  }
}
