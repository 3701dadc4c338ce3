import Testing
import JixiaoEngine

/// 解析并返回错误；解析成功时返回 nil。
private func syntaxError(_ text: String) -> JSONSyntaxError? {
  do {
    _ = try JSON.parse(text)
    return nil
  } catch {
    return error
  }
}

private func pos(_ line: Int, _ column: Int, _ offset: Int) -> JSONPosition {
  JSONPosition(line: line, column: column, offset: offset)
}

// MARK: - 各类值

@Test func parsesEveryKind() throws {
  let root = try JSON.parse(#"{"o": {}, "a": [1, "x", true, false, null], "s": "文本", "n": -12.50}"#)
  #expect(root.value.kindName == "对象")
  #expect(root.members?.map(\.key) == ["o", "a", "s", "n"])
  #expect(root["o"]?.members?.isEmpty == true)
  #expect(root["o"]?.value.kindName == "对象")
  let a = try #require(root["a"]?.elements)
  #expect(a.map(\.value) == [.number("1"), .string("x"), .bool(true), .bool(false), .null])
  #expect(a.map(\.value.kindName) == ["数字", "字符串", "布尔值", "布尔值", "空值"])
  #expect(root["a"]?.value.kindName == "数组")
  #expect(root["s"]?.stringValue == "文本")
  #expect(root["n"]?.value == .number("-12.50"))
  #expect(root["missing"] == nil)
  #expect(root["s"]?["x"] == nil)
  #expect(root.stringValue == nil && root.elements == nil && root["a"]?.members == nil)
}

@Test func scalarsAtTopLevel() throws {
  #expect(try JSON.parse(" true ").value == .bool(true))
  #expect(try JSON.parse("null").value == .null)
  #expect(try JSON.parse("\"\"").value == .string(""))
  #expect(try JSON.parse("[]").value == .array([]))
  #expect(try JSON.parse("\r\n\t 0 \r\n").value == .number("0"))
}

@Test(arguments: ["18779.46", "-0.5", "1e3", "0", "-0", "1E+10", "2.50e-3", "123456789012345678901234567890.000"])
func numberTextKeptVerbatim(_ text: String) throws {
  let node = try JSON.parse("[\(text)]")
  #expect(node.elements?.first?.value == .number(text))
}

@Test func stringEscapes() throws {
  let node = try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\u4E2D\ud83d\ude00""#)
  #expect(node.stringValue == "a\"b\\c/d\u{08}\u{0C}\n\r\té中😀")
  #expect(try JSON.parse(#""\u0000""#).stringValue == "\u{0}")
  #expect(try JSON.parse("\"中文😀\"").stringValue == "中文😀")
}

@Test func duplicateKeysKeptInOrder() throws {
  let root = try JSON.parse(#"{"k": 1, "j": 2, "k": 3}"#)
  #expect(root.members?.map(\.key) == ["k", "j", "k"])
  #expect(root["k"]?.value == .number("1"))
}

// MARK: - 位置

@Test func positionsOfNestedValueAfterChineseText() throws {
  let text = """
    {
      "名称": "测试",
      "明细": [{"备注": "中文文字", "金额": 18779.46}]
    }
    """
  let root = try JSON.parse(text)
  #expect(root.start == pos(1, 1, 0))
  #expect(root.end == pos(4, 2, 58))
  let item = try #require(root["明细"]?.elements?.first)
  #expect(item.start == pos(3, 10, 25))
  let amount = try #require(item.members?.last)
  #expect(amount.key == "金额")
  #expect(amount.keyStart == pos(3, 25, 40))
  #expect(amount.keyEnd == pos(3, 29, 44))
  #expect(amount.value.value == .number("18779.46"))
  #expect(amount.value.start == pos(3, 31, 46))
  #expect(amount.value.end == pos(3, 39, 54))
  // offset 是标量数组下标
  let scalars = Array(text.unicodeScalars)
  #expect(String(String.UnicodeScalarView(scalars[46..<54])) == "18779.46")
}

@Test func crlfAndLoneCRCountAsLineBreaks() throws {
  let root = try JSON.parse("[\r\n1,\r2]")
  #expect(root.elements?.map(\.start) == [pos(2, 1, 3), pos(3, 1, 6)])
}

@Test func byteOrderMarkIsSkipped() throws {
  let root = try JSON.parse("\u{FEFF}{\"a\": [1]}")
  #expect(root.start == pos(1, 1, 1))
  #expect(root["a"]?.start == pos(1, 7, 7))
  #expect(syntaxError("\u{FEFF}") == JSONSyntaxError(position: pos(1, 1, 1), message: "文件在此处意外结束"))
  #expect(syntaxError("\u{FEFF}\u{FEFF}[1]")?.message == "无法识别的内容“U+FEFF”")
}

// MARK: - 错误信息与位置

struct ErrorCase: Sendable, CustomTestStringConvertible {
  var text: String
  var message: String
  var line: Int
  var column: Int
  init(_ text: String, _ message: String, _ line: Int, _ column: Int) {
    self.text = text; self.message = message; self.line = line; self.column = column
  }
  var testDescription: String { text.debugDescription }
}

private let fullWidthComma = "这里用了全角标点“，”，JSON 需要半角“,”"

@Test(arguments: [
  // 缺少逗号
  ErrorCase("{\"a\": 1\n \"b\": 2}", "缺少逗号或右花括号 }", 2, 2),
  ErrorCase("[1 2]", "缺少逗号或右方括号 ]", 1, 4),
  // 键
  ErrorCase("{a: 1}", "对象的键必须是带双引号的字符串", 1, 2),
  ErrorCase("{\"a\": 1, 'b': 2}", "对象的键必须是带双引号的字符串", 1, 10),
  ErrorCase("{\"a\" 1}", "键后面缺少冒号 :", 1, 6),
  // 字符串
  ErrorCase("{\"a\": \"abc}", "字符串没有结束（缺少右引号 \"）", 1, 7),
  ErrorCase("[\n  \"第一行,\n  \"b\"]", "字符串没有结束（缺少右引号 \"）", 2, 3),
  ErrorCase("\"abc\\", "字符串没有结束（缺少右引号 \"）", 1, 1),
  ErrorCase("\"a\tb\"", "字符串中不能直接包含控制字符 U+0009，请改用转义写法（如 \\t、\\n）", 1, 3),
  ErrorCase(#"["ok", "\x"]"#, #"无效的转义序列 \x（可用的有 \" \\ \/ \b \f \n \r \t \uXXXX）"#, 1, 9),
  ErrorCase(#""12\u12G4""#, "\\u 后面必须是 4 位十六进制数字", 1, 4),
  ErrorCase(#"['x']"#, "字符串必须用半角双引号 \" 括起来，不能用单引号 '", 1, 2),
  // 代理项
  ErrorCase(#""\uD800""#, "无效的 Unicode 转义 \\uD800：代理项必须成对出现（高位 D800–DBFF 后紧跟低位 DC00–DFFF）", 1, 2),
  ErrorCase(#""ab\udc00x""#, "无效的 Unicode 转义 \\uDC00：代理项必须成对出现（高位 D800–DBFF 后紧跟低位 DC00–DFFF）", 1, 4),
  ErrorCase(#""\uD83D\u0041""#, "无效的 Unicode 转义 \\uD83D：代理项必须成对出现（高位 D800–DBFF 后紧跟低位 DC00–DFFF）", 1, 2),
  ErrorCase(#""\uD83D\n""#, "无效的 Unicode 转义 \\uD83D：代理项必须成对出现（高位 D800–DBFF 后紧跟低位 DC00–DFFF）", 1, 2),
  // 多余的逗号
  ErrorCase("[1, 2,]", "多余的逗号：JSON 不允许在最后一项后面加逗号", 1, 6),
  ErrorCase("{\n  \"a\": 1,\n}", "多余的逗号：JSON 不允许在最后一项后面加逗号", 2, 9),
  ErrorCase("[1,,2]", "这里缺少一个值", 1, 4),
  ErrorCase("{\"a\": }", "这里缺少一个值", 1, 7),
  // 无法识别的内容
  ErrorCase("[tru]", "无法识别的内容“tru”", 1, 2),
  ErrorCase("{\"ok\": True}", "无法识别的内容“True”（应写作小写 true）", 1, 8),
  ErrorCase("[NULL]", "无法识别的内容“NULL”（应写作小写 null）", 1, 2),
  ErrorCase("[nulls]", "无法识别的内容“nulls”", 1, 2),
  ErrorCase("[中文内容]", "无法识别的内容“中文内容”", 1, 2),
  ErrorCase("abcdefghijklmnopqrstuvwxyz", "无法识别的内容“abcdefghijklmnopqrst…”", 1, 1),
  ErrorCase("[1] // 注释", "JSON 不支持注释", 1, 5),
  ErrorCase("{\"a\": 1 /* 金额 */}", "JSON 不支持注释", 1, 9),
  ErrorCase("[1, /]", "无法识别的内容“/”", 1, 5),
  ErrorCase("// 注释\n[1]", "JSON 不支持注释", 1, 1),
  // 数字
  ErrorCase("[01]", "数字格式不正确", 1, 2),
  ErrorCase("[-]", "数字格式不正确", 1, 2),
  ErrorCase("[1.]", "数字格式不正确", 1, 2),
  ErrorCase("[1.5.3]", "数字格式不正确", 1, 2),
  ErrorCase("[1e+]", "数字格式不正确", 1, 2),
  ErrorCase("[.5]", "数字格式不正确", 1, 2),
  ErrorCase("[+1]", "数字格式不正确", 1, 2),
  ErrorCase("{\"金额\": 12元}", "数字格式不正确", 1, 8),
  ErrorCase("-", "数字格式不正确", 1, 1),
  // 意外结束
  ErrorCase("", "文件在此处意外结束", 1, 1),
  ErrorCase("  \n ", "文件在此处意外结束", 2, 2),
  ErrorCase("{\"a\": [1, 2", "文件在此处意外结束", 1, 12),
  ErrorCase("{\"a\"", "文件在此处意外结束", 1, 5),
  ErrorCase("{", "文件在此处意外结束", 1, 2),
  // 多余内容
  ErrorCase("{} x", "JSON 之后还有多余内容", 1, 4),
  ErrorCase("[1]\n[2]", "JSON 之后还有多余内容", 2, 1),
  ErrorCase("{}，", "JSON 之后还有多余内容", 1, 3),
  // 全角标点
  ErrorCase("[1，2]", fullWidthComma, 1, 3),
  ErrorCase("{\"a\": 1，\"b\": 2}", fullWidthComma, 1, 8),
  ErrorCase("{\"a\"：1}", "这里用了全角标点“：”，JSON 需要半角“:”", 1, 5),
  ErrorCase("{“a”: 1}", "这里用了全角引号“，JSON 需要半角双引号 \"", 1, 2),
  ErrorCase("[”a”]", "这里用了全角引号”，JSON 需要半角双引号 \"", 1, 2),
  ErrorCase("｛\"a\": 1}", "这里用了全角标点“｛”，JSON 需要半角“{”", 1, 1),
  ErrorCase("{\"a\": 1｝", "这里用了全角标点“｝”，JSON 需要半角“}”", 1, 8),
  ErrorCase("［1]", "这里用了全角标点“［”，JSON 需要半角“[”", 1, 1),
  ErrorCase("[1］", "这里用了全角标点“］”，JSON 需要半角“]”", 1, 3),
  ErrorCase("{\"a\":\u{3000}1}", "这里用了全角空格，JSON 需要半角空格", 1, 6),
])
func errorMessageAndPosition(_ c: ErrorCase) {
  let error = syntaxError(c.text)
  #expect(error?.message == c.message)
  #expect(error?.position.line == c.line)
  #expect(error?.position.column == c.column)
}

@Test func fullWidthInsideStringsIsFine() throws {
  let root = try JSON.parse("{\"备注\": \"你好，世界：“引号”｛｝［］\u{3000}\"}")
  #expect(root["备注"]?.stringValue == "你好，世界：“引号”｛｝［］\u{3000}")
}

@Test func errorDescriptionAndOffset() {
  let error = syntaxError("{\n  \"名称\": 1,\n  \"金额\"：2\n}")
  #expect(error?.position == pos(3, 7, 19))
  #expect(error?.description == "第 3 行第 7 列：这里用了全角标点“：”，JSON 需要半角“:”")
}

// MARK: - 嵌套层数与健壮性

@Test func nestingDepthIsBounded() throws {
  let ok = String(repeating: "[", count: JSON.maxDepth) + String(repeating: "]", count: JSON.maxDepth)
  #expect(throws: Never.self) { try JSON.parse(ok) }

  let tooDeep = String(repeating: "[", count: JSON.maxDepth + 1) + String(repeating: "]", count: JSON.maxDepth + 1)
  #expect(syntaxError(tooDeep) == JSONSyntaxError(position: pos(1, 201, 200), message: "嵌套层数过多（超过 200 层）"))

  for text in [
    String(repeating: "[", count: 5000), String(repeating: "{\"a\":", count: 5000),
    String(repeating: "[{\"k\":", count: 3000),
  ] {
    #expect(syntaxError(text)?.message == "嵌套层数过多（超过 200 层）")
  }
}

/// 确定性的伪随机数（SplitMix64），保证测试可重复。
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

private func checkNoCrash(_ text: String) {
  let count = text.unicodeScalars.count
  do {
    let node = try JSON.parse(text)
    #expect(node.end.offset <= count)
  } catch {
    #expect(error.position.offset >= 0 && error.position.offset <= count)
    #expect(error.position.line >= 1 && error.position.column >= 1)
    #expect(!error.message.isEmpty)
  }
}

@Test func garbageNeverCrashes() {
  let pieces: [String] = [
    "[", "]", "{", "}", ",", ":", "\"", "\\", "\\u", "\\uD83D", "\\uDE00", "0", "-", "1", ".",
    "e", "+", "true", "fals", "null", " ", "\n", "\r", "\t", "，", "：", "“", "”", "｛", "］",
    "\u{3000}", "\u{FEFF}", "中", "😀", "'", "/", "*", "\u{0}", "x", "\"k\":", "12.5",
  ]
  var rng = SplitMix(state: 20240601)
  let valid = #"{"名称": "测试", "明细": [{"金额": 18779.46, "数量": -1e3, "备注": "\u4e2d\ud83d\ude00"}], "ok": true, "x": null}"#
  for _ in 0..<3000 {
    let length = Int.random(in: 0...40, using: &rng)
    var text = ""
    for _ in 0..<length { text += pieces.randomElement(using: &rng) ?? "" }
    checkNoCrash(text)
    checkNoCrash(text + valid)  // 随机垃圾前缀
    checkNoCrash(String(repeating: "[", count: Int.random(in: 0...3000, using: &rng)) + text)
  }
  // 合法文档的每个真前缀都必须报错（且不崩溃）
  let scalars = Array(valid.unicodeScalars)
  #expect(throws: Never.self) { try JSON.parse(valid) }
  for n in 0..<scalars.count {
    let prefix = String(String.UnicodeScalarView(scalars[0..<n]))
    #expect(syntaxError(prefix) != nil, "前缀 \(n) 应当报错")
  }
}
